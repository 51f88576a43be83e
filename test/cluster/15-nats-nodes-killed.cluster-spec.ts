/**
 * NATS as a 3-node JetStream cluster (deploy/local-nats-cluster) with the event streams on 3
 * replicas (settings.eventsStreamReplicas): one NATS pod is deleted during a flash sale, then
 * another once the first is back. No event may be lost (every claim's webhook arrives), delivery
 * resumes by itself, and the apps reconnect without a restart.
 */
import {
  CHAOS,
  chaosRelease,
  everyClaimDelivered,
  expectCleanAudit,
  RUN,
  saleBrand,
} from './support/chaos-release';
import { ClaimLoad, figuresTable, windowFigures } from './support/claim-load';
import { kubectl, podsOf, settled, type Pod } from './support/cluster';
import { getText, type Release } from './support/flows';

const BRAND = `flash-nats-${RUN}`;
const NATS = 'app.kubernetes.io/name=discounts-nats';
const APPS = `app.kubernetes.io/instance=${CHAOS.release},app.kubernetes.io/component in (generator,provider)`;

let release: Release;
beforeAll(async () => {
  release = await chaosRelease();
  await saleBrand(release, BRAND, 300);
}, 600_000);

const restarts = (pods: Pod[]) =>
  Object.fromEntries(
    pods.map((p) => [
      p.metadata.name,
      (p.status.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0),
    ]),
  );

interface StreamInfo {
  name: string;
  config: { num_replicas: number };
  cluster?: { leader?: string; replicas?: Array<{ name: string; current: boolean }> };
}

/** The streams as one NATS server's monitoring port sees them (JetStream's /jsz). */
async function streams(pod: Pod): Promise<StreamInfo[]> {
  const jsz = JSON.parse(await getText(pod.status.podIP!, 8222, '/jsz?streams=true&config=true')) as {
    account_details?: Array<{ stream_detail?: StreamInfo[] }>;
  };
  return (jsz.account_details ?? []).flatMap((a) => a.stream_detail ?? []);
}

describe('NATS servers deleted one after another during a flash sale', () => {
  it('keep the event streams on 3 replicas', async () => {
    const [server] = await settled(CHAOS.namespace, NATS, 3);
    const replicated = (await streams(server!)).filter((s) => s.config.num_replicas === 3).map((s) => s.name);
    console.log(`streams on 3 replicas: ${replicated.join(', ')}`);
    expect(replicated.length).toBeGreaterThanOrEqual(1);
  });

  it('lose no event, and the apps reconnect without restarting', async () => {
    const appsBefore = restarts(await podsOf(CHAOS.namespace, APPS));
    const load = new ClaimLoad(release, BRAND, { perSecond: 2, users: 'u-nats' }).start();
    const t0 = load.now();
    await load.runFor(10_000);
    const windows: Array<[string, number, number]> = [];
    for (const name of ['discounts-nats-0', 'discounts-nats-1']) {
      const deleted = load.now();
      await kubectl(['delete', 'pod', '-n', CHAOS.namespace, name, '--wait=false']);
      await settled(CHAOS.namespace, NATS, 3);
      const back = load.now();
      windows.push([`${name} away`, deleted, back]);
      console.log(`${name}: deleted, back and ready after ${((back - deleted) / 1000).toFixed(1)} s`);
      await load.runFor(5_000);
    }
    const records = await load.stop();

    console.log(
      figuresTable([
        ['before', windowFigures(records, t0, windows[0]![1])],
        ...windows.map(([name, from, to]): [string, ReturnType<typeof windowFigures>] => [
          name,
          windowFigures(records, from, to),
        ]),
      ]),
    );
    expect(records.filter((r) => r.outcome !== 'created')).toEqual([]);
    const deliveries = await everyClaimDelivered(
      BRAND,
      records.map((r) => r.code!),
    );
    console.log(`webhooks: ${deliveries.length} deliveries for ${records.length} claims, none lost`);
    await expectCleanAudit(BRAND, load.answers());
    expect(restarts(await podsOf(CHAOS.namespace, APPS))).toEqual(appsBefore);
  }, 600_000);
});
