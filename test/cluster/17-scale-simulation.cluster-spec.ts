/**
 * The production overlay at scale: 30 fake nodes (kwok) in 3 zones beside the real node, the
 * chart's Deployments, PodDisruptionBudgets and HPAs from helm/discounts/values-production.yaml
 * with each HPA held at its maximum, and the real scheduler placing the pods. Prints the placement
 * table, then drains a whole zone through the eviction API within the budgets.
 */
import { join } from 'node:path';
import { createFakeNodes, fakePlacement, startKwok } from './support/kwok';
import { helm, kubectl, kubectlJson, podsOf, REPO_ROOT, waitFor, type Pod } from './support/cluster';

const NAMESPACE = 'discounts-scale';
const ZONES = ['zone-a', 'zone-b', 'zone-c'];
const NODES_PER_ZONE = 10;
const APPS = ['generator', 'provider'] as const;
type App = (typeof APPS)[number];

interface Placement {
  app: App;
  /** zone -> pods */
  zones: Record<string, number>;
  /** The most pods of the app on one node. */
  mostOnANode: number;
  pods: number;
  pending: number;
}

const zoneOf = new Map<string, string>();
let stopKwok: (() => Promise<void>) | undefined;

beforeAll(async () => {
  stopKwok = await startKwok();
  for (const node of await createFakeNodes(ZONES, NODES_PER_ZONE)) zoneOf.set(node.name, node.zone);
  await kubectl(['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait', '--timeout=120s'], {
    timeoutMs: 150_000,
  });
  await kubectl(['create', 'namespace', NAMESPACE]);
}, 400_000);

afterAll(async () => {
  // The fake pods go while kwok still answers for their nodes; then the nodes and kwok.
  await kubectl(['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait', '--timeout=120s'], {
    timeoutMs: 150_000,
  });
  await stopKwok?.();
}, 300_000);

/**
 * Applies release `release`'s Deployments, budgets and HPAs of the production overlay with `set`,
 * placed on the fake nodes; holds each HPA at its maximum (the controller raises a Deployment to
 * minReplicas with or without metrics); resolves to the replicas each app should reach.
 */
async function deployAtMaximum(release: string, set: string[]): Promise<Record<App, number>> {
  const placement = APPS.flatMap((app) => [
    '--set-json',
    `${app}.nodeSelector=${JSON.stringify(fakePlacement.nodeSelector)}`,
    '--set-json',
    `${app}.tolerations=${JSON.stringify(fakePlacement.tolerations)}`,
  ]);
  const manifests = await helm([
    'template',
    release,
    join(REPO_ROOT, 'helm', 'discounts'),
    '-n',
    NAMESPACE,
    '-f',
    join(REPO_ROOT, 'helm', 'discounts', 'values-production.yaml'),
    ...['serviceaccount', 'deployment', 'pdb', 'hpa'].flatMap((t) => ['--show-only', `templates/${t}.yaml`]),
    ...placement,
    ...set.flatMap((s) => ['--set', s]),
  ]);
  await kubectl(['apply', '-n', NAMESPACE, '-f', '-'], { input: manifests });
  const { items } = await kubectlJson<{
    items: Array<{
      metadata: { name: string; labels: Record<string, string> };
      spec: { maxReplicas: number };
    }>;
  }>(['get', 'hpa', '-n', NAMESPACE, '-l', `app.kubernetes.io/instance=${release}`]);
  const maximum = {} as Record<App, number>;
  for (const hpa of items) {
    maximum[hpa.metadata.labels['app.kubernetes.io/component'] as App] = hpa.spec.maxReplicas;
    await kubectl([
      'patch',
      'hpa',
      '-n',
      NAMESPACE,
      hpa.metadata.name,
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { minReplicas: hpa.spec.maxReplicas } }),
    ]);
  }
  expect(Object.keys(maximum).sort()).toEqual([...APPS]);
  return maximum;
}

const podsOfRelease = (release: string) => podsOf(NAMESPACE, `app.kubernetes.io/instance=${release}`);

const isReady = (pod: Pod) => pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

