#!/usr/bin/env node
/**
 * make shutdown: stops what make launch started, and nothing else: the PIDs recorded in
 * .data/launch.json (each checked against its recorded start time, so a recycled PID is left
 * alone), apps first, then the FerretDB dev server, then nats-server if launch started one.
 * Then removes the state file. Running it again, or with nothing launched, is harmless.
 */
import process from 'node:process';
import { stopPid } from './stack.cjs';
import { readState, removeState } from './state.mjs';

const log = (msg) => process.stdout.write(`shutdown: ${msg}\n`);

async function main() {
  const state = readState();
  if (!state) {
    log('nothing to stop (no .data/launch.json)');
    removeState();
    return;
  }
  const processes = state.processes || {};
  const stop = async (name) => {
    const record = processes[name];
    if (!record) return;
    const result = await stopPid(record, { timeoutMs: 10000 });
    const what = {
      stopped: 'stopped',
      killed: 'killed (did not stop within 10 s of SIGTERM)',
      'not-running': 'was not running',
      'not-ours': 'was not running (its PID now belongs to another process, left alone)',
    }[result];
    log(`${name} (pid ${record.pid}) ${what}`);
  };
  await Promise.all([stop('generator'), stop('provider')]);
  await stop('ferretdb');
  await stop('nats');
  removeState();
  log('done');
}

main().catch((err) => {
  process.stderr.write(`shutdown: failed: ${err.message}\n`);
  process.exit(1);
});
