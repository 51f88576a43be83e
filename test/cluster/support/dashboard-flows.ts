/**
 * Traffic through the gateway that gives every Grafana dashboard panel (deploy/grafana/dashboards)
 * something to show for a release: claims of every outcome on both routes, a webhook delivered to
 * the in-cluster receiver (test/cluster/fixtures/webhook-receiver.yaml, in the release's
 * namespace), and a generation job of several chunks (the release's generationInlineMaxCount is
 * below the job's count). As test/e2e/prometheus.e2e-spec.ts does against local processes.
 */
import { clusterIp, createBrand, getText, userToken, type Release } from './flows';
import { gateway, waitFor } from './cluster';

const WEBHOOK_SECRET = 'whsec_cluster-dashboards-0123456789';

async function claim(target: Release, brand: string, user: string) {
  return gateway<{ code: string }>(
    `/v1/brands/${encodeURIComponent(brand)}/claims`,
    { method: 'POST', token: await userToken(user, target.jwtSecret) },
    target.host,
  );
}

export async function driveDashboardFlows(target: Release): Promise<void> {
  const { host, adminTokens } = target;
  const hooks = 'dash-hooks';
  const key = await createBrand(hooks, target);
  const url = `http://webhook-receiver.${target.namespace}.svc.cluster.local/hooks/${hooks}`;
  const patched = await gateway(
    `/v1/brands/${hooks}`,
    { method: 'PATCH', json: { webhook: { url, secret: WEBHOOK_SECRET } }, token: key },
    host,
  );
  expect(patched.status).toBe(200);
  expect((await gateway(`/v1/brands/${hooks}/codes`, { json: { count: 10 }, token: key }, host)).status).toBe(
    201,
  );

  // Claims: new, the same again, unknown brand, no token, a malformed brand id, an empty pool.
  expect((await claim(target, hooks, 'dash-u1')).status).toBe(201);
  expect((await claim(target, hooks, 'dash-u1')).status).toBe(200);
  expect((await claim(target, 'dash-nobody', 'dash-u1')).status).toBe(404);
  expect((await gateway(`/v1/brands/${hooks}/claims`, { method: 'POST' }, host)).status).toBe(401);
  expect((await claim(target, 'bad id!', 'dash-u1')).status).toBe(400);
  await createBrand('dash-empty', target);
  expect((await claim(target, 'dash-empty', 'dash-u1')).status).toBe(409);

  // The predecessor's routes: generate, a registered user's get_code, a wrong secret.
  const legacy = await gateway(
    '/discounts/api/v1.0/generate',
    { json: { brand_id: 42, number_of_codes: 5 }, token: adminTokens.generator },
    host,
  );
  expect(legacy.status).toBe(200);
  const user = await gateway<{ userId: string; secret: string }>(
    '/v1/users',
    { json: {}, token: adminTokens.provider },
    host,
  );
  expect(user.status).toBe(201);
  const getCode = `/discounts/api/v1.0/get_code/${user.body.userId}`;
  expect((await gateway(`${getCode}/${user.body.secret}/42`, {}, host)).status).toBe(200);
  expect((await gateway(`${getCode}/not-the-secret-at-all/42`, {}, host)).status).toBe(401);

  // A generation job, followed to its end.
  const job = await gateway<{ jobId: string }>(
    `/v1/brands/${hooks}/codes`,
    { json: { count: 300 }, token: key },
    host,
  );
  expect(job.status).toBe(202);
  await waitFor('the generation job to complete', 60_000, async () => {
    const status = await gateway<{ status: string }>(`/v1/jobs/${job.body.jobId}`, { token: key }, host);
    return status.body.status === 'completed' ? true : undefined;
  });

  const receiver = await clusterIp('webhook-receiver', target.namespace);
  await waitFor('the webhook delivery', 60_000, async () => {
    const received = JSON.parse(await getText(receiver, 80, '/received')) as Array<{ path: string }>;
    return received.some((r) => r.path === `/hooks/${hooks}`) ? true : undefined;
  });
}
