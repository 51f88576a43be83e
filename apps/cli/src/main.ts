#!/usr/bin/env node
/**
 * The `discounts` command (package.json "bin"). Built with the apps by `npm run build`
 * (nest build compiles apps/ with swc) to dist/apps/cli/src/main.js.
 */
import { run } from './cli';

/** How long a command gets to stop by itself after Ctrl-C (a watch says how to resume). */
const INTERRUPT_GRACE_MS = 1_000;

const interrupted = new AbortController();
process.once('SIGINT', () => {
  interrupted.abort();
  // Commands that do not watch the signal (an upload) are stopped all the same.
  setTimeout(() => {
    process.stderr.write('\ndiscounts: interrupted\n');
    process.exit(130);
  }, INTERRUPT_GRACE_MS).unref();
});

run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: interrupted.signal,
})
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`discounts: ${String(error)}\n`);
    process.exitCode = 1;
  });
