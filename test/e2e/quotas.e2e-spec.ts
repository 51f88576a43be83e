/**
 * Per-brand quotas end to end, over real sockets, real FerretDB and NATS: a brand at
 * BRAND_MAX_CODES gets 409 quota_exceeded on every way in (inline, job, import, the predecessor's
 * route) and nothing changes; a job beyond BRAND_MAX_CONCURRENT_JOBS gets 429 until one has
 * finished; an export beyond BRAND_MAX_CONCURRENT_EXPORTS gets 429, and its slot comes back when
 * an export completes and when a client drops one mid-stream. Each part runs the generator with
 * its own small limits (a restart between parts).
 */
import { connect, type Socket } from 'node:net';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { createBrand } from './support/flows';
import type { ApiError, BrandStats, CreatedBrand, LegacyEnvelope } from './support/http';
import { eventually } from './support/poll';

let stack: E2eStack;

beforeAll(async () => {
  stack = await startE2eStack({
    label: 'quotas',
    requirePrivateNats: true,
    generatorEnv: { BRAND_MAX_CODES: '500', GENERATION_INLINE_MAX_COUNT: '200' },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const auth = (brand: CreatedBrand) => ({ token: brand.apiKey });

async function stats(brand: CreatedBrand): Promise<BrandStats> {
  const res = await stack.gen.get<BrandStats>(`/v1/brands/${brand.brandId}/stats`, auth(brand));
  expect(res.status).toBe(200);
  return res.body;
}

function generate(brand: CreatedBrand, count: number, timeoutMs = 60_000) {
  return stack.gen.post<ApiError & { jobId?: string }>(
    `/v1/brands/${brand.brandId}/codes`,
    { count },
    { ...auth(brand), timeoutMs },
  );
}

describe('stored codes (BRAND_MAX_CODES=500)', () => {
  let full: CreatedBrand;

  beforeAll(async () => {
    // A numeric id: the predecessor's route takes brand ids as numbers.
    full = await createBrand(stack, { id: '4242', name: 'Full' });
    expect((await generate(full, 200)).status).toBe(201);
    expect((await generate(full, 200)).status).toBe(201);
    expect((await generate(full, 50)).status).toBe(201);
  }, 60_000);

  it('answers 409 quota_exceeded naming the limit and what remains, and stores nothing', async () => {
    const before = await stats(full);
    expect(before.total).toBe(450);
    const res = await generate(full, 51);
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('quota_exceeded');
    expect(res.body.message).toContain('at most 500 codes (BRAND_MAX_CODES)');
    expect(res.body.message).toContain('50 more fit, not 51');
    expect(res.body.details).toMatchObject({ limit: 500, stored: 450, remaining: 50, requested: 51 });
    expect(await stats(full)).toEqual(before);
  });

  it('lets the brand fill up to the limit exactly, then refuses a single code', async () => {
    expect((await generate(full, 50)).status).toBe(201);
    const before = await stats(full);
    expect(before.total).toBe(500);
    const res = await generate(full, 1);
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('no more fit, not 1');
    expect(await stats(full)).toEqual(before);
  });

  it('refuses a job, an import and the predecessor’s route the same way, recording nothing', async () => {
    const before = await stats(full);
    // Above GENERATION_INLINE_MAX_COUNT: a job, refused before any chunk is queued.
    const job = await generate(full, 300);
    expect(job.status).toBe(409);
    expect(job.body.error).toBe('quota_exceeded');
    const jobs = await (await stack.db()).collection('generation_jobs').countDocuments({ brandId: '4242' });
    expect(jobs).toBe(0);

    const imported = await stack.gen.request<ApiError>(`/v1/brands/${full.brandId}/codes/import`, {
      method: 'POST',
      rawBody: 'code\nQUOTA-IMPORT-0001\n',
      contentType: 'text/csv',
      ...auth(full),
    });
    expect(imported.status).toBe(409);
    expect(imported.body.error).toBe('quota_exceeded');

    const legacy = await stack.gen.post<LegacyEnvelope>(
      '/discounts/api/v1.0/generate',
      { brand_id: 4242, number_of_codes: 5 },
      auth(full),
    );
    expect(legacy.status).toBe(409);
    expect(legacy.body).toMatchObject({ code: '409', status: 'error' });
    expect(legacy.body.message).toContain('BRAND_MAX_CODES');
    expect(await stats(full)).toEqual(before);
  });

  it('takes back an import that goes over part-way: all of it or none', async () => {
    const roomy = await createBrand(stack, { id: 'roomy', name: 'Roomy' });
    expect((await generate(roomy, 200)).status).toBe(201);
    expect((await generate(roomy, 200)).status).toBe(201);
    const lines = Array.from({ length: 150 }, (_, i) => `ROOMY-${String(i).padStart(4, '0')}`);
    const res = await stack.gen.request<ApiError>(`/v1/brands/roomy/codes/import`, {
      method: 'POST',
      rawBody: `code\n${lines.join('\n')}\n`,
      contentType: 'text/csv',
      ...auth(roomy),
    });
    expect(res.status).toBe(409);
    expect(res.body.details).toMatchObject({ limit: 500, stored: 400, remaining: 100, kept: 0 });
    // What it had stored when it went over, not a count it asked for: the rest was not read.
    expect(res.body.details).not.toHaveProperty('requested');
    expect(res.body.details?.imported).toBeGreaterThan(100);
    expect(res.body.message).toContain('was taken back: nothing was kept');
    expect((await stats(roomy)).total).toBe(400);
  });
});

describe('generation jobs at once (BRAND_MAX_CONCURRENT_JOBS=2)', () => {
  let busy: CreatedBrand;
  const started: string[] = [];

  beforeAll(async () => {
    await stack.restart('generator', {
      env: {
        BRAND_MAX_CODES: 'off',
        BRAND_MAX_CONCURRENT_JOBS: '2',
        GENERATION_INLINE_MAX_COUNT: '100',
        GENERATION_JOB_CHUNK_SIZE: '1000',
        GENERATION_BATCH_SIZE: '100',
      },
    });
    busy = await createBrand(stack, { id: 'busy', name: 'Busy' });
  }, 120_000);

  afterAll(async () => {
    // Whatever is still running stops here (a 409 for those already finished).
    for (const jobId of started) {
      await stack.gen.request(`/v1/jobs/${jobId}`, { method: 'DELETE', ...auth(busy) });
    }
  }, 60_000);

  const jobOf = async (jobId: string) =>
    (await stack.gen.get<{ status: string }>(`/v1/jobs/${jobId}`, auth(busy))).body.status;
  const cancel = async (jobId: string) =>
    expect((await stack.gen.request(`/v1/jobs/${jobId}`, { method: 'DELETE', ...auth(busy) })).status).toBe(
      200,
    );
  const submit = async (count: number, expected: number) => {
    const res = await generate(busy, count);
    expect(res.status).toBe(expected);
    if (res.body.jobId) started.push(res.body.jobId);
    return res;
  };

  it('answers a third job 429 too_many_jobs with Retry-After, and takes it once one has finished', async () => {
    // Far too large to finish during the test: the two stay queued or running until cancelled.
    const first = await submit(100_000, 202);
    const second = await submit(100_000, 202);

    const third = await submit(2_000, 429);
    expect(third.body.error).toBe('too_many_jobs');
    expect(third.body.message).toContain('BRAND_MAX_CONCURRENT_JOBS=2');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Nothing recorded for the refused job.
    expect(await (await stack.db()).collection('generation_jobs').countDocuments({ brandId: 'busy' })).toBe(
      2,
    );

    // A cancelled job is finished: its slot is free at once.
    await cancel(first.body.jobId!);
    const small = await submit(2_000, 202);
    expect((await submit(2_000, 429)).body.error).toBe('too_many_jobs');

    // A completed one too. The small job's chunks wait behind the big one's: cancel that first.
    await cancel(second.body.jobId!);
    await eventually(async () => expect(await jobOf(small.body.jobId!)).toBe('completed'), {
      timeoutMs: 120_000,
      intervalMs: 300,
    });
    await submit(2_000, 202);
  }, 180_000);
});

/** An export whose client reads its first bytes, then stops reading: it stays in progress. */
interface HeldExport {
  readonly status: number;
  readonly socket: Socket;
}

function holdExport(brand: CreatedBrand): Promise<HeldExport> {
  const { hostname, port } = new URL(stack.generator.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('error', reject);
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1]), socket });
    });
    socket.write(
      `GET /v1/brands/${brand.brandId}/codes.csv HTTP/1.1\r\nHost: ${hostname}\r\n` +
        `Authorization: Bearer ${brand.apiKey}\r\nConnection: close\r\n\r\n`,
    );
  });
}

