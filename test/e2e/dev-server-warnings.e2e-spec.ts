/**
 * The dev server says where it stops: once a generation, a job or an import takes the codes that
 * a claim reads past the size at which the FerretDB dev server's claims get slow (every code of
 * the collection on SQLite, the brand's available codes on PostgreSQL), the answer still succeeds
 * and carries `warnings: [{code: 'dev_server_slow_claims', …}]` on v1, a log line names it on every
 * route, and the predecessor's answer keeps its exact shape. The measured sizes are thousands of
 * codes; DEV_SERVER_SLOW_CLAIM_CODES=50 stands in for them. On a real MongoDB (MONGODB_URI) the
 * same requests must carry no warning and log none.
 */
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { createBrand } from './support/flows';
import type { LegacyEnvelope } from './support/http';
import { eventually } from './support/poll';
import { testStack } from '../support/stack';

const THRESHOLD = 50;
const INLINE_MAX = 30;
const WARNING = 'dev_server_slow_claims';
const LOG_LINE = /The database is the FerretDB dev server .*set MONGODB_URI to a real MongoDB/;

interface Warned {
  warnings?: Array<{ code: string; message: string }>;
}

/** What a claim reads on this stack's database: decides which request warns, and of what count. */
const handler = testStack().ferretDbHandler;
const scope = handler === null ? null : handler === 'postgresql' ? 'brand' : 'collection';
let stack: E2eStack;

beforeAll(async () => {
  stack = await startE2eStack({
    label: 'devwarn',
    generatorEnv: {
      DEV_SERVER_SLOW_CLAIM_CODES: String(THRESHOLD),
      GENERATION_INLINE_MAX_COUNT: String(INLINE_MAX),
      GENERATION_JOB_CHUNK_SIZE: '100',
    },
  });
  if (!scope) {
    process.stderr.write(
      '[e2e devwarn] MONGODB_URI is set: checking that NO warning is given; the dev server cases need ' +
        'MONGODB_URI unset\n',
    );
  }
  await createBrand(stack, { id: 'alpha', name: 'Alpha' });
  await createBrand(stack, { id: 'beta', name: 'Beta' });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const warningLines = () =>
  stack.generator
    .logs()
    .split('\n')
    .filter((line) => LOG_LINE.test(line));

const generate = (brandId: string, count: number) =>
  stack.genAdmin.post<Warned & { generated?: number; jobId?: string }>(
    `/v1/brands/${brandId}/codes`,
    { count },
    { timeoutMs: 60_000 },
  );

/** Codes stored so far, all brands together and per brand (none claimed here). */
const stored = { all: 0, alpha: 0, beta: 0 };

/** The count a claim reads after adding `count` codes to `brandId`'s. */
function add(brandId: 'alpha' | 'beta', count: number): number {
  stored.all += count;
  stored[brandId] += count;
  return scope === 'brand' ? stored[brandId] : stored.all;
}

/** The answer warns exactly when the dev server's count is past THRESHOLD, naming the count. */
function expectWarningFor(body: Warned, count: number): void {
  if (!scope || count <= THRESHOLD) {
    expect(body).not.toHaveProperty('warnings');
    return;
  }
  expect(body.warnings).toEqual([{ code: WARNING, message: expect.stringMatching(LOG_LINE) as unknown }]);
  // A brand's codes are counted only up to one past the limit; the collection's exactly.
  expect(body.warnings![0]!.message).toContain(
    scope === 'brand'
      ? `has more than ${THRESHOLD}, past which`
      : `with ${count.toLocaleString('en')} codes stored`,
  );
}

it('answers generations that stay within the size without a warning', async () => {
  for (const [brandId, count] of [
    ['alpha', 20],
    ['beta', 25],
  ] as const) {
    const res = await generate(brandId, count);
    expect(res.status).toBe(201);
    expect(add(brandId, count)).toBeLessThanOrEqual(THRESHOLD);
    expect(res.body).not.toHaveProperty('warnings');
  }
  expect(warningLines()).toEqual([]);
});

it('warns, and stores the codes all the same, once a generation takes the count past the size', async () => {
  const res = await generate('beta', 30);
  expect(res.status).toBe(201);
  expect(res.body.generated).toBe(30);
  expectWarningFor(res.body, add('beta', 30)); // 75 codes in all, 55 of beta
  const stats = await stack.genAdmin.get<{ total: number }>('/v1/brands/beta/stats');
  expect(stats.body.total).toBe(55);
  // The app logs before it answers, but its output reaches this process through a pipe.
  if (scope) await eventually(() => Promise.resolve(expect(warningLines()).toHaveLength(1)));
});

it('counts what a claim reads: every brand on SQLite, the brand alone on PostgreSQL', async () => {
  const res = await generate('alpha', 10);
  expect(res.status).toBe(201);
  const count = add('alpha', 10); // 85 codes in all, 30 of alpha
  expectWarningFor(res.body, count);
  if (scope === 'brand') expect(res.body).not.toHaveProperty('warnings');
  if (scope === 'collection') expect(res.body.warnings).toHaveLength(1);
});

it('warns on the 202 of a job by the codes it will store, not on its progress reports', async () => {
  const res = await generate('alpha', INLINE_MAX + 1);
  expect(res.status).toBe(202);
  expectWarningFor(res.body, add('alpha', INLINE_MAX + 1));
  const done = await eventually(
    async () => {
      const job = await stack.genAdmin.get<Warned & { status: string }>(`/v1/jobs/${res.body.jobId}`);
      expect(job.body.status).toBe('completed');
      return job;
    },
    { timeoutMs: 60_000 },
  );
  expect(done.body).not.toHaveProperty('warnings');
}, 90_000);

it('warns on an import', async () => {
  const res = await stack.genAdmin.request<Warned & { accepted: number }>('/v1/brands/alpha/codes/import', {
    method: 'POST',
    rawBody: 'code\nDEVWARN-0001\nDEVWARN-0002\n',
    contentType: 'text/csv',
  });
  expect(res.status).toBe(201);
  expect(res.body.accepted).toBe(2);
  expectWarningFor(res.body, add('alpha', 2));
});

it('only logs it on the predecessor’s route, whose answers keep their exact shape', async () => {
  const before = warningLines().length;
  // Brand 7 gets twice INLINE_MAX codes (60), past the size whatever is counted: on SQLite both
  // answers come past it (the collection already is), on PostgreSQL the second only.
  for (let call = 0; call < 2; call++) {
    const res = await stack.genAdmin.post<LegacyEnvelope>('/discounts/api/v1.0/generate', {
      brand_id: 7,
      number_of_codes: INLINE_MAX,
    });
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({
      code: '201',
      data: '',
      message: 'System generated discount codes successfully',
      status: 'success',
    });
  }
  const expected = scope === 'collection' ? 2 : scope === 'brand' ? 1 : 0;
  if (expected > 0) {
    await eventually(() => Promise.resolve(expect(warningLines().length - before).toBe(expected)));
  } else {
    expect(warningLines()).toEqual([]);
  }
});
