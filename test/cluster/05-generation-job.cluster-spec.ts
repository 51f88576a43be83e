/**
 * A generation job through the gateway, spread over the two generator pods. It runs after the
 * release's upgrade and rollback on purpose: FerretDB reads the whole collection on every query,
 * so 50,000 more codes make every later request of the in-cluster stand-in slow (about 2 s a claim),
 * which a real MongoDB, with its indexes, would not be. That slow database is then the case for
 * readiness: it must not take the providers out of their Service, or a rollout could not finish.
 */
import { gateway, installation, kubectl, kubectlJson, settled, waitFor } from './support/cluster';
import { createBrand, getText } from './support/flows';

const { namespace, release } = installation();
const GENERATORS = `app.kubernetes.io/instance=${release},app.kubernetes.io/component=generator`;

describe('a generation job of 50,000 codes', () => {
  it('is answered 202, spread over both generator pods, and ends with exactly 50,000 codes', async () => {
    // Only the two pods of this revision may take chunks: pods still draining from the rollback
    // would take some and leave with their counts.
    const generators = await settled(namespace, GENERATORS, 2);
    const key = await createBrand('cluster-job');
    const submitted = await gateway<{ jobId: string }>('/v1/brands/cluster-job/codes', {
      json: { count: 50_000 },
      token: key,
    });
    expect(submitted.status).toBe(202);
    const { jobId } = submitted.body;

    const job = await waitFor('the job to finish', 240_000, async () => {
      const res = await gateway<{ status: string; generated: number; chunkCount: number }>(
        `/v1/jobs/${jobId}`,
        { token: key },
      );
      return ['completed', 'failed', 'cancelled'].includes(res.body.status) ? res.body : undefined;
    });
    expect(job).toMatchObject({ status: 'completed', generated: 50_000 });
    // Counted by the stand-in over the whole collection: half a minute or more, so a long timeout
    // (a client that gave up would leave the count queued ahead of the next spec's requests).
    const stats = await gateway('/v1/brands/cluster-job/stats', { token: key, timeoutMs: 300_000 });
    expect(stats.body).toMatchObject({ total: 50_000, available: 50_000 });

    // Each generator pod counts the chunks it stored; read from each pod's own /metrics.
    const chunksBy = await Promise.all(
      generators.map(async (pod) => {
        const metrics = await getText(pod.status.podIP!, 5001, '/metrics');
        const line = metrics
          .split('\n')
          .find(
            (l) => l.startsWith('discounts_generation_job_chunks_total{') && l.includes('outcome="stored"'),
          );
        return Number(line?.split(' ').pop() ?? 0);
      }),
    );
    console.log(`job ${jobId}: chunks stored per generator pod ${JSON.stringify(chunksBy)}`);
    expect(chunksBy.reduce((a, b) => a + b, 0)).toBe(job.chunkCount);
    expect(chunksBy.every((n) => n > 0)).toBe(true);
  }, 600_000);

  it('afterwards, with the stand-in slow, the provider keeps ready endpoints and a rolling restart completes', async () => {
    const service = `${release}-provider`;
    const readyEndpoints = async () => {
      const slices = await kubectlJson<{
        items: Array<{ endpoints?: Array<{ conditions?: { ready?: boolean } }> }>;
      }>(['get', 'endpointslices', '-n', namespace, '-l', `kubernetes.io/service-name=${service}`]);
      return slices.items.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready).length;
    };
    const counts: number[] = [];
    let rolling = true;
    const sampling = (async () => {
      while (rolling) {
        counts.push(await readyEndpoints());
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    })();
    try {
      await kubectl(['rollout', 'restart', '-n', namespace, `deployment/${service}`]);
      await kubectl(['rollout', 'status', '-n', namespace, `deployment/${service}`, '--timeout=240s'], {
        timeoutMs: 260_000,
      });
    } finally {
      rolling = false;
      await sampling;
    }
    console.log(`ready provider endpoints during the restart: ${JSON.stringify(counts)}`);
    expect(counts.length).toBeGreaterThan(0);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
  }, 300_000);
});
