/**
 * make shutdown: stops what make launch started, and nothing else: the PIDs recorded in
 * .data/launch.json (each checked against its recorded start time, so a recycled PID is left
 * alone), apps first, then the FerretDB dev server, then nats-server if launch started one.
 * Then removes the state file. Running it again, or with nothing launched, is harmless.
 */
import { stopPid, type StopResult } from './processes';
import { readState, removeState, type LaunchedProcess } from './state';

const log = (msg: string) => process.stdout.write(`shutdown: ${msg}\n`);

const SAID: Record<StopResult, string> = {
  stopped: 'stopped',
  killed: 'killed (did not stop within 10 s of SIGTERM)',
  'not-running': 'was not running',
  'not-ours': 'was not running (its PID now belongs to another process, left alone)',
};

async function main(): Promise<void> {
  const state = readState();
  if (!state) {
    log('nothing to stop (no .data/launch.json)');
    removeState();
    return;
  }
  const stop = async (name: LaunchedProcess) => {
    const record = state.processes[name];
    if (!record) return;
    log(`${name} (pid ${record.pid}) ${SAID[await stopPid(record, { timeoutMs: 10_000 })]}`);
  };
  await Promise.all([stop('generator'), stop('provider')]);
  await stop('ferretdb');
  await stop('nats');
  removeState();
  log('done');
}

main().catch((err: unknown) => {
  process.stderr.write(`shutdown: failed: ${(err as Error).message}\n`);
  process.exit(1);
});
