import { BuildInfoMetrics } from './build-info-metrics';
import { ClaimMetrics, claimOutcomeOfStatus } from './claim-metrics';
import { MetricsRegistry } from './metrics-registry';
import { CodePoolMetrics, MAX_BRAND_SERIES } from './pool-metrics';
import { HttpMetrics } from './http-metrics';

describe('claimOutcomeOfStatus', () => {
  it.each([
    [201, 'new'],
    [200, 'repeat'],
    [400, 'invalid'],
    [401, 'unauthorized'],
    [403, 'unauthorized'],
    [404, 'not_found'],
    [409, 'exhausted'],
    [413, 'invalid'],
    [429, 'rate_limited'],
    [500, 'error'],
    [503, 'error'],
  ])('%i → %s', (status, outcome) => {
    expect(claimOutcomeOfStatus(status)).toBe(outcome);
  });
});

describe('metrics registry', () => {
  it('is one per instance, so two apps in one process do not collide', async () => {
    const a = new MetricsRegistry();
    const b = new MetricsRegistry();
    new ClaimMetrics(a).record('v1', 'new', 0.01);
    new ClaimMetrics(b);
    expect(await a.getSingleMetricAsString('discounts_claims_total')).toContain(
      'discounts_claims_total{route="v1",outcome="new"} 1',
    );
    expect(await b.getSingleMetricAsString('discounts_claims_total')).toContain(
      'discounts_claims_total{route="v1",outcome="new"} 0',
    );
  });

  it('keeps at most MAX_BRAND_SERIES brand series and drops brands no longer watched', async () => {
    const registry = new MetricsRegistry();
    const pool = new CodePoolMetrics(registry);
    pool.set(new Map(Array.from({ length: MAX_BRAND_SERIES + 20 }, (_, i) => [`b${i}`, i])));
    const text = await registry.getSingleMetricAsString('discounts_codes_available');
    expect(text.split('\n').filter((l) => l.startsWith('discounts_codes_available{'))).toHaveLength(
      MAX_BRAND_SERIES,
    );
    pool.set(new Map([['only', 3]]));
    const after = await registry.getSingleMetricAsString('discounts_codes_available');
    expect(after.split('\n').filter((l) => l.startsWith('discounts_codes_available{'))).toEqual([
      'discounts_codes_available{brand="only"} 3',
    ]);
  });

  it('leaves probes and scrapes out of the RED histogram', async () => {
    const registry = new MetricsRegistry();
    const http = new HttpMetrics(registry);
    http.observe('GET', '/health/ready', 200, 0.001);
    http.observe('GET', '/metrics', 200, 0.001);
    http.observe('POST', '/v1/brands', 201, 0.02);
    const text = await registry.getSingleMetricAsString('http_request_duration_seconds');
    expect(text).toContain('route="/v1/brands"');
    expect(text).not.toContain('/health');
    expect(text).not.toContain('/metrics');
  });
});

describe('build info', () => {
  it('is one series at 1 whose labels name the build, replaced when recorded again', async () => {
    const registry = new MetricsRegistry();
    const info = new BuildInfoMetrics(registry);
    info.record({ version: '0.1.0', revision: 'unknown', node: 'v20.20.2' });
    info.record({ version: '0.2.0', revision: 'abc123', node: 'v24.11.0' });
    const lines = (await registry.getSingleMetricAsString('discounts_build_info'))
      .split('\n')
      .filter((l) => l.startsWith('discounts_build_info{'));
    expect(lines).toEqual(['discounts_build_info{version="0.2.0",revision="abc123",node="v24.11.0"} 1']);
  });
});
