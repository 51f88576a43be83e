import {
  databaseServerOf,
  DEV_SERVER_SLOW_CLAIMS,
  SLOW_CLAIM_LIMITS,
  slowClaimLimits,
  slowClaimsWarning,
  type DatabaseServer,
} from './slow-claims';

/** buildInfo as MongoDB 7 and ferretdb-dev (FerretDB v1.24.2) answer it, trimmed. */
const MONGODB_BUILD_INFO = { version: '7.0.14', gitVersion: 'ce59cfc6', modules: [], ok: 1 };
const ferretdbBuildInfo = (handler?: string, version = 'v1.24.2') => ({
  version: '7.0.42',
  gitVersion: 'unknown',
  buildEnvironment: handler ? { ferretdbDevHandler: handler } : {},
  ferretdbVersion: version,
  ferretdbFeatures: { aggregationStages: ['$match'] },
  ok: 1,
});

const sqlite: DatabaseServer = { kind: 'ferretdb', version: 'v1.24.2', handler: 'sqlite' };
const postgresql: DatabaseServer = { kind: 'ferretdb', version: 'v1.24.2', handler: 'postgresql' };

describe('databaseServerOf', () => {
  it('tells MongoDB by the absence of ferretdbVersion', () => {
    expect(databaseServerOf(MONGODB_BUILD_INFO)).toEqual({ kind: 'mongodb', version: '7.0.14' });
  });

  it.each(['sqlite', 'postgresql'] as const)('reads the handler ferretdb-dev reports (%s)', (handler) => {
    expect(databaseServerOf(ferretdbBuildInfo(handler))).toEqual({
      kind: 'ferretdb',
      version: 'v1.24.2',
      handler,
    });
  });

  it.each([
    ['no buildEnvironment entry (another FerretDB build)', undefined],
    ['an unknown handler name', 'mysql'],
  ])('leaves the handler unknown with %s', (_, handler) => {
    expect(databaseServerOf(ferretdbBuildInfo(handler))).toMatchObject({ kind: 'ferretdb', handler: null });
  });
});

describe('slowClaimLimits', () => {
  it('are none on MongoDB, whatever the override', () => {
    expect(slowClaimLimits({ kind: 'mongodb', version: '7.0.14' })).toEqual([]);
    expect(slowClaimLimits({ kind: 'mongodb', version: '7.0.14' }, 5)).toEqual([]);
  });

  it('are none on FerretDB v2, which finds documents through indexes', () => {
    expect(slowClaimLimits({ kind: 'ferretdb', version: 'v2.1.0', handler: null }, 5)).toEqual([]);
  });

  it("are the handler's: SQLite counts the collection; PostgreSQL the brand, then the collection", () => {
    expect(slowClaimLimits(sqlite).map((l) => l.scope)).toEqual(['collection']);
    expect(slowClaimLimits(postgresql).map((l) => l.scope)).toEqual(['brand', 'collection']);
    expect(slowClaimLimits(postgresql)).toEqual(SLOW_CLAIM_LIMITS.postgresql);
    // A PostgreSQL table holds many brands' codes before its scan alone is slow.
    expect(SLOW_CLAIM_LIMITS.postgresql[1]!.codes).toBeGreaterThan(
      50 * SLOW_CLAIM_LIMITS.postgresql[0]!.codes,
    );
  });

  it("are SQLite's, the stricter, for a FerretDB v1 of unknown handler or version", () => {
    for (const version of ['v1.24.2', 'unknown']) {
      expect(slowClaimLimits({ kind: 'ferretdb', version, handler: null })).toEqual(SLOW_CLAIM_LIMITS.sqlite);
    }
  });

  it('take the override (DEV_SERVER_SLOW_CLAIM_CODES) for the main limit only, keeping its scope', () => {
    expect(slowClaimLimits(postgresql, 50)).toEqual([
      { scope: 'brand', codes: 50 },
      SLOW_CLAIM_LIMITS.postgresql[1],
    ]);
    expect(slowClaimLimits(sqlite, null)).toEqual(SLOW_CLAIM_LIMITS.sqlite);
  });
});

describe('slowClaimsWarning', () => {
  const collection = { scope: 'collection', codes: 1_000 } as const;
  const brand = { scope: 'brand', codes: 100_000 } as const;

  it('says nothing up to the limit, and warns one code past it', () => {
    expect(slowClaimsWarning(sqlite, collection, 1_000, 'acme')).toBeNull();
    expect(slowClaimsWarning(sqlite, collection, 1_001, 'acme')?.code).toBe(DEV_SERVER_SLOW_CLAIMS);
  });

  it('names the server, what is counted, the size it serves well and MONGODB_URI', () => {
    const onSqlite = slowClaimsWarning(sqlite, collection, 12_345, 'acme')!.message;
    expect(onSqlite).toContain('FerretDB dev server (v1.24.2 on SQLite)');
    expect(onSqlite).toContain('every code of every brand for each claim: with 12,345 codes stored');
    expect(onSqlite).toContain('about 1,000 well');
    expect(onSqlite).toContain('set MONGODB_URI to a real MongoDB');

    // A brand's codes are counted only up to one past the limit: "more than" the limit.
    const onPostgresql = slowClaimsWarning(postgresql, brand, 100_001, 'acme')!.message;
    expect(onPostgresql).toContain('(v1.24.2 on PostgreSQL)');
    expect(onPostgresql).toContain(
      'brand acme has more than 100,000, past which a claim takes more than 100 ms',
    );
    expect(onPostgresql).toContain('set MONGODB_URI to a real MongoDB');
  });

  it('never warns on MongoDB, however large', () => {
    expect(slowClaimsWarning({ kind: 'mongodb', version: '7.0.14' }, collection, 1e9, 'acme')).toBeNull();
  });
});
