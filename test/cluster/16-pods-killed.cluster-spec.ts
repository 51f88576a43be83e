/**
 * What a cluster does to pods without asking: `kubectl delete pod --grace-period=0 --force` of a
 * provider during a flash sale, of a generator while webhooks are being delivered and during a
 * generation job; and what an operator does, a node drain (cordon, then the eviction API), which
 * must stop where the PodDisruptionBudgets say. The job runs last: FerretDB reads the whole
 * collection on every query, so its codes make every later claim of this release slow.
 */
import {
  CHAOS,
  chaosGateway,
  chaosRelease,
  expectCleanAudit,
  RUN,
  everyClaimDelivered,
  repeatedDeliveries,
  saleBrand,
} from './support/chaos-release';
import { ClaimLoad, figuresTable, inFlightAt, windowFigures } from './support/claim-load';
import { CLUSTER, kubectl, podsOf, run, settled, waitFor } from './support/cluster';
import { createBrand, type Release } from './support/flows';

const { namespace } = CHAOS;
const component = (app: string) =>
  `app.kubernetes.io/instance=${CHAOS.release},app.kubernetes.io/component=${app}`;
const PROVIDERS = component('provider');
const GENERATORS = component('generator');
const APPS = `app.kubernetes.io/instance=${CHAOS.release},app.kubernetes.io/component in (generator,provider)`;
/**
 * The job's size. It runs last in this release: on the stand-in, which reads whole collections,
 * every later query pays for these codes (the final count takes a minute or two).
 */
const JOB_CODES = 200_000;

let release: Release;
beforeAll(async () => {
  release = await chaosRelease();
}, 600_000);

/** Force-deletes one pod of `selector` (no grace, no preStop) and resolves to its name. */
async function forceDelete(selector: string): Promise<string> {
  const [victim] = await podsOf(namespace, selector);
  await kubectl(['delete', 'pod', '-n', namespace, victim!.metadata.name, '--grace-period=0', '--force']);
  return victim!.metadata.name;
}