/** Reads the rest of a held export to its end. */
function finish(held: HeldExport): Promise<void> {
  return new Promise((resolve) => {
    held.socket.on('data', () => undefined);
    held.socket.once('close', () => resolve());
    held.socket.resume();
  });
}

describe('CSV exports at once (BRAND_MAX_CONCURRENT_EXPORTS=2)', () => {
  let big: CreatedBrand;
  let small: CreatedBrand;
  const held: HeldExport[] = [];

  beforeAll(async () => {
    await stack.restart('generator', {
      env: {
        BRAND_MAX_CODES: 'off',
        BRAND_MAX_CONCURRENT_EXPORTS: '2',
        GENERATION_INLINE_MAX_COUNT: '50000',
      },
    });
    big = await createBrand(stack, { id: 'exports', name: 'Exports' });
    small = await createBrand(stack, { id: 'tiny', name: 'Tiny' });
    // Long codes with an expiry: ~90 bytes a row, 7 MB in all, more than the two sockets of a
    // held export can buffer (Linux: up to 4 MiB sent, ~128 KiB received while nobody reads), so
    // an export stays in progress until its client reads, whatever the database's speed.
    for (let i = 0; i < 4; i++) {
      const res = await stack.gen.post(
        `/v1/brands/exports/codes`,
        { count: 20_000, length: 32, prefix: `EXPORT${i}-`, expiresAt: '2099-01-01T00:00:00.000Z' },
        { ...auth(big), timeoutMs: 120_000 },
      );
      expect(res.status).toBe(201);
    }
    expect((await generate(small, 3)).status).toBe(201);
  }, 240_000);

  afterAll(() => {
    for (const { socket } of held) socket.destroy();
  });

  const exportOf = (brand: CreatedBrand) =>
    stack.gen.get<ApiError>(`/v1/brands/${brand.brandId}/codes.csv`, { ...auth(brand), timeoutMs: 60_000 });

  /** Both slots of the big brand, taken by exports that stay in progress; retried while slots free up. */
  async function holdBoth(): Promise<void> {
    for (let i = 0; i < 2; i++) {
      held.push(
        await eventually(async () => {
          const res = await holdExport(big);
          if (res.status !== 200) res.socket.destroy();
          expect(res.status).toBe(200);
          return res;
        }),
      );
    }
  }

  /** A third export, at once: refused while the two held ones are in progress. */
  async function expectFull(): Promise<void> {
    const third = await exportOf(big);
    expect(third.status).toBe(429);
    expect(third.body.error).toBe('too_many_exports');
  }

  it('answers a third export 429 too_many_exports with Retry-After; other brands are not held up', async () => {
    await holdBoth();
    const third = await exportOf(big);
    expect(third.status).toBe(429);
    expect(third.body.error).toBe('too_many_exports');
    expect(third.body.message).toContain('BRAND_MAX_CONCURRENT_EXPORTS=2');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await exportOf(small)).status).toBe(200);
  }, 120_000);

  it('gives the slots back when exports complete', async () => {
    // Read to the end: each export completes, and its slot comes back (else no two fit again).
    await Promise.all(held.splice(0).map((h) => finish(h)));
    await holdBoth();
    await expectFull();
  }, 180_000);

  it('gives the slots back when clients drop exports mid-stream', async () => {
    const logsBefore = stack.generator.logs().split('ended early').length;
    for (const { socket } of held.splice(0)) socket.destroy();
    // The generator saw the streams cut short, not completed...
    await eventually(() =>
      Promise.resolve().then(() =>
        expect(stack.generator.logs().split('ended early').length - logsBefore).toBe(2),
      ),
    );
    // ...and both slots are free again.
    await holdBoth();
    await expectFull();
  }, 180_000);
});
