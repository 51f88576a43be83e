/**
 * The listings end to end, over real sockets: every brand for the admin (pages, a literal name
 * prefix, never a key or a webhook secret, 403 for a brand key); a brand's generation jobs newest
 * first by status; the brand's codes listed and exported by batch, job, campaign and status, the
 * redemption columns appended to the CSV.
 *
 * The redeemed code is written straight into the database, as CodeRedemptionsRepository.redeem
 * stores one: what is tested here is how listings show it, not how it got there.
 */
import { randomUUID } from 'node:crypto';
import { newRedemptionId } from '@app/contracts';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { claim, createBrand } from './support/flows';
import type { ApiError, ApiResponse, Brand } from './support/http';
import { eventually } from './support/poll';
import { LOCAL_RECEIVER_ENV } from './support/webhook-receiver';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface Job {
  jobId: string;
  brandId: string;
  status: string;
  requested: number;
  generated: number;
}

interface CodeRow {
  code: string;
  status: string;
  claimedBy: string | null;
  campaignId: string;
  redeemedAt: string | null;
  orderId: string | null;
  redemptionId: string | null;
}

const OLD_CSV_HEADER = 'code,status,claimed_by,claimed_at,expires_at';
const CSV_HEADER = `${OLD_CSV_HEADER},campaign_id,redeemed_at,order_id,redemption_id`;
const WEBHOOK_SECRET = 'listing-webhook-secret-0123456789';

let stack: E2eStack;
const keys: Record<string, string> = {};

beforeAll(async () => {
  stack = await startE2eStack({
    label: 'listings',
    requirePrivateNats: 'runs generation jobs, whose chunks a generator on a shared NATS could take',
    generatorEnv: {
      DEV_OPEN_BRAND_API: undefined,
      GENERATION_INLINE_MAX_COUNT: '100',
      GENERATION_JOB_CHUNK_SIZE: '100',
      ...LOCAL_RECEIVER_ENV,
    },
  });
  const brands: Array<Record<string, unknown>> = [
    { id: 'acme', name: 'Acme Coffee' },
    { id: 'acme-tea', name: 'Acme Tea' },
    { id: 'beans', name: 'Beans & Co' },
    { id: 'dotstar', name: '.* Everything' },
    { id: 'paren', name: '(Paren) Shop' },
    { id: 'zeta', name: 'Zeta', webhook: { url: 'http://127.0.0.1:9999/hooks', secret: WEBHOOK_SECRET } },
  ];
  for (const body of brands) keys[body.id as string] = (await createBrand(stack, body)).apiKey;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

/** Every page of `path` (which has its own query string), following nextCursor. */
async function allPages<T>(path: string): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const res: ApiResponse<Page<T>> = await stack.genAdmin.get<Page<T>>(
      cursor === null ? path : `${path}&cursor=${encodeURIComponent(cursor)}`,
    );
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    pages++;
    cursor = res.body.nextCursor;
  } while (cursor !== null);
  return { items, pages };
}

