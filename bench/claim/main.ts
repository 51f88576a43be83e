/**
 * `npm run bench:claim`: the claim path measured against the database's own limit and against a
 * bare handler's, scenario by scenario (scenarios.ts; overload past capacity: overload.ts).
 *
 * Every run starts from freshly seeded codes and ends with the claim audit (test/support/claim-audit)
 * over the database and every answer collected (claim-bench.ts). Prints tables; writes JSON to
 * bench/results/ (summary.ts). Exit code 1 when any audit found a violation or any answer was not
 * a claim, a held code or "none left" (a 429, a 5xx, a timeout, a connection error).
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchStack } from './bench-stack';
import { ClaimBench, log } from './claim-bench';
import { legacy, legacyCold, manyBrands, oneBrand, warmUp } from './scenarios';
import { FERRETDB_DEFAULTS, MONGODB_DEFAULTS, parseArgs, resolveOptions, USAGE, UsageError } from './options';
import { overload, type OverloadResult } from './overload';
import { profileTables } from './profile';
import { summarize } from './summary';

async function main(): Promise<number> {
  const given = parseArgs(process.argv.slice(2));
  const started = { at: new Date(), loadavg: loadavg() };
  const profileDir = given.profile ? mkdtempSync(join(tmpdir(), 'bench-claim-profile-')) : undefined;
  const stack = await startBenchStack(log, profileDir);
  // Interrupted (Ctrl-C): stop what the bench started before leaving, not leave it running.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping the bench stack`);
      void stack.stop().finally(() => process.exit(130));
    });
  }
  let bench: ClaimBench | undefined;
  try {
    const options = resolveOptions(
      given,
      stack.server.kind === 'FerretDB' ? FERRETDB_DEFAULTS : MONGODB_DEFAULTS,
    );
    log(
      `${stack.server.kind} ${stack.server.version}, pool ${stack.poolSize}; provider at ${stack.providerUrl}`,
    );
    bench = new ClaimBench(stack, options);
    await warmUp(bench);
    if (options.scenarios.has('one-brand')) await oneBrand(bench);
    if (options.scenarios.has('many-brands')) await manyBrands(bench);
    if (options.scenarios.has('legacy')) await legacy(bench);
    if (options.scenarios.has('legacy-cold')) await legacyCold(bench);
    let overloaded: OverloadResult | undefined;
    if (options.scenarios.has('overload')) overloaded = await overload(bench);
    process.stdout.write(`${summarize(bench, stack, options, started)}\n`);
    if (overloaded) process.stdout.write(`\n${overloaded.report}\n`);
    return bench.allAuditsOk && bench.failedRuns.length === 0 && (overloaded?.ok ?? true) ? 0 : 1;
  } finally {
    await stack.stop();
    // The provider writes its profile as it exits.
    if (profileDir && bench) {
      process.stdout.write(
        `\nWhere the provider's CPU went (--profile; profiles in ${profileDir}):\n` +
          `${profileTables(profileDir, bench.runs)}\n`,
      );
    }
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
