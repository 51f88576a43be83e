/**
 * The dashboards and alert rules against real data: a real Prometheus (Debian's package, a free
 * port, its own data directory, stopped by PID afterwards) scrapes both apps every second while
 * every flow runs (brands, generation through both routes, claims of every outcome, the legacy
 * route, webhooks delivered, retried and dead-lettered, pool.low and replenishment over NATS).
 * The targets carry a namespace label, as the operator's scrapes do. Then: every metric name the
 * dashboards and rules read is in the apps' live /metrics (or recorded by the rules), every
 * recording rule records series of that namespace, every panel query with the namespace variable
 * substituted returns at least one series (and none for another namespace), and the rules file
 * loads with every rule healthy.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { WORK_SUBJECTS } from '@app/contracts';
import {
  dashboardQueries,
  metricNamesIn,
  recordedNames,
  rules,
  ruleQueries,
  RULES_FILE,
} from '../support/monitoring';
import { exposedNames } from '../support/prometheus-text';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { addCodes, claim, createBrand } from './support/flows';
import { request, type CreatedUser } from './support/http';
import { eventually } from './support/poll';
import { PrometheusServer } from './support/prometheus-server';
import { LOCAL_RECEIVER_ENV, WebhookReceiver } from './support/webhook-receiver';

/** The namespace label the scrape configs attach, as a ServiceMonitor's scrapes carry the pods'. */
const NAMESPACE = 'e2e-monitoring';

let stack: E2eStack;
let receiver: WebhookReceiver;
let prometheus: PrometheusServer | undefined;

const promGet = <T>(path: string) => prometheus!.get<T>(path);
const query = (expr: string) => prometheus!.query(expr);

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  stack = await startE2eStack({
    label: 'prometheus',
    generatorEnv: {
      ...LOCAL_RECEIVER_ENV,
      WEBHOOK_BACKOFF_BASE_MS: '50',
      WEBHOOK_BACKOFF_MAX_MS: '200',
      WEBHOOK_POLL_INTERVAL_MS: '100',
      REPLENISH_COOLDOWN_MS: '0',
      // A job of three chunks for the jobs dashboard; the supervisor (which counts jobs by
      // status) looks every 2.5 s.
      GENERATION_INLINE_MAX_COUNT: '100',
      GENERATION_JOB_CHUNK_SIZE: '100',
      GENERATION_JOB_STALL_SECONDS: '5',
    },
    providerEnv: {
      METRICS_BRANDS: 'prom-low,prom-hooks',
      METRICS_BRANDS_REFRESH_MS: '1000',
      OUTBOX_RELAY_INTERVAL_MS: '500',
      POOL_LOW_CHECK_EVERY_CLAIMS: '1',
    },
  });

  prometheus = await PrometheusServer.start(
    (['generator', 'provider'] as const).map((job) => ({
      job,
      target: new URL(stack[job].url).host,
      labels: { namespace: NAMESPACE },
    })),
    [RULES_FILE],
  );
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await stack?.stop();
  await receiver?.stop();
}, 60_000);

it('scrapes both apps', async () => {
  await eventually(
    async () => {
      const targets = await promGet<{ activeTargets: Array<{ labels: { job: string }; health: string }> }>(
        '/api/v1/targets',
      );
      expect(targets.activeTargets.map((t) => `${t.labels.job}:${t.health}`).sort()).toEqual([
        'generator:up',
        'provider:up',
      ]);
    },
    { timeoutMs: 20_000 },
  );
});

