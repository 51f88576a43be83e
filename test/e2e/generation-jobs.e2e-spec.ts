/**
 * Generation jobs end to end: real generator processes pulling chunks from a private NATS, real
 * FerretDB. Jobs end with exactly the requested number of new codes, also when a generator is
 * SIGKILLed mid-chunk or NATS restarts mid-job; two generators share a job; cancel; the 201/202
 * threshold on both routes; who may follow a job; expired codes are never handed out.
 */
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { claim, createBrand } from './support/flows';
import type { ApiError, CreatedBrand, LegacyEnvelope } from './support/http';
import { eventually } from './support/poll';

interface Job {
  jobId: string;
  brandId: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  requested: number;
  generated: number;
  chunkCount: number;
  chunksDone: number;
  startedAt: string | null;
  finishedAt: string | null;
  ratePerSecond: number;
}

const INLINE_MAX = 1_000;
const CHUNK = 2_000;

let stack: E2eStack;
let acme: CreatedBrand;
let other: CreatedBrand;

beforeAll(async () => {
  stack = await startE2eStack({
    label: 'jobs',
    requirePrivateNats: true,
    generatorEnv: {
      DEV_OPEN_BRAND_API: undefined,
      LOG_LEVEL: 'debug',
      GENERATION_INLINE_MAX_COUNT: String(INLINE_MAX),
      GENERATION_JOB_CHUNK_SIZE: String(CHUNK),
      // Twenty batches per chunk, so a kill (and a look at the database) can land inside a chunk.
      GENERATION_BATCH_SIZE: '100',
      // Short, so the chunk a killed generator held comes back within the test.
      GENERATION_JOB_ACK_WAIT_SECONDS: '4',
      GENERATION_JOB_STALL_SECONDS: '15',
    },
  });
  acme = await createBrand(stack, { id: 'acme', name: 'Acme' });
  other = await createBrand(stack, { id: 'other', name: 'Other' });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

async function submit(brandId: string, count: number): Promise<Job> {
  const res = await stack.genAdmin.post<Job>(`/v1/brands/${brandId}/codes`, { count });
  expect(res.status).toBe(202);
  expect(res.headers.get('location')).toBe(`/v1/jobs/${res.body.jobId}`);
  return res.body;
}

async function job(jobId: string): Promise<Job> {
  const res = await stack.genAdmin.get<Job>(`/v1/jobs/${jobId}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function untilFinished(jobId: string, timeoutMs = 120_000): Promise<Job> {
  return eventually(
    async () => {
      const current = await job(jobId);
      expect(['completed', 'failed', 'cancelled']).toContain(current.status);
      return current;
    },
    { timeoutMs, intervalMs: 300 },
  );
}

/** How many codes the job stored so far (cheap enough to poll). */
async function countCodes(brandId: string, jobId: string): Promise<number> {
  return (await stack.db()).collection('codes').countDocuments({ brandId, batchId: jobId });
}

/** The job's codes in the database: how many, how many distinct strings. */
async function storedCodes(brandId: string, jobId: string): Promise<{ count: number; distinct: number }> {
  const codes = (await stack.db()).collection('codes');
  const docs = await codes.find({ brandId, batchId: jobId }, { projection: { code: 1 } }).toArray();
  return { count: docs.length, distinct: new Set(docs.map((d) => String(d.code))).size };
}

async function expectExactly(brandId: string, jobId: string, requested: number): Promise<void> {
  const finished = await untilFinished(jobId);
  expect(finished).toMatchObject({ status: 'completed', requested, generated: requested });
  expect(finished.chunksDone).toBe(finished.chunkCount);
  expect(await storedCodes(brandId, jobId)).toEqual({ count: requested, distinct: requested });
}

// Expiry and export first: they need quick claims and reads, and on the dev server (FerretDB,
// no index use) every query scans the whole codes collection, which the job tests fill.
describe('expiry', () => {
  it('expired codes are never handed out (409 when only they remain) and are counted apart', async () => {
    await createBrand(stack, { id: 'fleeting', name: 'Fleeting' });
    const expiry = Date.now() + 5_000;
    const expiresAt = new Date(expiry).toISOString();
    const res = await stack.genAdmin.post('/v1/brands/fleeting/codes', { count: 3, expiresAt });
    expect(res.status).toBe(201);
    const first = await claim(stack, 'fleeting', 'early-bird');
    expect(first.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiry + 500 - Date.now())));
    const late = await claim(stack, 'fleeting', 'late-comer');
    expect(late.status).toBe(409);
    expect(late.body.error).toBe('codes_exhausted');
    const stats = await stack.genAdmin.get('/v1/brands/fleeting/stats');
    expect(stats.body).toMatchObject({ total: 3, claimed: 1, available: 0, expired: 2 });
  }, 60_000);
});

describe('export and listing', () => {
  const csvOf = async (status: string) => {
    const res = await stack.genAdmin.get(`/v1/brands/fleeting/codes.csv?status=${status}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain(`fleeting-codes-${status}.csv`);
    return res.text.trimEnd().split('\r\n');
  };

  it('streams CSV with a header and one line per code, filtered by status', async () => {
    const all = await csvOf('all');
    // The columns from before campaigns and redemptions first, where they always were.
    expect(all[0]).toBe(
      'code,status,claimed_by,claimed_at,expires_at,campaign_id,redeemed_at,order_id,redemption_id',
    );
    expect(all).toHaveLength(4);
    const claimed = await csvOf('claimed');
    expect(claimed).toHaveLength(2);
    expect(claimed[1]).toMatch(/^[^,]+,claimed,early-bird,\d{4}-\d\d-\d\dT[^,]+Z,\d{4}-/);
    expect(await csvOf('expired')).toHaveLength(3);
    expect(await csvOf('available')).toEqual([all[0]]);
    const bad = await stack.genAdmin.get('/v1/brands/fleeting/codes.csv?status=gone');
    expect(bad.status).toBe(400);
    expect((await stack.gen.get('/v1/brands/fleeting/codes.csv', { token: other.apiKey })).status).toBe(403);
    expect((await stack.genAdmin.get('/v1/brands/nobody/codes.csv')).status).toBe(404);
  });

  it('lists codes a page at a time with an opaque cursor', async () => {
    type Page = { items: Array<{ code: string; status: string }>; nextCursor: string | null };
    const first = await stack.genAdmin.get<Page>('/v1/brands/fleeting/codes?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await stack.genAdmin.get<Page>(
      `/v1/brands/fleeting/codes?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const codes = [...first.body.items, ...second.body.items].map((c) => c.code);
    expect(new Set(codes).size).toBe(3);
    expect([...first.body.items, ...second.body.items].map((c) => c.status).sort()).toEqual([
      'claimed',
      'expired',
      'expired',
    ]);
    const bad = await stack.genAdmin.get('/v1/brands/fleeting/codes?cursor=zz');
    expect(bad.status).toBe(400);
  });
});

// Right after: the dev server scans whole collections, and a look at a job's progress must be quick
// enough to land mid-job.
describe('spread and crash-safe', () => {
  it('a generator SIGKILLed mid-chunk: after its restart the job ends with exactly N codes', async () => {
    const requested = 12_000;
    const { jobId } = await submit('acme', requested);
    // Killed mid-chunk: what is stored is not a whole number of chunks (or it would prove little).
    await eventually(
      async () => {
        const count = await countCodes('acme', jobId);
        expect(count % CHUNK).not.toBe(0);
        expect(count).toBeLessThan(requested / 2);
      },
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    try {
      await stack.stopApp('generator', 'SIGKILL');
      expect(await countCodes('acme', jobId)).toBeLessThan(requested);
    } finally {
      await stack.restart('generator');
    }
    await expectExactly('acme', jobId, requested);
  }, 180_000);

  it('NATS stopped and restarted mid-job: the job ends with exactly N codes', async () => {
    const requested = 12_000;
    const { jobId } = await submit('acme', requested);
    // At once: the chunks are in the stream and a worker is on the first (a look at the database
    // first could come back only after the job is done: the dev server serialises its work).
    await stack.stopNats();
    try {
      expect(await countCodes('acme', jobId)).toBeLessThan(requested);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    } finally {
      await stack.startNats();
    }
    await expectExactly('acme', jobId, requested);
  }, 180_000);

  it('two generator processes both work on one job, which ends with exactly N codes', async () => {
    const second = await stack.startExtra('generator');
    try {
      const requested = 12_000;
      const { jobId } = await submit('acme', requested);
      await expectExactly('acme', jobId, requested);
      const chunksBy = (logs: string) =>
        (logs.match(new RegExp(`chunk \\d+ of job ${jobId} stored: recorded`, 'g')) ?? []).length;
      const [first, extra] = [chunksBy(stack.generator.logs()), chunksBy(second.logs())];
      expect(first + extra).toBe(requested / CHUNK);
      expect(first).toBeGreaterThan(0);
      expect(extra).toBeGreaterThan(0);
    } finally {
      await second.stop();
    }
  }, 180_000);
});

describe('201 or 202', () => {
  it('answers 201 with the batch up to the inline limit and 202 with a job above it', async () => {
    const inline = await stack.gen.post(
      '/v1/brands/acme/codes',
      { count: INLINE_MAX },
      { token: acme.apiKey },
    );
    expect(inline.status).toBe(201);
    expect(inline.body).toMatchObject({ requested: INLINE_MAX, generated: INLINE_MAX });

    const queued = await submit('acme', INLINE_MAX + 1);
    expect(queued).toMatchObject({ brandId: 'acme', requested: INLINE_MAX + 1, chunkCount: 1 });
    expect(['queued', 'running', 'completed']).toContain(queued.status);
    await expectExactly('acme', queued.jobId, INLINE_MAX + 1);
    const done = await job(queued.jobId);
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();
    expect(done.ratePerSecond).toBeGreaterThan(0);
  });

  it('the predecessor route answers 202 in its own envelope, with the job id as data', async () => {
    const res = await stack.genAdmin.post<LegacyEnvelope>('/discounts/api/v1.0/generate', {
      brand_id: 77,
      number_of_codes: 2_500,
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ code: '201', status: 'success' });
    expect(res.body.message).toContain(`/v1/jobs/${res.body.data}`);
    await expectExactly('77', res.body.data, 2_500);
  });

  it('refuses a count above GENERATION_MAX_COUNT before creating anything', async () => {
    const res = await stack.genAdmin.post<ApiError>('/v1/brands/acme/codes', { count: 10_000_001 });
    expect(res.status).toBe(400);
  });
});

describe('following a job', () => {
  let jobId: string;
  beforeAll(async () => {
    jobId = (await submit('acme', 1_500)).jobId;
    await untilFinished(jobId);
  });

  it('the job’s brand and the admin may read it; another brand gets 403', async () => {
    expect((await stack.gen.get(`/v1/jobs/${jobId}`, { token: acme.apiKey })).status).toBe(200);
    expect((await stack.gen.get(`/v1/jobs/${jobId}`, { token: other.apiKey })).status).toBe(403);
    expect(
      (await stack.gen.request(`/v1/jobs/${jobId}`, { method: 'DELETE', token: other.apiKey })).status,
    ).toBe(403);
    expect((await stack.gen.get(`/v1/jobs/${jobId}`)).status).toBe(401);
  });

  it('an unknown job is 404, a malformed id 400', async () => {
    const unknown = await stack.genAdmin.get<ApiError>('/v1/jobs/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect((await stack.genAdmin.get('/v1/jobs/not-a-job')).status).toBe(400);
  });

  it('cancelling a finished job is 409 invalid_state', async () => {
    const res = await stack.gen.request<ApiError>(`/v1/jobs/${jobId}`, {
      method: 'DELETE',
      token: acme.apiKey,
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('invalid_state');
  });
});

describe('cancel', () => {
  it('stops a running job; what was stored stays and is what the job reports', async () => {
    const requested = 20_000;
    const { jobId } = await submit('other', requested);
    // At once: a worker is then on the first chunk (waiting for a mid-job count could see it done).
    const res = await stack.gen.request<Job>(`/v1/jobs/${jobId}`, { method: 'DELETE', token: other.apiKey });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    // The chunk in progress stops at its next batch and is counted in `generated` then.
    const settled = await eventually(
      async () => {
        const current = await job(jobId);
        const stored = { count: await countCodes('other', jobId) };
        expect(stored.count).toBe(current.generated);
        return current;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(settled.generated).toBeLessThan(requested);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await countCodes('other', jobId)).toBe(settled.generated);
    expect((await job(jobId)).status).toBe('cancelled');
  }, 120_000);
});
