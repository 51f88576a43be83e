/**
 * /metrics of both apps, as real processes: RED metrics under route templates (never the raw URL,
 * which on the predecessor's route carries a user's secret), claim outcomes, NATS, outbox, pool
 * and generation series; and METRICS_PORT moving /metrics off the API port.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../support/stack';
import { exposedNames, parseSamples, sumOf } from '../support/prometheus-text';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { addCodes, claim, createBrand } from './support/flows';
import { request, type CreatedUser } from './support/http';
import { eventually } from './support/poll';

let stack: E2eStack;

beforeAll(async () => {
  stack = await startE2eStack({
    label: 'metrics',
    providerEnv: {
      METRICS_BRANDS: 'metrics-a',
      METRICS_BRANDS_REFRESH_MS: '1000',
      OUTBOX_RELAY_INTERVAL_MS: '500',
    },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const metricsOf = async (baseUrl: string) => {
  const res = await request(baseUrl, '/metrics', { headers: { accept: 'text/plain' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text;
};

describe('/metrics', () => {
  const secret = 'Sup3r-secret-in-the-url-0123456789';

  it('counts claims by outcome and records routes by template, never by URL', async () => {
    await createBrand(stack, { id: 'metrics-a', name: 'Metrics A' });
    await addCodes(stack, 'metrics-a', 2);
    const user = await stack.provAdmin.post<CreatedUser>('/v1/users', {});
    expect(user.status).toBe(201);

    expect((await claim(stack, 'metrics-a', 'm-user-1')).status).toBe(201);
    expect((await claim(stack, 'metrics-a', 'm-user-1')).status).toBe(200);
    expect((await claim(stack, 'metrics-unknown', 'm-user-1')).status).toBe(404);
    const legacy = await stack.prov.get(
      `/discounts/api/v1.0/get_code/${user.body.userId}/${user.body.secret}/metrics-a`,
    );
    expect(legacy.status).toBe(200);
    expect((await claim(stack, 'metrics-a', 'm-user-2')).status).toBe(409);
    const wrong = await stack.prov.get(
      `/discounts/api/v1.0/get_code/${user.body.userId}/${secret}/metrics-a`,
    );
    expect(wrong.status).toBe(401);
    const unauthenticated = await stack.prov.post('/v1/brands/metrics-a/claims');
    expect(unauthenticated.status).toBe(401);
    expect((await stack.prov.get('/no/such/route/' + secret)).status).toBe(404);

    const text = await metricsOf(stack.provider.url);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(user.body.secret);
    const routes = new Set(
      parseSamples(text)
        .filter((s) => s.name === 'http_request_duration_seconds_count')
        .map((s) => s.labels.route),
    );
    expect([...routes].sort()).toEqual(
      [
        '/discounts/api/v1.0/get_code/:user_id/:user_secret/:brand_id',
        '/v1/brands/:brandId/claims',
        '/v1/users',
        'unmatched',
      ].sort(),
    );
    const claims = (route: string, outcome: string) =>
      sumOf(text, 'discounts_claims_total', { route, outcome });
    expect({
      v1New: claims('v1', 'new'),
      v1Repeat: claims('v1', 'repeat'),
      v1NotFound: claims('v1', 'not_found'),
      v1Exhausted: claims('v1', 'exhausted'),
      v1Unauthorized: claims('v1', 'unauthorized'),
      legacyNew: claims('legacy', 'new'),
      legacyUnauthorized: claims('legacy', 'unauthorized'),
      legacyInvalid: claims('legacy', 'invalid'),
    }).toEqual({
      v1New: 1,
      v1Repeat: 1,
      v1NotFound: 1,
      v1Exhausted: 1,
      v1Unauthorized: 1,
      legacyNew: 1,
      legacyUnauthorized: 1,
      legacyInvalid: 0,
    });
    expect(sumOf(text, 'discounts_claim_duration_seconds_count', { route: 'v1' })).toBe(5);
    expect(
      sumOf(text, 'http_request_duration_seconds_count', {
        route: '/v1/brands/:brandId/claims',
        status: '201',
      }),
    ).toBe(1);
  });

  it('exports the outbox, pool, NATS and MongoDB pool series of the provider', async () => {
    await eventually(async () => {
      const text = await metricsOf(stack.provider.url);
      expect(sumOf(text, 'discounts_codes_available', { brand: 'metrics-a' })).toBe(0);
      expect(
        sumOf(text, 'discounts_nats_messages_total', {
          direction: 'published',
          subject: 'discounts.events.v1.code.claimed',
          outcome: 'ok',
        }),
      ).toBeGreaterThanOrEqual(2);
      expect(sumOf(text, 'discounts_outbox_pending')).toBe(0);
      expect(sumOf(text, 'discounts_mongodb_pool_connections', { state: 'open' })).toBeGreaterThan(0);
      expect(sumOf(text, 'discounts_nats_connected')).toBe(1);
    });
  });

  it('exports generation, consumer and webhook series of the generator', async () => {
    await eventually(async () => {
      const text = await metricsOf(stack.generator.url);
      expect(sumOf(text, 'discounts_codes_generated_total')).toBe(2);
      expect(
        sumOf(text, 'discounts_nats_messages_total', { direction: 'consumed', outcome: 'ok' }),
      ).toBeGreaterThanOrEqual(2);
      const names = exposedNames(text);
      for (const name of [
        'discounts_generation_job_chunks_total',
        'discounts_generation_job_chunk_duration_seconds_count',
        'discounts_generation_jobs',
        'discounts_webhook_deliveries_total',
        'discounts_webhook_dead_letters_total',
        'discounts_nats_consumer_pending',
        'process_cpu_seconds_total',
        'nodejs_eventloop_lag_seconds',
      ]) {
        expect(names).toContain(name);
      }
      expect(sumOf(text, 'discounts_generation_job_chunks_total', { outcome: 'stored' })).toBe(0);
    });
  });

  it("exports only each app's own families, and the shared ones in both", async () => {
    const provider = exposedNames(await metricsOf(stack.provider.url));
    const generator = exposedNames(await metricsOf(stack.generator.url));
    const providerOnly = ['discounts_claims_total', 'discounts_outbox_pending', 'discounts_codes_available'];
    const generatorOnly = [
      'discounts_codes_generated_total',
      'discounts_generation_jobs',
      'discounts_webhook_deliveries_total',
      'discounts_webhook_dead_letters_total',
    ];
    for (const name of providerOnly) {
      expect(provider).toContain(name);
      expect(generator).not.toContain(name);
    }
    for (const name of generatorOnly) {
      expect(generator).toContain(name);
      expect(provider).not.toContain(name);
    }
    for (const name of [
      'discounts_nats_connected',
      'discounts_mongodb_pool_max_size',
      'process_cpu_seconds_total',
    ])
      for (const names of [provider, generator]) expect(names).toContain(name);
    // Publish counters exist (at 0 before the first event) only for the subjects an app publishes.
    const published = async (url: string) =>
      new Set(
        parseSamples(await metricsOf(url))
          .filter((s) => s.name === 'discounts_nats_messages_total' && s.labels.direction === 'published')
          .map((s) => s.labels.subject),
      );
    expect([...(await published(stack.provider.url))].sort()).toEqual([
      'discounts.events.v1.code.claimed',
      'discounts.events.v1.pool.low',
    ]);
    expect([...(await published(stack.generator.url))]).toEqual(['discounts.events.v1.codes.generated']);
  });

  it('names the build each app runs in discounts_build_info, and the revision it was given', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    const buildInfo = (text: string) => parseSamples(text).filter((s) => s.name === 'discounts_build_info');
    const generator = buildInfo(await metricsOf(stack.generator.url));
    expect(generator).toEqual([
      expect.objectContaining({
        // The apps inherit the test runner's environment: GIT_REVISION if CI sets it.
        labels: { version, revision: process.env.GIT_REVISION?.trim() || 'unknown', node: process.version },
        value: 1,
      }),
    ]);
    await stack.restart('provider', { env: { GIT_REVISION: '0123abcd' } });
    const provider = buildInfo(await metricsOf(stack.provider.url));
    expect(provider).toEqual([
      expect.objectContaining({ labels: { version, revision: '0123abcd', node: process.version }, value: 1 }),
    ]);
  }, 120_000);

  it('serves /metrics on METRICS_PORT only, when it is set', async () => {
    const metricsPort = await freePort();
    await stack.restart('provider', { env: { METRICS_PORT: String(metricsPort) } });
    expect((await request(stack.provider.url, '/metrics')).status).toBe(404);
    const text = await metricsOf(`http://127.0.0.1:${metricsPort}`);
    expect(exposedNames(text)).toContain('discounts_claims_total');
    expect((await request(`http://127.0.0.1:${metricsPort}`, '/health/ready')).status).toBe(404);
  }, 120_000);
});