it('drives every flow', async () => {
  // Brands: one with a webhook that answers, fails once, or refuses for good; one with a low pool.
  receiver.answer('/ok', 200);
  receiver.answer('/flaky', 503, 200);
  receiver.answer('/gone', 410);
  for (const [id, path] of [
    ['prom-hooks', '/ok'],
    ['prom-flaky', '/flaky'],
    ['prom-gone', '/gone'],
  ] as const) {
    await createBrand(stack, {
      id,
      name: id,
      webhook: { url: receiver.url(path), secret: 'prom-webhook-secret-0123456789' },
    });
    await addCodes(stack, id, 3);
  }
  await createBrand(stack, {
    id: 'prom-low',
    name: 'prom-low',
    poolLowThreshold: 3,
    autoReplenish: { enabled: true, count: 5 },
  });
  await addCodes(stack, 'prom-low', 4);
  // The predecessor's generate route.
  const legacyGenerate = await stack.genAdmin.post('/discounts/api/v1.0/generate', {
    brand_id: 42,
    number_of_codes: 5,
  });
  expect(legacyGenerate.status).toBe(200);

  // Claims of every outcome.
  for (const id of ['prom-hooks', 'prom-flaky', 'prom-gone'])
    expect((await claim(stack, id, `pu-${id}`)).status).toBe(201);
  expect((await claim(stack, 'prom-hooks', 'pu-prom-hooks')).status).toBe(200);
  expect((await claim(stack, 'prom-nobody', 'pu-1')).status).toBe(404);
  expect((await stack.prov.post('/v1/brands/prom-hooks/claims')).status).toBe(401);
  expect((await claim(stack, 'bad id!', 'pu-1')).status).toBe(400);
  for (let i = 0; i < 3; i++) expect((await claim(stack, 'prom-low', `low-${i}`)).status).toBe(201);
  // One left with threshold 3: pool.low, and the generator replenishes (NATS events).
  await createBrand(stack, { id: 'prom-empty', name: 'prom-empty' });
  expect((await claim(stack, 'prom-empty', 'pu-e')).status).toBe(409);
  // The legacy route.
  const user = await stack.provAdmin.post<CreatedUser>('/v1/users', {});
  expect(
    (await stack.prov.get(`/discounts/api/v1.0/get_code/${user.body.userId}/${user.body.secret}/42`)).status,
  ).toBe(200);
  expect(
    (await stack.prov.get(`/discounts/api/v1.0/get_code/${user.body.userId}/wrong-secret-123/42`)).status,
  ).toBe(401);
  // A generation job (202), followed to the end.
  const submitted = await stack.genAdmin.post<{ jobId: string }>('/v1/brands/prom-hooks/codes', {
    count: 250,
  });
  expect(submitted.status).toBe(202);
  await eventually(
    async () => {
      const job = await stack.genAdmin.get<{ status: string }>(`/v1/jobs/${submitted.body.jobId}`);
      expect(job.body.status).toBe('completed');
    },
    { timeoutMs: 60_000 },
  );
  // Stats and an unknown route.
  expect((await stack.genAdmin.get('/v1/brands/prom-low/stats')).status).toBe(200);
  expect((await stack.gen.get('/no/such/route')).status).toBe(404);

  await receiver.waitUntil(
    () =>
      receiver.at('/ok').length >= 1 && receiver.at('/flaky').length >= 2 && receiver.at('/gone').length >= 1,
    30_000,
    'delivered, retried and refused webhooks',
  );
  // Enough scrapes after the traffic for rates over 1m, and the pool levels refreshed.
  await eventually(
    async () => {
      const dead = await query('discounts_webhook_dead_letters_total{job="generator"}');
      expect(dead.result).toEqual([expect.objectContaining({ value: [expect.any(Number), '1'] })]);
      const low = await query('discounts_codes_available{brand="prom-low"}');
      expect(low.result.length).toBe(1);
      const chunks = await query('sum(discounts_generation_job_chunks_total{outcome="stored"})');
      expect(chunks.result).toEqual([expect.objectContaining({ value: [expect.any(Number), '3'] })]);
      const chunkMessages = await query(
        `sum(discounts_nats_messages_total{subject="${WORK_SUBJECTS.generationChunk}",outcome="ok"}) by (direction)`,
      );
      expect(chunkMessages.result.map((r) => [r.metric.direction, r.value[1]]).sort()).toEqual([
        ['consumed', '3'],
        ['published', '3'],
      ]);
      const completed = await query('discounts_generation_jobs{job="generator",status="completed"}');
      expect(completed.result).toEqual([expect.objectContaining({ value: [expect.any(Number), '1'] })]);
    },
    { timeoutMs: 30_000 },
  );
  await sleep(3_000);
}, 120_000);

const VARIABLES = { namespace: NAMESPACE, job: 'generator|provider', instance: '.*', rateInterval: '1m' };

