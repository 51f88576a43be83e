/**
 * Claims in campaigns through real sockets: POST /v1/brands/{brandId}/campaigns/{campaignId}/claims
 * with its per-user limit, its dates and its own codes, the default campaign as the brand-level
 * claim, and the concurrency proof of a campaign with perUserLimit 3 under 200 concurrent claims
 * by 50 users, checked against the database and by the claim audit.
 */
import type { ClaimAnswer } from '../support/claim-audit';
import {
  auditAnswer,
  claim as brandClaim,
  CLAIM_TIMEOUT_MS,
  expectCleanAudit,
  histogram,
} from './support/claims';
import {
  addCampaignCodes,
  auditCampaignAnswer,
  claimInCampaign,
  createCampaign,
  storedCodes,
  type CampaignClaimReply,
} from './support/campaigns';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { addCodes, createBrand, pendingEvents, users } from './support/flows';
import { sumOf } from '../support/prometheus-text';
import { request, type BrandStats } from './support/http';
import { userToken } from './support/jwt';
import { eventually } from './support/poll';

let stack: E2eStack;

beforeAll(async () => {
  stack = await startE2eStack({ label: 'campaign-claims' });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const DAY_MS = 86_400_000;

async function claimAs(brandId: string, campaignId: string, userId: string): Promise<CampaignClaimReply> {
  return claimInCampaign(stack.prov, brandId, campaignId, await userToken(userId));
}

async function stats(brandId: string): Promise<BrandStats> {
  const res = await stack.genAdmin.get<BrandStats>(`/v1/brands/${brandId}/stats`);
  expect(res.status).toBe(200);
  return res.body;
}

/** A brand with one campaign holding `codes` codes. */
async function brandWithCampaign(brandId: string, campaignId: string, perUserLimit: number, codes: number) {
  await createBrand(stack, { id: brandId, name: brandId });
  await createCampaign(stack, brandId, { campaignId, perUserLimit });
  await addCampaignCodes(stack, brandId, campaignId, codes);
}

describe('claims in a campaign', () => {
  it('perUserLimit 1: 201 with the new code, then 200 with the same answer', async () => {
    await brandWithCampaign('solo-brand', 'solo', 1, 5);
    const first = await claimAs('solo-brand', 'solo', 'ann');
    expect(first.status).toBe(201);
    expect(first.body).toStrictEqual({
      code: expect.any(String) as unknown,
      brandId: 'solo-brand',
      campaignId: 'solo',
      claimedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) as unknown,
      codes: [{ code: first.body.code, claimedAt: first.body.claimedAt }],
    });
    const again = await claimAs('solo-brand', 'solo', 'ann');
    expect(again.status).toBe(200);
    expect(again.body).toStrictEqual(first.body);
    expect((await storedCodes(stack, 'solo-brand', 'solo')).filter((c) => c.status === 'claimed')).toEqual([
      { code: first.body.code, status: 'claimed', claimedBy: 'ann' },
    ]);
  });

  it('perUserLimit 3: three 201s with distinct codes, then 200 with all three, oldest first', async () => {
    await brandWithCampaign('trio-brand', 'trio', 3, 10);
    const answers: CampaignClaimReply[] = [];
    for (let i = 0; i < 5; i++) answers.push(await claimAs('trio-brand', 'trio', 'bob'));

    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 200, 200]);
    const mine = answers.slice(0, 3).map((a) => ({ code: a.body.code, claimedAt: a.body.claimedAt }));
    expect(new Set(mine.map((c) => c.code)).size).toBe(3);
    answers.slice(0, 3).forEach((a, i) => expect(a.body.codes).toEqual(mine.slice(0, i + 1)));
    for (const repeat of answers.slice(3)) {
      expect(repeat.body).toStrictEqual({
        ...mine[2],
        brandId: 'trio-brand',
        campaignId: 'trio',
        codes: mine,
      });
    }
  });

  it('a campaign that runs out: the codes held (200) to a user holding some, 409 codes_exhausted to the others', async () => {
    await brandWithCampaign('pair-brand', 'pair', 3, 2);
    const statuses: CampaignClaimReply[] = [];
    for (let i = 0; i < 3; i++) statuses.push(await claimAs('pair-brand', 'pair', 'cid'));
    expect(statuses.map((a) => a.status)).toEqual([201, 201, 200]);
    expect(statuses[2]!.body.codes.map((c) => c.code)).toEqual(statuses.slice(0, 2).map((a) => a.body.code));
    const stranger = await claimAs('pair-brand', 'pair', 'dora');
    expect(stranger.status).toBe(409);
    expect(stranger.body).toMatchObject({ statusCode: 409, error: 'codes_exhausted' });
  });

  it('a campaign not started yet and one that ended: 409 campaign_not_active, nothing claimed', async () => {
    await createBrand(stack, { id: 'dated', name: 'dated' });
    const startsAt = new Date(Date.now() + DAY_MS);
    const ended = { startsAt: new Date(Date.now() - 2 * DAY_MS), endsAt: new Date(Date.now() - DAY_MS) };
    await createCampaign(stack, 'dated', { campaignId: 'later', perUserLimit: 1, startsAt });
    await createCampaign(stack, 'dated', { campaignId: 'over', perUserLimit: 1, ...ended });
    await addCampaignCodes(stack, 'dated', 'later', 3);
    await addCampaignCodes(stack, 'dated', 'over', 3);

    const later = await claimAs('dated', 'later', 'eve');
    expect(later.status).toBe(409);
    expect(later.body).toMatchObject({
      statusCode: 409,
      error: 'campaign_not_active',
      details: { startsAt: startsAt.toISOString() },
    });
    const over = await claimAs('dated', 'over', 'eve');
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({
      error: 'campaign_not_active',
      details: { startsAt: ended.startsAt.toISOString(), endsAt: ended.endsAt.toISOString() },
    });
    for (const campaignId of ['later', 'over']) {
      const codes = await storedCodes(stack, 'dated', campaignId);
      expect(codes.map((c) => c.status)).toEqual(['available', 'available', 'available']);
    }
    // Counted as the campaign's dates, not as codes running out.
    const metrics = await request(stack.provider.url, '/metrics', { headers: { accept: 'text/plain' } });
    expect(sumOf(metrics.text, 'discounts_claims_total', { route: 'campaign', outcome: 'inactive' })).toBe(2);
  });

  it('404 for an unknown campaign and an unknown brand, 400 for a malformed campaign id', async () => {
    await createBrand(stack, { id: 'known', name: 'known' });
    expect((await claimAs('known', 'nope', 'fay')).body).toMatchObject({
      statusCode: 404,
      error: 'campaign_not_found',
    });
    expect((await claimAs('unknown-brand', 'nope', 'fay')).body).toMatchObject({
      statusCode: 404,
      error: 'brand_not_found',
    });
    expect((await claimAs('unknown-brand', 'default', 'fay')).body).toMatchObject({
      statusCode: 404,
      error: 'brand_not_found',
    });
    expect((await claimAs('known', '-bad', 'fay')).body).toMatchObject({
      statusCode: 400,
      error: 'invalid_input',
    });
  });

  it('the default campaign is the brand-level claim: same code, same claimedAt, either route first', async () => {
    await createBrand(stack, { id: 'plain', name: 'plain' });
    await addCodes(stack, 'plain', 2);

    const viaCampaign = await claimAs('plain', 'default', 'gus');
    expect(viaCampaign.status).toBe(201);
    const { code, claimedAt } = viaCampaign.body;
    expect(viaCampaign.body).toStrictEqual({
      code,
      brandId: 'plain',
      campaignId: 'default',
      claimedAt,
      codes: [{ code, claimedAt }],
    });
    const viaBrand = await brandClaim(stack.prov, 'plain', await userToken('gus'));
    expect(viaBrand.status).toBe(200);
    expect(viaBrand.body).toStrictEqual({ code, brandId: 'plain', claimedAt });

    const brandFirst = await brandClaim(stack.prov, 'plain', await userToken('hal'));
    expect(brandFirst.status).toBe(201);
    const thenCampaign = await claimAs('plain', 'default', 'hal');
    expect(thenCampaign.status).toBe(200);
    expect(thenCampaign.body).toMatchObject({ ...brandFirst.body, campaignId: 'default' });

    const late = await claimAs('plain', 'default', 'ida');
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ statusCode: 409, error: 'codes_exhausted' });
  });

  it('claims in a campaign never take default-campaign codes, nor the other way round', async () => {
    await createBrand(stack, { id: 'mixed', name: 'mixed' });
    await addCodes(stack, 'mixed', 3);
    await createCampaign(stack, 'mixed', { campaignId: 'promo', perUserLimit: 1 });
    await addCampaignCodes(stack, 'mixed', 'promo', 2);
    const people = ['m-1', 'm-2', 'm-3', 'm-4'];

    const inPromo = await Promise.all(people.map((u) => claimAs('mixed', 'promo', u)));
    const inDefault = await Promise.all(
      people.map(async (u) => brandClaim(stack.prov, 'mixed', await userToken(u))),
    );

    expect(histogram(inPromo)).toEqual({ 201: 2, 409: 2 });
    expect(histogram(inDefault)).toEqual({ 201: 3, 409: 1 });
    const promoCodes = await storedCodes(stack, 'mixed', 'promo');
    const defaultCodes = await storedCodes(stack, 'mixed', null);
    expect(new Set(inPromo.filter((a) => a.status === 201).map((a) => a.body.code))).toEqual(
      new Set(promoCodes.map((c) => c.code)),
    );
    expect(new Set(inDefault.filter((a) => a.status === 201).map((a) => a.body.code))).toEqual(
      new Set(defaultCodes.map((c) => c.code)),
    );
    const answers: ClaimAnswer[] = [
      ...inPromo.flatMap((a, i) => auditCampaignAnswer('mixed', 'promo', people[i]!, a)),
      ...inDefault.map((a, i) => auditAnswer('mixed', people[i]!, a)),
    ];
    expect(await expectCleanAudit(await stack.db(), 'mixed', 5, answers)).toMatchObject({
      available: 0,
      claimed: 5,
      newClaims: 5,
    });
  });

  it(
    'perUserLimit 3 under 200 concurrent claims by 50 users: nobody above 3, no code twice, answers = database',
    async () => {
      await brandWithCampaign('rush', 'rush-hour', 3, 200);
      const people = users('rusher', 50);
      const tokens = new Map(await Promise.all(people.map(async (u) => [u, await userToken(u)] as const)));
      const requests = people.flatMap((u) => [u, u, u, u]);

      const answers = await Promise.all(
        requests.map((u) => claimInCampaign(stack.prov, 'rush', 'rush-hour', tokens.get(u)!)),
      );

      // Enough codes for everyone: each user gets 3 new claims, and the 4th claim returns them.
      expect(histogram(answers)).toEqual({ 201: 150, 200: 50 });
      const created = answers.filter((a) => a.status === 201).map((a) => a.body.code);
      expect(new Set(created).size).toBe(150);

      const stored = (await storedCodes(stack, 'rush', 'rush-hour')).filter((c) => c.status === 'claimed');
      expect(stored).toHaveLength(150);
      const heldBy = new Map<string, Set<string>>();
      for (const { code, claimedBy } of stored)
        heldBy.set(claimedBy!, new Set([...(heldBy.get(claimedBy!) ?? []), code]));
      expect([...heldBy.values()].map((codes) => codes.size)).toEqual(people.map(() => 3));
      requests.forEach((user, i) => {
        const told = answers[i]!.body.codes.map((c) => c.code);
        for (const code of told)
          expect({ user, code, held: heldBy.get(user)?.has(code) }).toEqual({ user, code, held: true });
        if (answers[i]!.status === 200) expect(new Set(told)).toEqual(heldBy.get(user));
      });

      const audited = answers.flatMap((a, i) => auditCampaignAnswer('rush', 'rush-hour', requests[i]!, a));
      expect(
        await expectCleanAudit(await stack.db(), 'rush', 200, audited, {
          perUserLimits: { 'rush/rush-hour': 3 },
        }),
      ).toMatchObject({ available: 50, claimed: 150, newClaims: 150 });

      // Every claim in the campaign went through the outbox and reached the generator, once.
      await eventually(async () => expect((await stats('rush')).claimedNotified).toBe(150), {
        timeoutMs: 120_000,
      });
      await eventually(async () => expect(await pendingEvents(stack, 'rush')).toBe(0), { timeoutMs: 60_000 });
    },
    CLAIM_TIMEOUT_MS + 120_000,
  );

  it('is in the OpenAPI document with its answers', async () => {
    const res = await stack.prov.get<{
      paths: Record<string, { post?: { responses: Record<string, unknown> } }>;
    }>('/docs/json');
    expect(res.status).toBe(200);
    const route = res.body.paths['/v1/brands/{brandId}/campaigns/{campaignId}/claims']?.post;
    expect(Object.keys(route?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '201', '400', '404', '409', '429']),
    );
  });

  it('no process failed or logged an error along the way', () => {
    for (const app of [stack.provider, stack.generator]) {
      expect(app.child.exitCode).toBeNull();
      const errors = app
        .logs()
        .split('\n')
        .filter((line) => /"level":"(error|fatal)"|\bERROR\b/.test(line));
      expect(errors).toEqual([]);
    }
  });
});
