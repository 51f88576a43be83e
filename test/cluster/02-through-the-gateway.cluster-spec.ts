/**
 * The system as its users meet it: every call goes through the Traefik gateway from the node, with
 * the Host header the local values name. The predecessor's curls, the v1 flow, a signed webhook
 * delivered to a receiver in the cluster, and concurrent claims audited against what the database
 * holds afterwards.
 */
import { auditClaimsInDatabase, describeAudit, type ClaimAnswer } from '../support/claim-audit';
import type { IncomingHttpHeaders } from 'node:http';
import { verifyWebhook } from '../e2e/support/webhook-receiver';
import { gateway, installation, waitFor } from './support/cluster';
import { clusterIp, createBrand, getText, userToken, withDatabase } from './support/flows';

const { namespace, adminTokens } = installation();
const WEBHOOK_SECRET = 'whsec_cluster-tier-0123456789abcdef';

describe("the predecessor's curls", () => {
  // Exactly its requests and answers; the generate call carries the admin token, since the chart
  // never opens the brand API (DEV_OPEN_BRAND_API is for `make launch` only).
  it('generate for brand 1, then get_code for a registered user, twice the same code', async () => {
    const open = await gateway('/discounts/api/v1.0/generate', {
      json: { brand_id: 1, number_of_codes: 100 },
    });
    expect(open.status).toBe(401);
    const generated = await gateway('/discounts/api/v1.0/generate', {
      json: { brand_id: 1, number_of_codes: 100 },
      token: adminTokens.generator,
    });
    expect({ status: generated.status, body: generated.body }).toEqual({
      status: 200,
      body: {
        code: '201',
        data: '',
        message: 'System generated discount codes successfully',
        status: 'success',
      },
    });

    const user = await gateway<{ userId: string; secret: string }>('/v1/users', {
      json: {},
      token: adminTokens.provider,
    });
    expect(user.status).toBe(201);
    const path = `/discounts/api/v1.0/get_code/${user.body.userId}/${user.body.secret}/1`;
    const first = await gateway<{ code: string; data: string; message: string; status: string }>(path);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      code: '201',
      data: expect.stringMatching(/^[A-Z0-9]{8}$/) as unknown,
      message: '',
      status: 'success',
    });
    const again = await gateway<{ data: string }>(path);
    expect(again.body.data).toBe(first.body.data);

    const wrongSecret = await gateway<{ status: string; code: string }>(
      `/discounts/api/v1.0/get_code/${user.body.userId}/not-the-secret-at-all/1`,
    );
    expect({ status: wrongSecret.status, envelope: wrongSecret.body.status }).toEqual({
      status: 401,
      envelope: 'error',
    });
  });
});

describe('one admin token per app', () => {
  it("each app refuses the other app's admin token", async () => {
    const brand = await gateway('/v1/brands', {
      json: { id: 'cluster-wrong-token', name: 'Wrong token' },
      token: adminTokens.provider,
    });
    expect(brand.status).toBe(401);
    const user = await gateway('/v1/users', { json: {}, token: adminTokens.generator });
    expect(user.status).toBe(401);
  });
});

describe('the v1 flow', () => {
  it('brand, key, generate, JWT claim, repeat claim, stats', async () => {
    const key = await createBrand('cluster-acme');
    const codes = await gateway('/v1/brands/cluster-acme/codes', { json: { count: 50 }, token: key });
    expect(codes.status).toBe(201);

    const token = await userToken('u-cluster-1');
    const claimed = await gateway<{ code: string; brandId: string }>('/v1/brands/cluster-acme/claims', {
      method: 'POST',
      token,
    });
    expect(claimed.status).toBe(201);
    expect(claimed.body.brandId).toBe('cluster-acme');
    const repeat = await gateway<{ code: string }>('/v1/brands/cluster-acme/claims', {
      method: 'POST',
      token,
    });
    expect({ status: repeat.status, code: repeat.body.code }).toEqual({
      status: 200,
      code: claimed.body.code,
    });

    const stats = await gateway('/v1/brands/cluster-acme/stats', { token: key });
    expect(stats.body).toMatchObject({ brandId: 'cluster-acme', total: 50, available: 49, claimed: 1 });
  });
});

describe('a webhook to a receiver in the cluster', () => {
  it('is delivered for a claim and carries a valid signature', async () => {
    const key = await createBrand('cluster-hooks');
    const url = `http://webhook-receiver.${namespace}.svc.cluster.local/hooks/cluster-hooks`;
    const patched = await gateway('/v1/brands/cluster-hooks', {
      method: 'PATCH',
      json: { webhook: { url, secret: WEBHOOK_SECRET } },
      token: key,
    });
    expect(patched.status).toBe(200);
    await gateway('/v1/brands/cluster-hooks/codes', { json: { count: 5 }, token: key });
    const claimed = await gateway<{ code: string }>('/v1/brands/cluster-hooks/claims', {
      method: 'POST',
      token: await userToken('u-hook'),
    });
    expect(claimed.status).toBe(201);

    const receiver = await clusterIp('webhook-receiver');
    const delivery = await waitFor('the webhook delivery', 60_000, async () => {
      const received = JSON.parse(await getText(receiver, 80, '/received')) as Array<{
        path: string;
        headers: IncomingHttpHeaders;
        body: string;
      }>;
      return received.find((r) => r.path === '/hooks/cluster-hooks' && r.body.includes(claimed.body.code));
    });
    expect(verifyWebhook(WEBHOOK_SECRET, delivery.headers, delivery.body)).toBe(true);
    expect(JSON.parse(delivery.body)).toMatchObject({
      type: 'code.claimed',
      brandId: 'cluster-hooks',
      code: claimed.body.code,
      userId: 'u-hook',
    });
  }, 90_000);
});

describe('concurrent claims through the gateway, then the claim audit', () => {
  it('300 users on 200 codes: 200 distinct codes, 100 × 409, the database agrees', async () => {
    const key = await createBrand('cluster-sale');
    await gateway('/v1/brands/cluster-sale/codes', { json: { count: 200 }, token: key });
    const users = Array.from({ length: 300 }, (_, i) => `u-sale-${i}`);
    const tokens = await Promise.all(users.map((user) => userToken(user)));
    const answers: ClaimAnswer[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < users.length; i = next++) {
        const res = await gateway<{ code: string }>('/v1/brands/cluster-sale/claims', {
          method: 'POST',
          token: tokens[i]!,
        }).catch(() => undefined);
        const outcome =
          res?.status === 201
            ? 'created'
            : res?.status === 200
              ? 'held'
              : res?.status === 409
                ? 'exhausted'
                : 'failed';
        answers.push({ brandId: 'cluster-sale', userId: users[i]!, outcome, code: res?.body?.code });
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));

    const outcomes: Record<string, number> = {};
    for (const a of answers) outcomes[a.outcome] = (outcomes[a.outcome] ?? 0) + 1;
    expect(outcomes).toEqual({ created: 200, exhausted: 100 });
    expect(new Set(answers.map((a) => a.code).filter(Boolean)).size).toBe(200);

    const report = await withDatabase((db) =>
      auditClaimsInDatabase(db, {
        brandIds: ['cluster-sale'],
        answers,
        expectedTotals: { 'cluster-sale': 200 },
      }),
    );
    expect({ violations: report.violations, summary: describeAudit(report) }).toEqual({
      violations: [],
      summary: expect.stringMatching(/^OK: /) as unknown,
    });
  }, 180_000);
});
