/**
 * Codes in a campaign, keys enforced: generated into it inline and as a job (the campaign's
 * format the default, the request's own fields first, every code carrying the campaign, which
 * travels with a job to its chunks), none for the default campaign's route or the brand-level
 * one, which answer as before campaigns; stats per campaign that add up to the brand's, with
 * redeemed and rolled-back counts from the brand's first redemption on. Creating, listing and
 * changing campaigns: campaign-management.e2e-spec.ts.
 */
import type { E2eStack } from './support/e2e-stack';
import {
  campaignsPath as campaigns,
  createCampaign,
  expectError,
  requestsWithKey,
  startCampaignStack,
  storedCodeDocs,
  type KeyedRequest,
} from './support/campaigns';
import { claim, createBrand } from './support/flows';
import { ISO_DATE, type CodeBatch } from './support/http';
import { eventually } from './support/poll';

const DEFAULT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Job {
  jobId: string;
  brandId: string;
  campaignId?: string;
  status: string;
  requested: number;
  generated: number;
  format: CodeBatch['format'];
}

let stack: E2eStack;
/** Requests with acme's key. */
let send: KeyedRequest;

beforeAll(async () => {
  stack = await startCampaignStack('campaign-codes');
  const acme = await createBrand(stack, { id: 'acme', name: 'Acme' });
  send = requestsWithKey(stack, acme.apiKey);
  // summer's format is what its codes default to; winter gets none, so its stats stay at zero.
  await createCampaign(stack, 'acme', {
    campaignId: 'summer',
    perUserLimit: 3,
    startsAt: new Date('2020-06-01T00:00:00Z'),
    endsAt: new Date('2099-09-01T00:00:00Z'),
    format: { length: 10, prefix: 'SUMMER-' },
  });
  await createCampaign(stack, 'acme', { campaignId: 'winter', perUserLimit: 1 });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const stored = (filter: Record<string, unknown>) => storedCodeDocs(stack, filter);

async function stats(path: string): Promise<Record<string, unknown>> {
  const res = await send<Record<string, unknown>>('GET', path);
  expect(res.status).toBe(200);
  return res.body;
}

describe('codes in a campaign', () => {
  let claimedCode = '';
  const generate = (campaignId: string, body: unknown) =>
    send<CodeBatch & Job>('POST', `${campaigns('acme')}/${campaignId}/codes`, body, { timeoutMs: 60_000 });

  it('inline: the campaign’s format by default, the request’s own fields first, each code in the campaign', async () => {
    const res = await generate('summer', { count: 20 });
    expect(res.status).toBe(201);
    expect(res.body).toStrictEqual({
      batchId: expect.stringMatching(UUID) as unknown,
      brandId: 'acme',
      campaignId: 'summer',
      requested: 20,
      generated: 20,
      format: { length: 10, prefix: 'SUMMER-', alphabet: DEFAULT_ALPHABET },
      expiresAt: null,
      createdAt: expect.stringMatching(ISO_DATE) as unknown,
    });
    const docs = await stored({ brandId: 'acme', batchId: res.body.batchId });
    expect(docs).toHaveLength(20);
    for (const d of docs)
      expect(d).toMatchObject({
        campaignId: 'summer',
        code: expect.stringMatching(/^SUMMER-[2-9A-Z]{10}$/) as unknown,
      });

    const own = await generate('summer', { count: 5, prefix: 'HOT-' });
    expect(own.body.format).toEqual({ length: 10, prefix: 'HOT-', alphabet: DEFAULT_ALPHABET });
    for (const d of await stored({ brandId: 'acme', batchId: own.body.batchId }))
      expect(d.code).toMatch(/^HOT-.{10}$/);
  });

  it('as a job: the campaign travels with the job to its chunks', async () => {
    const res = await generate('summer', { count: 250 });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/v1/jobs/${res.body.jobId}`);
    expect(res.body).toMatchObject({ brandId: 'acme', campaignId: 'summer', requested: 250 });
    const done = await eventually(
      async () => {
        const job = await send<Job>('GET', `/v1/jobs/${res.body.jobId}`);
        expect(job.body.status).toBe('completed');
        return job.body;
      },
      { timeoutMs: 60_000, intervalMs: 300 },
    );
    expect(done).toMatchObject({
      campaignId: 'summer',
      generated: 250,
      format: { prefix: 'SUMMER-', length: 10 },
    });
    const docs = await stored({ brandId: 'acme', batchId: res.body.jobId });
    expect(docs).toHaveLength(250);
    expect(docs.every((d) => d.campaignId === 'summer' && /^SUMMER-/.test(String(d.code)))).toBe(true);
  }, 120_000);

  it('the default campaign’s route and the brand-level route store codes without a campaign', async () => {
    const viaCampaign = await generate('default', { count: 10 });
    expect(viaCampaign.status).toBe(201);
    expect(viaCampaign.body).toMatchObject({
      brandId: 'acme',
      campaignId: 'default',
      format: { length: 8, prefix: '' },
    });
    const brandLevel = await send<CodeBatch>('POST', '/v1/brands/acme/codes', { count: 7 });
    expect(brandLevel.status).toBe(201);
    expect(Object.keys(brandLevel.body)).toEqual([
      'batchId',
      'brandId',
      'requested',
      'generated',
      'format',
      'expiresAt',
      'createdAt',
    ]);
    const brandJob = await send<Job>('POST', '/v1/brands/acme/codes', { count: 150 });
    expect(brandJob.status).toBe(202);
    expect(brandJob.body).not.toHaveProperty('campaignId');
    await eventually(
      async () =>
        expect((await send<Job>('GET', `/v1/jobs/${brandJob.body.jobId}`)).body.status).toBe('completed'),
      {
        timeoutMs: 60_000,
        intervalMs: 300,
      },
    );
    expect((await send<Job>('GET', `/v1/jobs/${brandJob.body.jobId}`)).body).not.toHaveProperty('campaignId');
    for (const batchId of [viaCampaign.body.batchId, brandLevel.body.batchId, brandJob.body.jobId]) {
      for (const d of await stored({ brandId: 'acme', batchId })) expect(d).not.toHaveProperty('campaignId');
    }
  }, 120_000);

  it('an unknown campaign is 404 and stores nothing; bad input is 400', async () => {
    expectError(await generate('nope', { count: 5 }), 404, 'campaign_not_found');
    expectError(await generate('summer', { count: 0 }), 400, 'invalid_input');
    expectError(await generate('summer', { count: 1, prefix: 'lower' }), 400, 'invalid_input');
    expect(await stored({ brandId: 'acme', campaignId: 'nope' })).toHaveLength(0);
  });

  it('stats per campaign add up to the brand’s; the default campaign counts only its own codes', async () => {
    const claimed = await claim(stack, 'acme', 'user-1');
    expect(claimed.status).toBe(201);
    claimedCode = claimed.body.code;
    const summer = await stats(`${campaigns('acme')}/summer/stats`);
    const winter = await stats(`${campaigns('acme')}/winter/stats`);
    const byDefault = await stats(`${campaigns('acme')}/default/stats`);
    const zero = { expired: 0, redeemed: 0, rolledBack: 0 };
    expect(summer).toStrictEqual({
      brandId: 'acme',
      campaignId: 'summer',
      total: 275,
      available: 275,
      claimed: 0,
      ...zero,
    });
    expect(winter).toStrictEqual({
      brandId: 'acme',
      campaignId: 'winter',
      total: 0,
      available: 0,
      claimed: 0,
      ...zero,
    });
    expect(byDefault).toStrictEqual({
      brandId: 'acme',
      campaignId: 'default',
      total: 167,
      available: 166,
      claimed: 1,
      ...zero,
    });
    // No redemption yet: the brand's stats answer exactly as before campaigns.
    expect(await stats('/v1/brands/acme/stats')).toStrictEqual({
      brandId: 'acme',
      total: 442,
      available: 441,
      claimed: 1,
      expired: 0,
      claimedNotified: expect.any(Number) as unknown,
    });
    expectError(await send('GET', `${campaigns('acme')}/nope/stats`), 404, 'campaign_not_found');
  });

  it('from the brand’s first redemption on, its stats show redeemed and rolled-back counts', async () => {
    const redeem = (orderId: string) =>
      send<{ redemptionId: string }>('POST', '/v1/brands/acme/redemptions', { code: claimedCode, orderId });
    const first = await redeem('order-1');
    expect(first.status).toBe(201);
    const back = await send('POST', `/v1/brands/acme/redemptions/${first.body.redemptionId}/rollback`);
    expect(back.status).toBe(200);
    expect((await redeem('order-2')).status).toBe(201);

    expect(await stats('/v1/brands/acme/stats')).toMatchObject({
      total: 442,
      claimed: 0,
      redeemed: 1,
      rolledBack: 1,
    });
    expect(await stats(`${campaigns('acme')}/default/stats`)).toMatchObject({
      total: 167,
      claimed: 0,
      redeemed: 1,
      rolledBack: 1,
    });
    expect(await stats(`${campaigns('acme')}/summer/stats`)).toMatchObject({ redeemed: 0, rolledBack: 0 });
  });
});
