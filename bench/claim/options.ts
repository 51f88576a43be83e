/**
 * Command-line options of `npm run bench:claim -- --claims=… --concurrency=…`. Defaults depend on
 * the server: the FerretDB dev server answers a claim by scanning the whole collection, so its runs
 * must stay small to finish in minutes; a real MongoDB gets runs large enough for steady state.
 */

export const SCENARIOS = ['one-brand', 'many-brands', 'legacy', 'legacy-cold', 'overload'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BenchOptions {
  readonly concurrencies: readonly number[];
  /** Claims per measured run. */
  readonly claims: number;
  /** Codes seeded per run, as a multiple of `claims`: the brand never runs dry mid-run. */
  readonly codesFactor: number;
  /** Brands of the spread scenario. */
  readonly brands: number;
  readonly legacyConcurrency: number;
  readonly legacyClaims: number;
  /** Distinct first-time users of the legacy-cold flash sale, and the codes they rush for. */
  readonly coldUsers: number;
  readonly coldCodes: number;
  readonly scenarios: ReadonlySet<Scenario>;
  /** --quick: one concurrency, small runs, every table; for checking the targets in minutes. */
  readonly quick: boolean;
  /** --profile: the provider runs under V8's CPU profiler; a table of where its time went ends the output. */
  readonly profile: boolean;
  /** How long the overload scenario offers 5× capacity (overload.ts). */
  readonly overloadSeconds: number;
  /** Where the JSON result goes. */
  readonly outDir: string;
}

export interface ServerDefaults {
  readonly claims: number;
  readonly legacyClaims: number;
  readonly coldUsers: number;
}

/**
 * FerretDB: 15–30 ms per claim at 384 codes, 40–100 ms at 1,000 (whole-collection scans), so the
 * smallest runs that still allow 256 connections; users' first legacy calls cost a scrypt each.
 */
export const FERRETDB_DEFAULTS: ServerDefaults = { claims: 256, legacyClaims: 128, coldUsers: 10_000 };
/** MongoDB: large enough for steady state. */
export const MONGODB_DEFAULTS: ServerDefaults = { claims: 20_000, legacyClaims: 3_000, coldUsers: 10_000 };

/** --quick: the same tables at one concurrency, in about three minutes on the dev server. */
const QUICK = { concurrency: 64, coldUsers: 2_000, overloadSeconds: 10 } as const;

/**
 * The codes of the legacy-cold sale: far fewer than its users (most are told "none left"), and
 * few enough that the dev server, which reads the whole collection per claim, stays quick.
 */
const COLD_CODES = 200;

export const USAGE = `npm run bench:claim -- [options]
  --claims=N            claims per run (default ${FERRETDB_DEFAULTS.claims} on FerretDB, ${MONGODB_DEFAULTS.claims} on MongoDB)
  --codes-factor=X      codes seeded per run = X × claims (default 1.5)
  --concurrency=LIST    comma-separated (default 1,16,64,256)
  --brands=N            brands of the spread scenario (default 1000)
  --legacy-claims=N     claims of each legacy run (default ${FERRETDB_DEFAULTS.legacyClaims} / ${MONGODB_DEFAULTS.legacyClaims})
  --legacy-concurrency=N  (default 64)
  --cold-users=N        first-time users of the legacy-cold flash sale (default ${FERRETDB_DEFAULTS.coldUsers})
  --overload-seconds=N  how long the overload scenario offers 5× capacity (default 20; ${QUICK.overloadSeconds} with --quick)
  --only=LIST           scenarios: ${SCENARIOS.join(',')} (default all)
  --profile             the provider under V8's CPU profiler; prints where its time went (profiles kept in a temp dir)
  --quick               concurrency ${QUICK.concurrency} only, ${QUICK.coldUsers} cold users: every table in about 3 minutes
  --out=DIR             where the JSON result goes (default bench/results)
Environment: MONGODB_URI (a real MongoDB; unset = a fresh FerretDB dev server),
  MONGODB_MAX_POOL_SIZE (pool of the provider and of the raw driver on MongoDB; default 50),
  NATS_URL (used only when nats-server is not installed).`;

export class UsageError extends Error {}

function positiveInt(name: string, value: string): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1)
    throw new UsageError(`--${name} must be a positive integer`);
  return Number(value);
}

