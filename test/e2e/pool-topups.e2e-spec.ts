/**
 * Pool top-ups over NATS: the provider's pool.low event makes the generator add codes to a brand
 * with auto-replenish; a claim that finds no code asks the generator over request/reply and is
 * answered 201 when codes came, 409 otherwise, within a bounded wait, also when no generator
 * answers (stopped: NATS says "no responders" at once; frozen: the wait runs out).
 */
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { addCodes, claim, createBrand } from './support/flows';
import type { BrandStats } from './support/http';
import { eventually } from './support/poll';

const REPLENISH_WAIT_MS = 2_000;

let stack: E2eStack;

beforeAll(async () => {
  stack = await startE2eStack({
    label: 'pool',
    requirePrivateNats: true,
    generatorEnv: { DEV_OPEN_BRAND_API: undefined, LOG_LEVEL: 'info', REPLENISH_COOLDOWN_MS: '1000' },
    providerEnv: {
      LOG_LEVEL: 'info',
      POOL_LOW_CHECK_EVERY_CLAIMS: '2',
      BRAND_SETTINGS_CACHE_MS: '0',
      REPLENISH_WAIT_MS: String(REPLENISH_WAIT_MS),
    },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

async function stats(brandId: string): Promise<BrandStats> {
  const res = await stack.genAdmin.get<BrandStats>(`/v1/brands/${brandId}/stats`);
  expect(res.status).toBe(200);
  return res.body;
}

const logLines = (app: 'generator' | 'provider', pattern: RegExp) =>
  stack[app]
    .logs()
    .split('\n')
    .filter((line) => pattern.test(line));

describe('pool.low → auto-replenish', () => {
  it('falling below the threshold makes the generator add autoReplenish.count codes, once', async () => {
    await createBrand(stack, {
      id: 'lowpool',
      name: 'Low pool',
      poolLowThreshold: 5,
      autoReplenish: { enabled: true, count: 20 },
    });
    await addCodes(stack, 'lowpool', 10);
    for (let i = 0; i < 6; i++) expect((await claim(stack, 'lowpool', `low-${i}`)).status).toBe(201);

    await eventually(async () => expect(await stats('lowpool')).toMatchObject({ total: 30, available: 24 }), {
      timeoutMs: 15_000,
    });
    expect(logLines('provider', /brand lowpool is low on codes/)).toHaveLength(1);
    expect(
      logLines('generator', /replenished brand lowpool \(pool_low\): 20 of 20 codes added/),
    ).toHaveLength(1);

    // Above the threshold again: more claims bring no more codes.
    for (let i = 6; i < 9; i++) expect((await claim(stack, 'lowpool', `low-${i}`)).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await stats('lowpool')).toMatchObject({ total: 30, available: 21 });
  }, 60_000);

  it('a brand without auto-replenish is told about (pool.low) but gets no codes', async () => {
    await createBrand(stack, { id: 'lowonly', name: 'Low only', poolLowThreshold: 3 });
    await addCodes(stack, 'lowonly', 4);
    for (let i = 0; i < 3; i++) expect((await claim(stack, 'lowonly', `lo-${i}`)).status).toBe(201);
    await eventually(
      () => Promise.resolve(expect(logLines('provider', /brand lowonly is low on codes/)).toHaveLength(1)),
      {
        timeoutMs: 10_000,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await stats('lowonly')).toMatchObject({ total: 4, available: 1 });
    expect(logLines('generator', /replenished brand lowonly/)).toEqual([]);
  });
});

describe('exhaustion → replenish over request/reply', () => {
  it('a claim that finds no code gets one once the generator added codes: 201, not 409', async () => {
    await createBrand(stack, { id: 'dry', name: 'Dry', autoReplenish: { enabled: true, count: 5 } });
    await addCodes(stack, 'dry', 2);
    expect((await claim(stack, 'dry', 'dry-1')).status).toBe(201);
    expect((await claim(stack, 'dry', 'dry-2')).status).toBe(201);
    const third = await claim(stack, 'dry', 'dry-3');
    expect(third.status).toBe(201);
    expect(third.body.brandId).toBe('dry');
    expect(await stats('dry')).toMatchObject({ total: 7, claimed: 3, available: 4 });
    expect(logLines('provider', /replenish dry: replenished, 5 codes added/)).toHaveLength(1);
  });

  it('a brand without auto-replenish answers 409 at once, without asking the generator', async () => {
    await createBrand(stack, { id: 'closed', name: 'Closed' });
    await addCodes(stack, 'closed', 1);
    expect((await claim(stack, 'closed', 'closed-1')).status).toBe(201);
    const started = Date.now();
    const refused = await claim(stack, 'closed', 'closed-2');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'codes_exhausted' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(logLines('provider', /replenish closed/)).toEqual([]);
  });

  it('a generator that does not answer (frozen) costs a bounded wait, then 409 and a clear error in the log', async () => {
    await createBrand(stack, { id: 'frozen', name: 'Frozen', autoReplenish: { enabled: true, count: 5 } });
    await addCodes(stack, 'frozen', 1);
    expect((await claim(stack, 'frozen', 'frozen-1')).status).toBe(201);
    // Stopped, not killed: its NATS subscription stays, so the request is taken and never answered.
    expect(stack.generator.kill('SIGSTOP')).toBe(true);
    try {
      const started = Date.now();
      const refused = await claim(stack, 'frozen', 'frozen-2', 10_000);
      const took = Date.now() - started;
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ error: 'codes_exhausted' });
      expect(took).toBeGreaterThanOrEqual(REPLENISH_WAIT_MS - 100);
      expect(took).toBeLessThan(REPLENISH_WAIT_MS + 2_000);
    } finally {
      stack.generator.kill('SIGCONT');
    }
    expect(
      logLines(
        'provider',
        /brand frozen ran out of codes and could not be replenished: no generator answered in time/,
      ),
    ).toHaveLength(1);
  });

  it('with no generator running, NATS says so at once: 409 right away, and the log says why', async () => {
    await createBrand(stack, { id: 'orphan', name: 'Orphan', autoReplenish: { enabled: true, count: 5 } });
    await addCodes(stack, 'orphan', 1);
    expect((await claim(stack, 'orphan', 'orphan-1')).status).toBe(201);
    await stack.stopApp('generator');
    const started = Date.now();
    const refused = await claim(stack, 'orphan', 'orphan-2');
    expect(refused.status).toBe(409);
    expect(Date.now() - started).toBeLessThan(REPLENISH_WAIT_MS);
    expect(
      logLines(
        'provider',
        /brand orphan ran out of codes and could not be replenished: no generator is subscribed/,
      ),
    ).toHaveLength(1);
    // Nothing went wrong beyond the 409: the provider still serves.
    expect((await stack.prov.get('/health/live')).status).toBe(200);
    await stack.restart('generator');
  }, 60_000);
});
