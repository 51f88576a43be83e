/**
 * Where the FerretDB dev server stops serving claims well. FerretDB v1 (the dev and test server,
 * tools/ferretdb-dev) finds documents without indexes: on SQLite every query, a claim's
 * findAndModify included, reads the whole collection; on PostgreSQL the claim's equality filters
 * (brandId, status) run in SQL and FerretDB reads, decodes and sorts the brand's available codes.
 * Either way a claim's cost grows with a number of codes, and the generator warns when a
 * generation takes that number past the size at which a claim costs more than
 * DEV_SERVER_CLAIM_BUDGET_MS. Nothing here applies to a real MongoDB (nor to FerretDB v2, which
 * stores documents in PostgreSQL's DocumentDB extension, with indexes).
 *
 * Pure: no Nest, no driver. The one place these numbers live.
 */

/** The storage under the dev server: `ferretdb-dev -handler sqlite|postgresql`. */
export type DevServerHandler = 'sqlite' | 'postgresql';

/** A claim costing more than this is what "slow" means here. */
export const DEV_SERVER_CLAIM_BUDGET_MS = 100;

/** What a claim's cost grows with: every code of the collection, or the brand's available codes. */
export type SlowClaimScope = 'collection' | 'brand';

export interface SlowClaimLimit {
  readonly scope: SlowClaimScope;
  /** Codes (of that scope) at which one claim costs DEV_SERVER_CLAIM_BUDGET_MS. */
  readonly codes: number;
}

/**
 * Per handler, every limit that applies, the main one first. Measured with `npm run
 * bench:dev-server -- --claims` (bench/dev-server/claim-scaling.ts): FerretDB v1.24.2 through
 * ferretdb-dev's front, one connection, the real indexes (CodeSchema), the fastest of at least 5
 * claims at each size; 2 cores (load average 1.5–2.5, the bench at nice -15), PostgreSQL 15 on
 * the same machine. ms per claim, by codes stored:
 *
 *   codes      SQLite: one brand  other brands   PostgreSQL: one brand  other brands
 *   1,000                   68            70                       56            16
 *   1,500                   93           102                       97            16
 *   2,000                  156           136                      121            11
 *   10,000                 562           471                      796            23
 *   50,000               2,479         2,385                    3,752            34
 *   100,000                                                                      52
 *   200,000                                                                     102
 *
 * "one brand": every code the claiming brand's; "other brands": the claiming brand holds 200
 * available codes, the rest are other brands' (100,000 and 200,000: a run of PostgreSQL alone,
 * load average 5). SQLite reads the whole collection either way; PostgreSQL reads the brand's
 * available codes, plus a scan of the table that reaches the budget near 195,000 codes. Each limit
 * is where the fastest claim crosses 100 ms, rounded down to a hundred (a run at load average 14
 * put SQLite's at 1,700 and PostgreSQL's at 1,600: the lower are kept).
 */
export const SLOW_CLAIM_LIMITS: Readonly<Record<DevServerHandler, readonly SlowClaimLimit[]>> = Object.freeze(
  {
    sqlite: [{ scope: 'collection', codes: 1_500 }],
    postgresql: [
      { scope: 'brand', codes: 1_500 },
      { scope: 'collection', codes: 195_000 },
    ],
  },
);

/** The code of the warning a generation answer carries past that size. */
export const DEV_SERVER_SLOW_CLAIMS = 'dev_server_slow_claims';

/** What answered the MongoDB connection: a real MongoDB, or FerretDB (and on what, when known). */
export type DatabaseServer =
  | { readonly kind: 'mongodb'; readonly version: string }
  | {
      readonly kind: 'ferretdb';
      /** FerretDB's own version, e.g. v1.24.2 ("unknown" for a build that did not record one). */
      readonly version: string;
      /** Only tools/ferretdb-dev says which handler it runs; null from any other FerretDB. */
      readonly handler: DevServerHandler | null;
    };

/**
 * Reads a buildInfo answer. FerretDB adds `ferretdbVersion` to it (v1 and v2 alike; `hello`
 * carries no marker), and tools/ferretdb-dev adds `buildEnvironment.ferretdbDevHandler`.
 */
export function databaseServerOf(buildInfo: Readonly<Record<string, unknown>>): DatabaseServer {
  const ferretdbVersion = buildInfo.ferretdbVersion;
  if (typeof ferretdbVersion !== 'string') {
    return {
      kind: 'mongodb',
      version: typeof buildInfo.version === 'string' ? buildInfo.version : 'unknown',
    };
  }
  const environment = buildInfo.buildEnvironment as Record<string, unknown> | undefined;
  const handler = environment?.ferretdbDevHandler;
  return {
    kind: 'ferretdb',
    version: ferretdbVersion,
    handler: handler === 'sqlite' || handler === 'postgresql' ? handler : null,
  };
}

/** FerretDB v2 and later use indexes: only v1 (and a build that says nothing) reads everything. */
function scansWithoutIndexes(version: string): boolean {
  const major = /^v?(\d+)\./.exec(version)?.[1];
  return major === undefined || Number(major) < 2;
}

/**
 * The limits on `server`, the main one first; none where size does not make claims slow
 * (MongoDB, FerretDB v2+). `override` (DEV_SERVER_SLOW_CLAIM_CODES) replaces the main limit's
 * number, on FerretDB only. A FerretDB v1 whose handler is unknown (not ferretdb-dev) gets
 * SQLite's, the stricter: warning too early costs a log line, too late a slow flash sale.
 */
export function slowClaimLimits(server: DatabaseServer, override?: number | null): readonly SlowClaimLimit[] {
  if (server.kind !== 'ferretdb' || !scansWithoutIndexes(server.version)) return [];
  const [main, ...others] = SLOW_CLAIM_LIMITS[server.handler ?? 'sqlite'];
  return [override != null ? { scope: main!.scope, codes: override } : main!, ...others];
}

/** A warning carried by a successful answer: something works now but will not for long. */
export interface ApiWarning {
  readonly code: typeof DEV_SERVER_SLOW_CLAIMS;
  readonly message: string;
}

/**
 * The warning for `codes` codes of the limit's scope (stored, or about to be), or null when
 * claims stay fast at that size. A brand's codes are counted only up to one past the limit (the
 * count costs as much as it reads), so that message says "more than" the limit.
 */
export function slowClaimsWarning(
  server: DatabaseServer,
  limit: SlowClaimLimit,
  codes: number,
  brandId: string,
): ApiWarning | null {
  if (server.kind !== 'ferretdb' || codes <= limit.codes) return null;
  const on = server.handler ? ` on ${server.handler === 'sqlite' ? 'SQLite' : 'PostgreSQL'}` : '';
  const n = (x: number) => x.toLocaleString('en');
  const size =
    limit.scope === 'collection'
      ? `which reads every code of every brand for each claim: with ${n(codes)} codes stored, a claim ` +
        `takes more than ${DEV_SERVER_CLAIM_BUDGET_MS} ms (it serves up to about ${n(limit.codes)} well)`
      : `which reads every available code of a brand for each of its claims: brand ${brandId} has more ` +
        `than ${n(limit.codes)}, past which a claim takes more than ${DEV_SERVER_CLAIM_BUDGET_MS} ms`;
  return {
    code: DEV_SERVER_SLOW_CLAIMS,
    message:
      `The database is the FerretDB dev server (${server.version}${on}), ${size}. The codes were stored; ` +
      'for more, set MONGODB_URI to a real MongoDB.',
  };
}