/** Parses argv; values left undefined take the server's defaults later (see resolveOptions). */
export function parseArgs(argv: readonly string[]): Partial<BenchOptions> {
  const options: { -readonly [K in keyof BenchOptions]?: BenchOptions[K] } = {};
  for (const arg of argv) {
    if (arg === '--quick' || arg === '--profile') {
      options[arg === '--quick' ? 'quick' : 'profile'] = true;
      continue;
    }
    const match = /^--([a-z-]+)=(.+)$/.exec(arg);
    if (!match) throw new UsageError(`unexpected argument ${arg}`);
    const [, name = '', value = ''] = match;
    switch (name) {
      case 'claims':
        options.claims = positiveInt(name, value);
        break;
      case 'codes-factor':
        options.codesFactor = Number(value);
        if (!(options.codesFactor >= 1 && options.codesFactor <= 100))
          throw new UsageError('--codes-factor must be between 1 and 100');
        break;
      case 'concurrency':
        options.concurrencies = value.split(',').map((v) => positiveInt(name, v));
        break;
      case 'brands':
        options.brands = positiveInt(name, value);
        break;
      case 'legacy-claims':
        options.legacyClaims = positiveInt(name, value);
        break;
      case 'legacy-concurrency':
        options.legacyConcurrency = positiveInt(name, value);
        break;
      case 'overload-seconds':
        options.overloadSeconds = positiveInt(name, value);
        break;
      case 'cold-users':
        options.coldUsers = positiveInt(name, value);
        break;
      case 'only': {
        const wanted = value.split(',');
        const unknown = wanted.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
        if (unknown.length > 0) throw new UsageError(`--only: unknown scenario(s) ${unknown.join(', ')}`);
        options.scenarios = new Set(wanted as Scenario[]);
        break;
      }
      case 'out':
        options.outDir = value;
        break;
      default:
        throw new UsageError(`unknown option --${name}`);
    }
  }
  return options;
}

export function resolveOptions(given: Partial<BenchOptions>, defaults: ServerDefaults): BenchOptions {
  const quick = given.quick ?? false;
  const options: BenchOptions = {
    concurrencies: given.concurrencies ?? (quick ? [QUICK.concurrency] : [1, 16, 64, 256]),
    claims: given.claims ?? defaults.claims,
    codesFactor: given.codesFactor ?? 1.5,
    brands: given.brands ?? 1000,
    legacyConcurrency: given.legacyConcurrency ?? 64,
    legacyClaims: given.legacyClaims ?? defaults.legacyClaims,
    coldUsers: given.coldUsers ?? (quick ? QUICK.coldUsers : defaults.coldUsers),
    coldCodes: COLD_CODES,
    overloadSeconds: given.overloadSeconds ?? (quick ? QUICK.overloadSeconds : 20),
    scenarios: given.scenarios ?? new Set(quick ? SCENARIOS.filter((s) => s !== 'many-brands') : SCENARIOS),
    quick,
    profile: given.profile ?? false,
    outDir: given.outDir ?? 'bench/results',
  };
  // autocannon refuses more connections than requests, and such a run would measure nothing.
  const tooHigh = Math.max(...options.concurrencies);
  if (tooHigh > options.claims) {
    throw new UsageError(
      `--claims (${options.claims}) must be at least the highest concurrency (${tooHigh})`,
    );
  }
  if (options.legacyConcurrency > options.legacyClaims) {
    throw new UsageError('--legacy-claims must be at least --legacy-concurrency');
  }
  return options;
}
