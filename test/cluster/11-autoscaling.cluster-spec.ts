/**
 * A real HorizontalPodAutoscaler: metrics-server (tools/cluster/addons.sh) feeds the provider's
 * HPA its pods' CPU. A release of its own (test/cluster/fixtures/autoscaling-values.yaml: 1 to 3
 * provider pods, short windows) takes claims from many users through the gateway until the HPA has
 * scaled out and the new pods are Ready; then the load stops and the HPA scales back in. The
 * timeline (replicas, CPU, claims/s) is printed; no claim may fail and no code go to two users.
 */
import { auditClaimsInDatabase, describeAudit, type ClaimAnswer } from '../support/claim-audit';
import { claimLoad, formatTimeline, hpaTimeline, readHpa, type TimelineRow } from './support/autoscaling';
import { gateway, scratchNamespace, waitFor } from './support/cluster';
import { createBrand, withDatabase, type Release } from './support/flows';
import { installRelease } from './support/release';

const NAMESPACE = 'discounts-autoscale';
const RELEASE = 'autoscale';
const HOST = 'autoscale.local';
/** The chart's objects are named `<release>-discounts-…` when the release name lacks the chart's. */
const FULLNAME = `${RELEASE}-discounts`;
const HPA = `${FULLNAME}-provider`;
const PROVIDER_PODS = `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/component=provider`;
const BRAND = 'cluster-autoscale';
/**
 * Codes of the brand: few, on purpose. The FerretDB stand-in reads the whole collection for every
 * claim (deploy/local/mongodb.yaml): with 6,000 codes a claim took 1–4 s and the provider idled
 * at 20–40 % of its request, waiting on it; with 500 it answers 7–10 claims/s, which keeps one
 * provider pod near 70 % of its 100m request. Once they are gone the provider answers 409, as
 * much work for it: the load goes on until the HPA has scaled out.
 */
const CODES = 500;
const CONCURRENCY = 24;

let target: Release;

scratchNamespace(NAMESPACE);

beforeAll(async () => {
  target = await installRelease({
    namespace: NAMESPACE,
    release: RELEASE,
    host: HOST,
    valuesFiles: ['test/cluster/fixtures/autoscaling-values.yaml'],
  });
  const key = await createBrand(BRAND, target);
  const codes = await gateway(
    `/v1/brands/${BRAND}/codes`,
    { json: { count: CODES }, token: key, timeoutMs: 120_000 },
    HOST,
  );
  expect(codes.status).toBe(201);
}, 600_000);

const readProvider = () => readHpa(NAMESPACE, HPA, PROVIDER_PODS);
const elapsed = (since: number) => Math.round((Date.now() - since) / 1000);

describe('the provider under a HorizontalPodAutoscaler', () => {
  it('scales out under claims through the gateway, and back in once they stop', async () => {
    let phase = 'idle';
    let load: ReturnType<typeof claimLoad> | undefined;
    // One reader of the HPA for the whole test: the waits below look at its latest row instead of
    // running kubectl of their own, which would take CPU from the pods being measured.
    const timeline = hpaTimeline(
      readProvider,
      () => load?.created() ?? 0,
      () => phase,
    );
    const latest = (what: string, timeoutMs: number, wanted: (r: TimelineRow) => boolean) =>
      waitFor(what, timeoutMs, () => {
        const row = timeline.latest();
        if (row && !wanted(row)) throw new Error(`last reading: ${JSON.stringify(row)}`);
        return Promise.resolve(row);
      });

    let answers: ClaimAnswer[] = [];
    let failures: string[] = [];
    let scaledOut: TimelineRow;
    let started = Date.now();
    let loadStopped = started;
    try {
      // The HPA acts only on CPU it has read from metrics.k8s.io: without metrics-server (or the
      // API server's aggregation layer) it reports FailedGetResourceMetric and never scales.
      await latest(
        'the HPA to read the provider pods CPU from metrics.k8s.io',
        120_000,
        (r) => r.cpu !== undefined,
      );

      phase = 'load';
      started = Date.now();
      load = claimLoad(target, BRAND, CONCURRENCY);
      try {
        scaledOut = await latest(
          'the HPA to scale out and its new pods to be Ready',
          180_000,
          (r) => r.desired > 1 && r.ready >= r.desired,
        );
      } finally {
        ({ answers, failures } = await load.stop());
        phase = 'after load';
        loadStopped = Date.now();
      }
      await latest(
        'the HPA to scale back in to one pod',
        240_000,
        (r) => r.current === 1 && r.desired === 1 && r.pods === 1,
      );
    } finally {
      const rows = await timeline.stop();
      console.log(
        `provider HPA timeline (${CONCURRENCY} claim loops from the node):\n${formatTimeline(rows)}`,
      );
    }
    const scaleOutSeconds = Math.round((loadStopped - started) / 1000);
    const scaleInSeconds = elapsed(loadStopped);
    const created = answers.filter((a) => a.outcome === 'created').length;
    const exhausted = answers.filter((a) => a.outcome === 'exhausted').length;
    console.log(
      `scaled out to ${scaledOut.desired} Ready pods ${scaleOutSeconds} s after the load began; ` +
        `${created} claims (${(created / Math.max(1, scaleOutSeconds)).toFixed(0)}/s), ${exhausted} × 409; ` +
        `back to 1 pod ${scaleInSeconds} s after the load stopped`,
    );

    expect(scaledOut.desired).toBeGreaterThan(1);
    expect({ failed: failures.length, first: failures.slice(0, 10) }).toEqual({ failed: 0, first: [] });
    expect(created).toBeGreaterThan(0);

    const report = await withDatabase(
      (db) => auditClaimsInDatabase(db, { brandIds: [BRAND], answers, expectedTotals: { [BRAND]: CODES } }),
      NAMESPACE,
    );
    expect({ violations: report.violations.slice(0, 10), summary: describeAudit(report) }).toEqual({
      violations: [],
      summary: expect.stringMatching(/^OK: /) as unknown,
    });
  }, 600_000);
});
