/**
 * A rolling upgrade during a flash sale: claims from many users at a steady rate through the
 * gateway while `helm upgrade` moves both apps to a new image tag (test/cluster/run.sh builds it:
 * localhost/discounts-<app>:next). Every claim must be answered (readiness-first shutdown, the
 * preStop pause and the drain, under a real kubelet and endpoint removal), no code given twice
 * (the claim audit), and each claim's webhook delivered once per event id. The p99 during the
 * rollout is printed beside the one before it.
 */
import {
  CHAOS,
  CHAOS_VALUES,
  chaosRelease,
  expectCleanAudit,
  RUN,
  everyClaimDelivered,
  repeatedDeliveries,
  saleBrand,
} from './support/chaos-release';
import { ClaimLoad, figuresTable, windowFigures } from './support/claim-load';
import { helm, kubectlJson, settled } from './support/cluster';
import type { Release } from './support/flows';

const BRAND = `flash-upgrade-${RUN}`;
const APPS = `app.kubernetes.io/instance=${CHAOS.release},app.kubernetes.io/component in (generator,provider)`;

let release: Release;
beforeAll(async () => {
  release = await chaosRelease();
  await saleBrand(release, BRAND, 500);
}, 600_000);

async function imagesOfApps(): Promise<string[]> {
  const pods = await kubectlJson<{ items: Array<{ spec: { containers: Array<{ image: string }> } }> }>([
    'get',
    'pods',
    '-n',
    CHAOS.namespace,
    '-l',
    APPS,
  ]);
  return [...new Set(pods.items.flatMap((p) => p.spec.containers.map((c) => c.image)))].sort();
}

describe('a rolling upgrade to a new image tag during a flash sale', () => {
  it('answers every claim, gives no code twice and delivers each webhook once', async () => {
    // To `next`, or back to `dev` when an earlier run against a live cluster already moved it.
    const tag = (await imagesOfApps()).some((image) => image.endsWith(':next')) ? 'dev' : 'next';
    const load = new ClaimLoad(release, BRAND, { perSecond: 2, users: 'u-upgrade' }).start();
    const t0 = load.now();
    // A stretch of calm first, for the p99 to compare with.
    await load.runFor(15_000);
    const upgradeStarted = load.now();
    await helm(
      [
        'upgrade',
        CHAOS.release,
        'helm/discounts',
        '-n',
        CHAOS.namespace,
        ...CHAOS_VALUES,
        '--set',
        `generator.image.tag=${tag}`,
        '--set',
        `provider.image.tag=${tag}`,
        '--wait',
        '--timeout',
        '5m',
      ],
      { timeoutMs: 330_000 },
    );
    // --wait returns once the new pods are ready; the old ones may still be draining.
    await settled(CHAOS.namespace, APPS, 4);
    const upgradeEnded = load.now();
    await load.runFor(10_000);
    const records = await load.stop();
    const end = load.now();

    console.log(
      `flash sale through a rolling upgrade (${((upgradeEnded - upgradeStarted) / 1000).toFixed(1)} s, ` +
        `${load.skippedSends} sends skipped)\n` +
        figuresTable([
          ['before the upgrade', windowFigures(records, t0, upgradeStarted)],
          ['during the rollout', windowFigures(records, upgradeStarted, upgradeEnded)],
          ['after it', windowFigures(records, upgradeEnded, end)],
        ]),
    );
    expect(await imagesOfApps()).toEqual([
      `localhost/discounts-generator:${tag}`,
      `localhost/discounts-provider:${tag}`,
    ]);
    expect(records.filter((r) => r.outcome !== 'created')).toEqual([]);
    expect(load.skippedSends).toBe(0);

    await expectCleanAudit(BRAND, load.answers());

    const deliveries = await everyClaimDelivered(
      BRAND,
      records.map((r) => r.code!),
    );
    console.log(`webhooks: ${deliveries.length} deliveries for ${records.length} claims`);
    expect(repeatedDeliveries(deliveries)).toEqual({});
    expect(deliveries.every((d) => d.type === 'code.claimed')).toBe(true);
  }, 600_000);
});