it('the dashboards and rules read only metrics the apps export', async () => {
  const exported = new Set(['up', ...recordedNames()]);
  for (const app of [stack.generator, stack.provider]) {
    const res = await request(app.url, '/metrics');
    expect(res.status).toBe(200);
    for (const name of exposedNames(res.text)) exported.add(name);
  }
  const missing: string[] = [];
  for (const q of [...dashboardQueries(VARIABLES), ...ruleQueries()]) {
    for (const name of metricNamesIn(q.expr)) if (!exported.has(name)) missing.push(`${q.where}: ${name}`);
  }
  expect(missing).toEqual([]);
});

it("the namespace variable offers the scrapes' namespace", async () => {
  const values = await promGet<string[]>(
    `/api/v1/label/namespace/values?match[]=${encodeURIComponent('up{job=~"generator|provider"}')}`,
  );
  expect(values).toEqual([NAMESPACE]);
});

it('every recording rule records series of that namespace, per service where its level keeps job', async () => {
  const empty: string[] = [];
  for (const name of recordedNames()) {
    const data = await query(`${name}{namespace="${NAMESPACE}"}`);
    if (data.result.length === 0) empty.push(name);
    // namespace_job…: one series per service; namespace: and namespace_stream…: none has a job.
    const perJob = name.split(':')[0]!.split('_').includes('job');
    for (const sample of data.result)
      expect({ name, job: sample.metric.job }).toEqual({
        name,
        job: perJob ? (expect.stringMatching(/^(generator|provider)$/) as unknown) : undefined,
      });
  }
  expect(empty).toEqual([]);
  // A request to each service per round until both recorded request rates are above 0: a rate
  // needs an increase between two scrapes, which the flows' bursts need not have given.
  await eventually(
    async () => {
      expect((await stack.gen.get('/no/such/route')).status).toBe(404);
      expect((await stack.prov.get('/no/such/route')).status).toBe(404);
      const requests = await query(`namespace_job:http_requests:rate5m{namespace="${NAMESPACE}"} > 0`);
      expect(requests.result.map((r) => r.metric.job).sort()).toEqual(['generator', 'provider']);
    },
    { timeoutMs: 20_000, intervalMs: 1_000 },
  );
});

it('every dashboard panel query returns at least one series', async () => {
  const empty: string[] = [];
  const queries = dashboardQueries(VARIABLES);
  expect(queries.length).toBeGreaterThan(30);
  for (const q of queries) {
    const data = await query(q.expr);
    if (data.result.length === 0) empty.push(`${q.where}: ${q.expr}`);
  }
  expect(empty).toEqual([]);
});

it('no dashboard panel query returns a series for another namespace', async () => {
  const leaking: string[] = [];
  for (const q of dashboardQueries({ ...VARIABLES, namespace: 'some-other-namespace' })) {
    const data = await query(q.expr);
    if (data.result.length > 0) leaking.push(`${q.where}: ${q.expr}`);
  }
  expect(leaking).toEqual([]);
});

it('loads every recording and alert rule, healthy', async () => {
  await eventually(
    async () => {
      const data = await promGet<{
        groups: Array<{ name: string; rules: Array<{ name: string; health: string; lastError?: string }> }>;
      }>('/api/v1/rules');
      expect(data.groups.map((g) => g.name).sort()).toEqual(
        rules()
          .groups.map((g) => g.name)
          .sort(),
      );
      const unhealthy = data.groups.flatMap((g) =>
        g.rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`),
      );
      expect(unhealthy).toEqual([]);
      expect(data.groups.flatMap((g) => g.rules).length).toBe(ruleQueries().length);
    },
    { timeoutMs: 15_000 },
  );
  // Nothing alarming in a healthy test run, except the dead letter we caused on purpose.
  const alerts = await promGet<{ alerts: Array<{ labels: { alertname: string } }> }>('/api/v1/alerts');
  expect(
    alerts.alerts
      .map((a) => a.labels.alertname)
      .filter((n) => n !== 'DiscountsWebhookDeadLettersGrowing' && n !== 'DiscountsCodePoolNearlyExhausted'),
  ).toEqual([]);
});
