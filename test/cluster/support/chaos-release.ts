/**
 * A release of its own for the operating specs (14-…, 15-…, 16-…), beside the tier's: they kill
 * pods, NATS servers and roll images, and they need a database of a few hundred codes, while the
 * tier's stand-in holds 50,000 by then (every FerretDB query reads the whole collection). It runs
 * as production does where it matters here: NATS as a 3-node JetStream cluster
 * (deploy/local-nats-cluster) with the event streams on 3 replicas, two pods of each app with
 * their PodDisruptionBudgets, and a webhook receiver. Installed by the first spec that asks for it
 * and kept for the next ones; the tier's cluster goes down with it.
 */
import { gateway, helm, kubectl, waitFor, type GatewayRequest } from './cluster';
import { auditClaimsInDatabase, describeAudit, type ClaimAnswer } from '../../support/claim-audit';
import { clusterIp, createBrand, getText, withDatabase, type Release } from './flows';
import { installRelease, releaseOf } from './release';

export const CHAOS = { namespace: 'discounts-chaos', release: 'chaos', host: 'chaos.local' } as const;
/** Suffix of this run's brands: a spec run again on a live cluster (run-live.sh) starts afresh. */
export const RUN = Date.now().toString(36);
const CHAOS_VALUES_FILE = 'test/cluster/fixtures/chaos-values.yaml';
/** The release's values as `helm install` got them, for an upgrade with the same values. */
export const CHAOS_VALUES = ['-f', 'deploy/local/values.yaml', '-f', CHAOS_VALUES_FILE];
const { namespace } = CHAOS;

async function deployed(): Promise<boolean> {
  const status = await helm(['status', CHAOS.release, '-n', namespace, '-o', 'json']).catch(() => '{}');
  return (JSON.parse(status) as { info?: { status?: string } }).info?.status === 'deployed';
}

/** The operating specs' release, installed if it is not there yet. */
export async function chaosRelease(): Promise<Release> {
  if (await deployed()) return releaseOf(CHAOS);
  const started = Date.now();
  await kubectl(['delete', 'namespace', namespace, '--ignore-not-found', '--wait', '--timeout=120s'], {
    timeoutMs: 150_000,
  });
  await kubectl(['create', 'namespace', namespace]);
  const release = await installRelease({
    ...CHAOS,
    valuesFiles: [CHAOS_VALUES_FILE],
    dependencies: 'deploy/local-nats-cluster',
  });
  console.log(
    `operating specs: release ${CHAOS.release} in ${namespace} installed in ${(Date.now() - started) / 1000} s`,
  );
  return release;
}

/** A request to the operating release through the gateway. */
export const chaosGateway = <T = Record<string, unknown>>(path: string, opts: GatewayRequest = {}) =>
  gateway<T>(path, opts, CHAOS.host);

export interface WebhookDelivery {
  readonly eventId: string;
  readonly type: string;
  readonly code?: string;
}

/** What the release's webhook receiver has been sent for `brandId` (test/cluster/fixtures). */
export async function webhooksReceived(brandId: string): Promise<WebhookDelivery[]> {
  const receiver = await clusterIp('webhook-receiver', namespace);
  const received = JSON.parse(await getText(receiver, 80, '/received')) as Array<{
    path: string;
    body: string;
  }>;
  return received
    .filter((r) => r.path === `/hooks/${brandId}`)
    .map((r) => JSON.parse(r.body) as WebhookDelivery);
}

/** A brand of the release with `codes` codes and its webhook pointed at the receiver; its API key. */
export async function saleBrand(target: Release, brandId: string, codes: number): Promise<string> {
  const key = await createBrand(brandId, target);
  const url = `http://webhook-receiver.${namespace}.svc.cluster.local/hooks/${brandId}`;
  const patched = await chaosGateway(`/v1/brands/${brandId}`, {
    method: 'PATCH',
    json: { webhook: { url, secret: 'whsec_operating-specs-0123456789abcdef' } },
    token: key,
  });
  expect(patched.status).toBe(200);
  const generated = await chaosGateway(`/v1/brands/${brandId}/codes`, { json: { count: codes }, token: key });
  expect(generated.status).toBe(201);
  return key;
}

/**
 * Resolves once every code in `codes` has had its code.claimed webhook; to the deliveries, so that
 * the spec can count each event id's.
 */
export function everyClaimDelivered(brandId: string, codes: readonly string[], timeoutMs = 120_000) {
  return waitFor(`webhooks for ${codes.length} claims of ${brandId}`, timeoutMs, async () => {
    const deliveries = await webhooksReceived(brandId);
    const delivered = new Set(deliveries.map((d) => d.code));
    return codes.every((code) => delivered.has(code)) ? deliveries : undefined;
  });
}

/** Event ids delivered more than once, with their counts. */
export function repeatedDeliveries(deliveries: readonly WebhookDelivery[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of deliveries) counts[d.eventId] = (counts[d.eventId] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 1));
}

/** The claim audit of `brandId` against the answers given: no violation. */
export async function expectCleanAudit(brandId: string, answers: readonly ClaimAnswer[]): Promise<void> {
  const report = await withDatabase(
    (db) => auditClaimsInDatabase(db, { brandIds: [brandId], answers }),
    namespace,
  );
  expect({ violations: report.violations, summary: describeAudit(report) }).toEqual({
    violations: [],
    summary: expect.stringMatching(/^OK: /) as unknown,
  });
}
