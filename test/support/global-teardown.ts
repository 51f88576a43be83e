/**
 * Jest global teardown of the integration and e2e tiers: stops, by PID, only the servers
 * global-setup.ts started (newest first), then removes its temporary directory.
 */
import { rmSync } from 'node:fs';
import { isSameProcess, stopPid, tail } from '../../tools/devstack';
import { STATE_KEY, type GlobalStackState } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>)[STATE_KEY] as GlobalStackState | undefined;
  if (!state) return;
  delete (globalThis as Record<string, unknown>)[STATE_KEY];
  for (const started of [...state.started].reverse()) {
    if (!isSameProcess(started.record)) {
      // It died during the run: that explains failing tests, so show why.
      process.stderr.write(
        `[test stack] ${started.name} (pid ${started.record.pid}) had already exited; last log lines:\n` +
          `${tail(started.logFile, 20)}\n`,
      );
      continue;
    }
    const result = await stopPid(started.record, { timeoutMs: 10_000 });
    if (result === 'killed') process.stderr.write(`[test stack] ${started.name} needed SIGKILL\n`);
  }
  rmSync(state.tempDir, { recursive: true, force: true });
}