function placementOf(pods: Pod[], app: App): Placement {
  const mine = pods.filter((pod) => pod.metadata.labels['app.kubernetes.io/component'] === app);
  const zones = Object.fromEntries(ZONES.map((zone) => [zone, 0]));
  const perNode = new Map<string, number>();
  for (const pod of mine) {
    const node = pod.spec.nodeName;
    if (!node) continue;
    const zone = zoneOf.get(node) ?? `not a fake node: ${node}`;
    zones[zone] = (zones[zone] ?? 0) + 1;
    perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  return {
    app,
    zones,
    mostOnANode: Math.max(0, ...perNode.values()),
    pods: mine.length,
    pending: mine.filter((pod) => !pod.spec.nodeName).length,
  };
}

/** Resolves once every app runs `maximum` Ready pods; to their placement. */
function placedAtMaximum(release: string, maximum: Record<App, number>): Promise<Placement[]> {
  return waitFor(`${release} at its maximum, every pod Ready`, 180_000, async () => {
    const pods = await podsOfRelease(release);
    const done = APPS.every(
      (app) =>
        pods.filter((pod) => pod.metadata.labels['app.kubernetes.io/component'] === app && isReady(pod))
          .length === maximum[app],
    );
    return done && pods.length === maximum.generator + maximum.provider
      ? APPS.map((app) => placementOf(pods, app))
      : undefined;
  });
}

function printTable(title: string, rows: Placement[]): void {
  const header = `| app | pods | ${ZONES.join(' | ')} | most on a node |`;
  const lines = rows.map(
    (row) =>
      `| ${row.app} | ${row.pods} | ${ZONES.map((zone) => row.zones[zone] ?? 0).join(' | ')} | ${row.mostOnANode} |`,
  );
  console.log([title, header, `|---|--:|${ZONES.map(() => '--:|').join('')}--:|`, ...lines].join('\n'));
}

/** Whether the zones' pod counts differ by at most one (the spread's maxSkew). */
const evenOver = (zones: readonly string[], row: Placement) => {
  const counts = zones.map((zone) => row.zones[zone] ?? 0);
  return Math.max(...counts) - Math.min(...counts) <= 1;
};

it(`kwok runs ${ZONES.length * NODES_PER_ZONE} fake nodes in ${ZONES.length} zones beside the real node`, async () => {
  const nodes = await kubectl(['get', 'nodes', '-L', 'topology.kubernetes.io/zone', '--no-headers']);
  expect(nodes.trim().split('\n')).toHaveLength(ZONES.length * NODES_PER_ZONE + 1);
  expect(zoneOf.size).toBe(ZONES.length * NODES_PER_ZONE);
});

it('the production overlay at its HPA maximum: the preferred spreads put the pods evenly over zones and nodes', async () => {
  const maximum = await deployAtMaximum('prod', []);
  const rows = await placedAtMaximum('prod', maximum);
  printTable(`production overlay (spreads preferred), at the maximum ${JSON.stringify(maximum)}:`, rows);
  for (const row of rows) {
    expect(row.pending).toBe(0);
    expect(evenOver(ZONES, row)).toBe(true);
    expect(row.mostOnANode).toBe(1);
  }
}, 300_000);

describe('with the zone and node spreads required', () => {
  const release = 'strict';
  let maximum: Record<App, number>;

  beforeAll(async () => {
    maximum = await deployAtMaximum(release, [
      'topologySpread.zone.whenUnsatisfiable=DoNotSchedule',
      'topologySpread.hostname.whenUnsatisfiable=DoNotSchedule',
    ]);
  }, 120_000);

  it('every pod is placed, the zones even, no two replicas of an app on one node', async () => {
    const rows = await placedAtMaximum(release, maximum);
    printTable('spreads required:', rows);
    for (const row of rows) {
      expect(row.pending).toBe(0);
      expect(evenOver(ZONES, row)).toBe(true);
      expect(row.mostOnANode).toBe(1);
    }
  }, 300_000);

  it('a whole zone drains through the eviction API within the budgets, and its pods move to the others', async () => {
    const drained = 'zone-a';
    const rest = ZONES.filter((zone) => zone !== drained);
    // Readiness sampled while the drain runs: the budgets allow one pod of each app down at a time.
    const fewestReady = { generator: Infinity, provider: Infinity };
    let draining = true;
    const sampling = (async () => {
      while (draining) {
        const pods = await podsOfRelease(release);
        for (const app of APPS) {
          const ready = pods.filter(
            (p) => p.metadata.labels['app.kubernetes.io/component'] === app && isReady(p),
          ).length;
          fewestReady[app] = Math.min(fewestReady[app], ready);
        }
      }
    })();
    const started = Date.now();
    let output: string;
    try {
      output = await kubectl(
        [
          'drain',
          '-l',
          `topology.kubernetes.io/zone=${drained}`,
          '--pod-selector',
          `app.kubernetes.io/instance=${release}`,
          '--ignore-daemonsets',
          '--delete-emptydir-data',
          '--timeout=240s',
        ],
        // kubectl drain reports evictions, and the budget's refusals it retries, on stderr.
        { timeoutMs: 260_000, withStderr: true },
      );
    } finally {
      draining = false;
      await sampling;
    }
    const seconds = (Date.now() - started) / 1000;
    const rows = await placedAtMaximum(release, maximum);
    printTable(
      `after draining ${drained} (${seconds.toFixed(1)} s; fewest Ready during it: ${JSON.stringify(fewestReady)}):`,
      rows,
    );
    const blocked = output.split('\n').filter((line) => line.includes('disruption budget')).length;
    console.log(`evictions refused by a budget and retried: ${blocked}`);
    for (const row of rows) {
      expect(row.pending).toBe(0);
      expect(row.zones[drained]).toBe(0);
      expect(evenOver(rest, row)).toBe(true);
      expect(row.mostOnANode).toBe(1);
    }
    for (const app of APPS) expect(fewestReady[app]).toBeGreaterThanOrEqual(maximum[app] - 1);
  }, 300_000);
});
