/**
 * `npm run bench:claim`: the claim path measured against the database's own limit.
 *
 *   one-brand    every claim for one brand (a flash sale): the raw driver with the slot design and
 *                with the naive "first available document", and the provider over HTTP, at each
 *                concurrency;
 *   many-brands  the same claims spread over 1,000 brands: raw driver (slot) and provider;
 *   legacy       the predecessor's route with its scrypt secret check at concurrency 64: users'
 *                first calls, then the same users again (verified-secret cache), beside a raw run.
 *
 * Every run starts from freshly seeded codes and ends with the claim audit (test/support/claim-audit)
 * over the database and every answer collected (claim-bench.ts). Prints tables; writes JSON to
 * bench/results/ (summary.ts). Exit code 1 when any audit found a violation.
 */
import { loadavg } from 'node:os';
import { startBenchStack } from './bench-stack';
import { ClaimBench, log } from './claim-bench';
import { FERRETDB_DEFAULTS, MONGODB_DEFAULTS, parseArgs, resolveOptions, USAGE, UsageError } from './options';
import { summarize } from './summary';

async function main(): Promise<number> {
  const given = parseArgs(process.argv.slice(2));
  const started = { at: new Date(), loadavg: loadavg() };
  const stack = await startBenchStack(log);
  try {
    const options = resolveOptions(
      given,
      stack.server.kind === 'FerretDB' ? FERRETDB_DEFAULTS : MONGODB_DEFAULTS,
    );
    log(
      `${stack.server.kind} ${stack.server.version}, pool ${stack.poolSize}; provider at ${stack.providerUrl}`,
    );
    const bench = new ClaimBench(stack, options);
    await bench.warmUp();
    if (options.scenarios.has('one-brand')) await bench.oneBrand();
    if (options.scenarios.has('many-brands')) await bench.manyBrands();
    if (options.scenarios.has('legacy')) await bench.legacy();
    process.stdout.write(`${summarize(bench, stack, options, started)}\n`);
    return bench.allAuditsOk ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(
      `bench:claim failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