describe('pods killed', () => {
  it('a provider during a flash sale: only requests in flight at the kill fail, and a retry gets the code', async () => {
    const brand = `flash-kill-${RUN}`;
    await saleBrand(release, brand, 200);
    await settled(namespace, PROVIDERS, 2);
    const load = new ClaimLoad(release, brand, { perSecond: 2, users: 'u-kill' }).start();
    const t0 = load.now();
    await load.runFor(10_000);
    const killedAt = load.now();
    const victim = await forceDelete(PROVIDERS);
    await settled(namespace, PROVIDERS, 2);
    const replaced = load.now();
    await load.runFor(10_000);
    const records = await load.stop();

    const failed = records.filter((r) => r.outcome === 'failed');
    const inFlight = inFlightAt(records, killedAt);
    console.log(
      `provider ${victim} killed: ${inFlight} requests in flight over both pods at that moment, ` +
        `${failed.length} failed; replacement ready after ${((replaced - killedAt) / 1000).toFixed(1)} s\n` +
        figuresTable([
          ['before the kill', windowFigures(records, t0, killedAt)],
          ['until replaced', windowFigures(records, killedAt, replaced)],
          ['after', windowFigures(records, replaced, load.now())],
        ]) +
        (failed.length ? `\nfailures: ${JSON.stringify(failed.map((f) => [f.status, f.error]))}` : ''),
    );
    expect(failed.every((r) => r.startedAt <= killedAt)).toBe(true);
    expect(failed.length).toBeLessThanOrEqual(inFlight);

    // A client retries what failed: the claim is idempotent per user, so it gets the code it may
    // already hold, or a new one.
    await Promise.all(failed.map((r) => load.claim(r.userId)));
    const retried = (await load.stop()).slice(records.length);
    expect(retried.map((r) => r.outcome).filter((o) => o !== 'created' && o !== 'held')).toEqual([]);
    await expectCleanAudit(brand, load.answers());
  }, 300_000);

  it('a generator while webhooks are delivered: every event still arrives', async () => {
    const brand = `hooks-kill-${RUN}`;
    await saleBrand(release, brand, 200);
    await settled(namespace, GENERATORS, 2);
    const load = new ClaimLoad(release, brand, { perSecond: 4, users: 'u-hooks' }).start();
    await load.runFor(5_000);
    const victim = await forceDelete(GENERATORS);
    await load.runFor(5_000);
    const records = await load.stop();
    expect(records.filter((r) => r.outcome !== 'created')).toEqual([]);

    const deliveries = await everyClaimDelivered(
      brand,
      records.map((r) => r.code!),
      180_000,
    );
    const repeated = repeatedDeliveries(deliveries);
    console.log(
      `generator ${victim} killed during deliveries: ${records.length} claims, ${deliveries.length} deliveries, ` +
        `${Object.keys(repeated).length} event ids delivered more than once (at least once: a delivery ` +
        `sent by the killed pod and not yet recorded is sent again)`,
    );
    await expectCleanAudit(brand, load.answers());
    await settled(namespace, GENERATORS, 2);
  }, 300_000);

  it('a node drain evicts one pod of each app and then stops at the PodDisruptionBudgets', async () => {
    await settled(namespace, APPS, 4);
    const node = (await kubectl(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    let refused = '';
    try {
      await run(`${CLUSTER.toolBin}/kubectl`, [
        'drain',
        node,
        '--pod-selector',
        APPS,
        '--delete-emptydir-data',
        '--timeout=30s',
      ]).then(
        () => {
          throw new Error('the drain finished: it evicted both pods of an app past its PodDisruptionBudget');
        },
        (error: Error) => {
          refused = error.message;
        },
      );
      // The evicted pods' replacements cannot be scheduled on the cordoned node: one Ready pod
      // of each app serves throughout.
      const serving = await podsOf(namespace, APPS);
      const ready = serving.filter((p) =>
        p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      console.log(
        `drain stopped by the budgets: ${ready.map((p) => p.metadata.name).join(', ')} still serving`,
      );
      expect(refused).toMatch(/disruption budget/);
      expect(ready.map((p) => p.metadata.labels['app.kubernetes.io/component']).sort()).toEqual([
        'generator',
        'provider',
      ]);
      const health = await chaosGateway('/v1/brands/any/claims', { method: 'POST' });
      expect(health.status).toBe(401);
    } finally {
      await kubectl(['uncordon', node]);
    }
    await settled(namespace, APPS, 4);
  }, 300_000);

  it('a generator during a generation job: the job ends with exactly the codes asked for', async () => {
    const brand = `bulk-kill-${RUN}`;
    const key = await createBrand(brand, release);
    const submitted = await chaosGateway<{ jobId: string }>(`/v1/brands/${brand}/codes`, {
      json: { count: JOB_CODES },
      token: key,
    });
    expect(submitted.status).toBe(202);
    const job = (path = `/v1/jobs/${submitted.body.jobId}`) =>
      chaosGateway<{ status: string; generated: number; requested: number }>(path, { token: key });
    const started = Date.now();
    await waitFor('a quarter of the job', 300_000, async () =>
      (await job()).body.generated >= JOB_CODES / 4 ? true : undefined,
    );
    const victim = await forceDelete(GENERATORS);
    const killedAfter = (Date.now() - started) / 1000;
    const done = await waitFor('the job to end', 600_000, async () => {
      const res = await job();
      return ['completed', 'failed', 'cancelled'].includes(res.body.status) ? res.body : undefined;
    });
    console.log(
      `${JOB_CODES}-code job: generator ${victim} killed after ${killedAfter.toFixed(0)} s, ` +
        `job ${done.status} after ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    expect(done).toMatchObject({ status: 'completed', generated: JOB_CODES });
    // Counted by the stand-in over the whole collection: slow, so a long timeout.
    const stats = await chaosGateway(`/v1/brands/${brand}/stats`, { token: key, timeoutMs: 300_000 });
    expect(stats.body).toMatchObject({ total: JOB_CODES, available: JOB_CODES });
  }, 960_000);
});