describe('GET /v1/brands', () => {
  it('pages through every brand in id order, each as GET /v1/brands/{brandId} answers it', async () => {
    const { items, pages } = await allPages<Brand>('/v1/brands?limit=2');
    expect(pages).toBe(3);
    expect(items.map((b) => b.brandId)).toEqual(['acme', 'acme-tea', 'beans', 'dotstar', 'paren', 'zeta']);
    for (const brand of items) {
      expect(brand).toEqual((await stack.genAdmin.get<Brand>(`/v1/brands/${brand.brandId}`)).body);
    }
    expect(items.find((b) => b.brandId === 'zeta')?.webhook?.secretHint).toBe(`…${WEBHOOK_SECRET.slice(-4)}`);
    const text = (await stack.genAdmin.get('/v1/brands?limit=100')).text;
    expect(text).not.toContain(WEBHOOK_SECRET);
    expect(text).not.toMatch(/apiKey|secret"/i);
    for (const key of Object.values(keys)) expect(text).not.toContain(key);
    // The default page holds them all.
    expect((await stack.genAdmin.get<Page<Brand>>('/v1/brands')).body.nextCursor).toBeNull();
  });

  it('filters by a name prefix taken literally and case-sensitively', async () => {
    const named = async (prefix: string) => {
      const res = await stack.genAdmin.get<Page<Brand>>(
        `/v1/brands?namePrefix=${encodeURIComponent(prefix)}`,
      );
      expect(res.status).toBe(200);
      return res.body.items.map((b) => b.brandId);
    };
    expect(await named('Acme')).toEqual(['acme', 'acme-tea']);
    expect(await named('Acme T')).toEqual(['acme-tea']);
    expect(await named('.*')).toEqual(['dotstar']);
    expect(await named('(')).toEqual(['paren']);
    expect(await named('Beans & ')).toEqual(['beans']);
    expect(await named('acme')).toEqual([]);
    expect(await named('^A')).toEqual([]);
    const paged = await allPages<Brand>(`/v1/brands?namePrefix=Acme&limit=1`);
    expect(paged).toEqual({
      items: [expect.objectContaining({ brandId: 'acme' }), expect.anything()],
      pages: 2,
    });
  });

  it('is for the admin only: a brand key is refused 403, no credentials 401', async () => {
    const refused = await stack.gen.get<ApiError>('/v1/brands', { token: keys.acme });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('forbidden');
    // Refused before its query is looked at.
    expect((await stack.gen.get('/v1/brands?limit=0', { token: keys.acme })).status).toBe(403);
    expect((await stack.gen.get('/v1/brands')).status).toBe(401);
  });

  it.each([
    ['limit=0'],
    ['limit=101'],
    ['limit=ten'],
    ['cursor=not-a-cursor'],
    [`cursor=${Buffer.from('[{"$gt":""}]').toString('base64url')}`],
    [`namePrefix=${'x'.repeat(201)}`],
    ['namePrefix='],
    ['namePrefix=a&namePrefix=b'],
    ['name=Acme'],
  ])('answers 400 invalid_input to ?%s', async (query) => {
    const res = await stack.genAdmin.get<ApiError>(`/v1/brands?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_input');
  });
});

describe('GET /v1/brands/{brandId}/jobs', () => {
  let done: Job[];
  let cancelled: Job;

  async function submit(count: number): Promise<Job> {
    const res = await stack.genAdmin.post<Job>('/v1/brands/acme/codes', { count });
    expect(res.status).toBe(202);
    return res.body;
  }

  const job = async (jobId: string) => (await stack.genAdmin.get<Job>(`/v1/jobs/${jobId}`)).body;
  const finished = (jobId: string) =>
    eventually(
      async () => {
        const current = await job(jobId);
        expect(['completed', 'failed', 'cancelled']).toContain(current.status);
        return current;
      },
      { timeoutMs: 120_000, intervalMs: 300 },
    );

  beforeAll(async () => {
    done = [];
    for (let i = 0; i < 2; i++) done.push(await finished((await submit(150)).jobId));
    // Large enough that the cancellation lands long before its last chunk.
    const big = await submit(20_000);
    expect((await stack.genAdmin.request(`/v1/jobs/${big.jobId}`, { method: 'DELETE' })).status).toBe(200);
    cancelled = await finished(big.jobId);
  }, 300_000);

  it('lists the brand’s jobs newest first, a page at a time, each as GET /v1/jobs/{jobId} answers it', async () => {
    expect(done.map((j) => j.status)).toEqual(['completed', 'completed']);
    expect(cancelled.status).toBe('cancelled');
    const { items, pages } = await allPages<Job>('/v1/brands/acme/jobs?limit=2');
    expect(pages).toBe(2);
    expect(items.map((j) => j.jobId)).toEqual([cancelled.jobId, done[1]!.jobId, done[0]!.jobId]);
    for (const listed of items.slice(1)) expect(listed).toEqual(await job(listed.jobId));
    expect((await stack.genAdmin.get<Page<Job>>('/v1/brands/beans/jobs')).body).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('filters by status', async () => {
    const ids = async (status: string) =>
      (await allPages<Job>(`/v1/brands/acme/jobs?status=${status}&limit=1`)).items.map((j) => j.jobId);
    expect(await ids('completed')).toEqual([done[1]!.jobId, done[0]!.jobId]);
    expect(await ids('cancelled')).toEqual([cancelled.jobId]);
    expect(await ids('failed')).toEqual([]);
  });

  it('answers the brand’s own key, 403 to another brand’s, 404 for an unknown brand, 400 to bad input', async () => {
    const own = await stack.gen.get<Page<Job>>('/v1/brands/acme/jobs', { token: keys.acme });
    expect(own.status).toBe(200);
    expect(own.body.items).toHaveLength(3);
    expect((await stack.gen.get('/v1/brands/acme/jobs', { token: keys.beans })).status).toBe(403);
    const unknown = await stack.genAdmin.get<ApiError>('/v1/brands/nobody/jobs');
    expect([unknown.status, unknown.body.error]).toEqual([404, 'brand_not_found']);
    for (const query of ['status=done', 'limit=0', 'limit=101', 'cursor=zz', 'cursor=WyJ4Il0']) {
      const bad = await stack.genAdmin.get<ApiError>(`/v1/brands/acme/jobs?${query}`);
      expect([query, bad.status, bad.body.error]).toEqual([query, 400, 'invalid_input']);
    }
  });

  describe('codes listed and exported by batch, job and campaign', () => {
    let batchId: string;
    let batchCodes: string[];

    beforeAll(async () => {
      const res = await stack.genAdmin.post<{ batchId: string }>('/v1/brands/acme/codes', { count: 5 });
      expect(res.status).toBe(201);
      batchId = res.body.batchId;
      batchCodes = (await allPages<CodeRow>(`/v1/brands/acme/codes?batchId=${batchId}&limit=2`)).items.map(
        (c) => c.code,
      );
    });

    const csvOf = async (query: string) => {
      const res = await stack.genAdmin.get(`/v1/brands/acme/codes.csv?${query}`);
      expect(res.status).toBe(200);
      return res.text.trimEnd().split('\r\n');
    };

    it('by batch: the batch’s codes only, in the listing and the export', async () => {
      expect(batchCodes).toHaveLength(5);
      const lines = await csvOf(`batchId=${batchId}`);
      expect(lines[0]).toBe(CSV_HEADER);
      expect(
        lines
          .slice(1)
          .map((l) => l.split(',')[0])
          .sort(),
      ).toEqual([...batchCodes].sort());
      for (const line of lines.slice(1)) expect(line).toMatch(/^[^,]+,available,,,,default,,,$/);
    });

    it('by job: the job’s codes (the batch named by the job id), jobId and batchId alike', async () => {
      const [first] = done;
      const listed = await allPages<CodeRow>(`/v1/brands/acme/codes?jobId=${first!.jobId}&limit=1000`);
      expect(listed.items).toHaveLength(150);
      const asBatch = await allPages<CodeRow>(`/v1/brands/acme/codes?batchId=${first!.jobId}&limit=1000`);
      expect(asBatch.items).toEqual(listed.items);
      expect(await csvOf(`jobId=${first!.jobId}`)).toHaveLength(151);
      const both = await stack.genAdmin.get<ApiError>(
        `/v1/brands/acme/codes?jobId=${first!.jobId}&batchId=${first!.jobId}`,
      );
      expect([both.status, both.body.error]).toEqual([400, 'invalid_input']);
      expect((await stack.genAdmin.get('/v1/brands/acme/codes.csv?jobId=not-a-job')).status).toBe(400);
      expect(await csvOf(`jobId=${randomUUID()}`)).toEqual([CSV_HEADER]);
    });

    it('by campaign: "default" is the codes of no other campaign; an unknown campaign is 404', async () => {
      const ofJob = `jobId=${done[0]!.jobId}&limit=1000`;
      const defaults = await allPages<CodeRow>(`/v1/brands/acme/codes?campaignId=default&${ofJob}`);
      expect(defaults.items).toEqual((await allPages<CodeRow>(`/v1/brands/acme/codes?${ofJob}`)).items);
      expect(defaults.items).toHaveLength(150);
      const everyCode = await allPages<CodeRow>('/v1/brands/acme/codes?campaignId=default&limit=1000');
      expect(new Set(everyCode.items.map((c) => c.campaignId))).toEqual(new Set(['default']));
      const unknown = await stack.genAdmin.get<ApiError>('/v1/brands/acme/codes.csv?campaignId=nope');
      expect([unknown.status, unknown.body.error]).toEqual([404, 'campaign_not_found']);
    });

    it('status=redeemed: a redeemed code with its redemption columns, appended after the old ones', async () => {
      const claimed = await claim(stack, 'acme', 'listing-user');
      expect(claimed.status).toBe(201);
      const code = claimed.body.code;
      const redemption = { id: newRedemptionId(code), orderId: 'order-42', redeemedAt: new Date() };
      const db = await stack.db();
      const written = await db
        .collection('codes')
        .updateOne(
          { brandId: 'acme', code, status: 'claimed' },
          { $set: { status: 'redeemed', redemption } },
        );
      expect(written.modifiedCount).toBe(1);

      const lines = await csvOf('status=redeemed');
      expect(lines).toEqual([
        CSV_HEADER,
        `${code},redeemed,listing-user,${claimed.body.claimedAt},,default,` +
          `${redemption.redeemedAt.toISOString()},order-42,${redemption.id}`,
      ]);
      // Positions of the old columns are as they were.
      expect(lines[0]!.startsWith(`${OLD_CSV_HEADER},`)).toBe(true);
      const listed = await stack.genAdmin.get<Page<CodeRow>>('/v1/brands/acme/codes?status=redeemed');
      expect(listed.body.items).toEqual([
        expect.objectContaining({
          code,
          status: 'redeemed',
          claimedBy: 'listing-user',
          campaignId: 'default',
          redeemedAt: redemption.redeemedAt.toISOString(),
          orderId: 'order-42',
          redemptionId: redemption.id,
        }),
      ]);
      expect((await csvOf('status=claimed')).some((l) => l.startsWith(`${code},`))).toBe(false);
      expect(await csvOf('status=redeemed&campaignId=default')).toHaveLength(2);
    });
  });
});
