/**
 * Two provider processes, each with its normal connection pool, claiming from one database at the
 * same time: what two replicas, or the old and new pod of a rolling upgrade, do. Against the dev
 * server this holds because the server itself runs commands one at a time (tools/ferretdb-dev);
 * test/integration/dev-server-serialization.int-spec.ts shows the race without it. Run on the test
 * stack's database and on a dev server of the other storage (SQLite when the stack's is on
 * PostgreSQL, else PostgreSQL), so both of the dev server's storages are covered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { userToken } from './support/jwt';
import { auditAnswer, claim, CLAIM_TIMEOUT_MS, expectCleanAudit, histogram } from './support/claims';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { client, request, type Client, type CreatedBrand } from './support/http';
import { sumOf } from '../support/prometheus-text';
import { requirePostgresql, startFerretDb, stopPid, testStack } from '../support/stack';
import type { AppHandle } from '../../tools/devstack';

const ROUNDS = 5;
const CODES = 400;
const USERS = 500;
/** The provider's own default pool (apps/provider/src/provider.module.ts). */
const PROVIDER_POOL = 50;

type Database = { uri: string; isFerretDb: boolean; stop(): Promise<unknown> };

const stackOnPostgresql = () => testStack().ferretDbHandler === 'postgresql';

/** A dev server on the storage the test stack's is not on, started for this spec. */
async function devServerOnOtherStorage(): Promise<Database> {
  const dataDir = mkdtempSync(join(tmpdir(), 'replicas-other-'));
  const server = stackOnPostgresql()
    ? await startFerretDb({ dataDir })
    : await startFerretDb({
        dataDir,
        postgresqlUrl: await requirePostgresql(),
        postgresqlDatabase: 'temporary',
      });
  return {
    uri: server.uri,
    isFerretDb: true,
    stop: async () => {
      await stopPid(server.record);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe.each([
  ["the test stack's database", undefined],
  ['a dev server on the other storage', devServerOnOtherStorage],
] as const)('two provider processes with normal pools against %s', (label, startDatabase) => {
  let database: Database | undefined;
  let stack: E2eStack;
  let second: AppHandle;
  let providers: Client[];

  beforeAll(async () => {
    database = await startDatabase?.();
    stack = await startE2eStack({
      label: startDatabase ? 'replicas_other' : 'replicas',
      mongodb: database,
      generatorEnv: { DEV_OPEN_BRAND_API: undefined },
      // The last of 500 claims waits for all the others on the one-command-at-a-time dev server;
      // on a busy machine that can pass the default 120 s of silence after which a socket closes.
      providerEnv: { HTTP_CONNECTION_TIMEOUT_MS: String(CLAIM_TIMEOUT_MS) },
    });
    second = await stack.startExtra('provider');
    providers = [stack.prov, client(second.url)];
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await database?.stop();
  }, 60_000);

  async function brandWithCodes(id: string, count: number): Promise<void> {
    const brand = await stack.genAdmin.post<CreatedBrand>('/v1/brands', { id, name: id });
    expect(brand.status).toBe(201);
    const batch = await stack.genAdmin.post(`/v1/brands/${id}/codes`, { count }, { timeoutMs: 60_000 });
    expect(batch.status).toBe(201);
  }

  it('each provider runs its normal pool: no single-connection special case', async () => {
    for (const app of [stack.provider, second]) {
      const res = await request(app.url, '/metrics', { headers: { accept: 'text/plain' } });
      expect(sumOf(res.text, 'discounts_mongodb_pool_max_size')).toBe(PROVIDER_POOL);
      expect(app.logs()).not.toContain('single connection');
    }
  });

  for (let round = 1; round <= ROUNDS; round++) {
    it(
      `${label}, round ${round}/${ROUNDS}: ${USERS} users for ${CODES} codes, half on each provider: ` +
        `${CODES} distinct codes, ${USERS - CODES} × 409, the claim audit clean`,
      async () => {
        const brandId = `replicas-${round}`;
        await brandWithCodes(brandId, CODES);
        const users = Array.from({ length: USERS }, (_, i) => `${brandId}-user-${i}`);
        const tokens = await Promise.all(users.map((u) => userToken(u)));

        const answers = await Promise.all(tokens.map((t, i) => claim(providers[i % 2]!, brandId, t)));

        expect(histogram(answers)).toEqual({ 201: CODES, 409: USERS - CODES });
        const won = answers.filter((a) => a.status === 201);
        expect(new Set(won.map((a) => a.body.code)).size).toBe(CODES);
        // Both processes handed out codes: the race, if any, had its chance.
        for (const parity of [0, 1]) {
          expect(answers.filter((a, i) => i % 2 === parity && a.status === 201).length).toBeGreaterThan(0);
        }
        const totals = await expectCleanAudit(
          await stack.db(),
          brandId,
          CODES,
          answers.map((a, i) => auditAnswer(brandId, users[i]!, a)),
        );
        expect(totals).toMatchObject({
          claimed: CODES,
          available: 0,
          answers: { created: CODES, exhausted: USERS - CODES, failed: 0 },
        });
        // The dev server reads the whole collection per claim: keep the next round as cheap.
        await (await stack.db()).collection('codes').deleteMany({ brandId });
      },
      CLAIM_TIMEOUT_MS + 60_000,
    );
  }
});
