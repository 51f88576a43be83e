#!/usr/bin/env node
/**
 * Writes deploy/grafana/dashboards/*.json. The dashboards are code here so that every panel
 * follows the same rules (dashboard-kit.mjs). Run `node tools/grafana/build-dashboards.mjs` after
 * editing; the Prometheus e2e (test/e2e/prometheus.e2e-spec.ts) checks that every query returns
 * series on real data. Where deploy/prometheus/rules.yaml records a series (over 5m, per service),
 * the panel reads it (`rec`) rather than repeating its expression over $__rate_interval.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dashboard, p, panel, rate, ratio, rec, S } from './dashboard-kit.mjs';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'deploy', 'grafana', 'dashboards');
const H = 'http_request_duration_seconds';
const REQUESTS = 'namespace_job:http_requests:rate5m';
const CLAIMS = 'namespace_job_route_outcome:discounts_claims:rate5m';
const POOLS = 'namespace_job_brand:discounts_codes_available:max';
const dashboards = {
  'service-overview': dashboard(
    'discounts-overview',
    'Discounts / Service overview',
    'RED per route of both services',
    [
      panel('Instances up', 'none', [[`sum by (job) (up{${S}})`, '{{job}}']], { type: 'stat', w: 6, h: 4 }),
      panel('Requests per second', 'reqps', [[`sum by (job) (${rec(REQUESTS)})`, '{{job}}']], {
        type: 'stat',
        w: 6,
        h: 4,
      }),
      panel(
        '5xx ratio',
        'percentunit',
        [
          [
            `sum by (job) (${rec('namespace_job:http_requests_5xx:rate5m')}) / sum by (job) (${rec(REQUESTS)})`,
            '{{job}}',
          ],
        ],
        { type: 'stat', w: 6, h: 4 },
      ),
      panel(
        'p99 latency',
        's',
        [
          [
            `histogram_quantile(0.99, sum by (job, le) (${rec('namespace_job_le:http_request_duration_seconds_bucket:rate5m')}))`,
            '{{job}}',
          ],
        ],
        { type: 'stat', w: 6, h: 4 },
      ),
      panel('Rate by route', 'reqps', [
        [`sum by (job, method, route) (${rate(H + '_count')})`, '{{job}} {{method}} {{route}}'],
      ]),
      panel('Rate by status', 'reqps', [
        [`sum by (job, status) (${rate(H + '_count')})`, '{{job}} {{status}}'],
      ]),
      panel('Error ratio (5xx) by route', 'percentunit', [
        [ratio(H + '_count', 'status=~"5.."', 'job, route'), '{{job}} {{route}}'],
      ]),
      panel('Client errors (4xx) by route', 'reqps', [
        [
          `sum by (job, route) (${rate(H + '_count', 'status=~"4.."')}) or sum by (job, route) (${rate(H + '_count')}) * 0`,
          '{{job}} {{route}}',
        ],
      ]),
      panel(
        'p50 / p99 latency by route',
        's',
        [
          [p(0.5, 'job, route', H), 'p50 {{job}} {{route}}'],
          [p(0.99, 'job, route', H), 'p99 {{job}} {{route}}'],
        ],
        { w: 24 },
      ),
      panel(
        'Requests shed (503) by reason',
        'reqps',
        [
          [
            `sum by (job, reason) (${rec('namespace_job_reason:discounts_http_requests_shed:rate5m')})`,
            '{{job}} {{reason}}',
          ],
        ],
        {
          description:
            'Refused with 503 and Retry-After before any work: the process was past a LOAD_SHED_* threshold (event-loop delay or utilization, heap, RSS, requests in flight).',
        },
      ),
      panel(
        'Requests in flight',
        'short',
        [[`max by (job, instance) (discounts_http_requests_in_flight{${S}})`, '{{job}} {{instance}}']],
        {
          description:
            'Requests being served per pod (probes and scrapes left out); at LOAD_SHED_MAX_IN_FLIGHT the next one is shed.',
        },
      ),
      panel(
        'Instances by version',
        'none',
        [
          [
            `count by (job, version, revision) (discounts_build_info{${S}})`,
            '{{job}} {{version}} ({{revision}})',
          ],
        ],
        {
          type: 'stat',
          w: 24,
          h: 4,
          description:
            'How many instances run each build (discounts_build_info): two versions of a service side by side is a rollout in progress, or one stuck.',
        },
      ),
    ],
  ),
  claims: dashboard(
    'discounts-claims',
    'Discounts / Claims',
    'Claims by route and outcome, and their latency',
    [
      panel('Claims per second by outcome', 'reqps', [[`sum by (outcome) (${rec(CLAIMS)})`, '{{outcome}}']]),
      panel('Claims per second by route', 'reqps', [[`sum by (route) (${rec(CLAIMS)})`, '{{route}}']]),
      panel('Exhausted ratio', 'percentunit', [
        [
          `(sum by (route) (${rec(CLAIMS, 'outcome="exhausted"')}) or sum by (route) (${rec(CLAIMS)}) * 0) / sum by (route) (${rec(CLAIMS)})`,
          '{{route}}',
        ],
      ]),
      panel('Unauthorized / invalid per second', 'reqps', [
        [
          `sum by (route, outcome) (${rec(CLAIMS, 'outcome=~"unauthorized|invalid|rate_limited"')})`,
          '{{route}} {{outcome}}',
        ],
      ]),
      panel(
        'Claim latency',
        's',
        [
          [p(0.5, 'route', 'discounts_claim_duration_seconds'), 'p50 {{route}}'],
          [p(0.99, 'route', 'discounts_claim_duration_seconds'), 'p99 {{route}}'],
        ],
        { w: 24 },
      ),
    ],
  ),
  pools: dashboard(
    'discounts-pools',
    'Discounts / Code pools',
    'Available codes of the watched brands, generation, database pool',
    [
      panel('Available codes by brand', 'short', [[`max by (brand) (${rec(POOLS)})`, '{{brand}}']], {
        description:
          'Brands in METRICS_BRANDS plus the top METRICS_TOP_BRANDS (provider), refreshed every METRICS_BRANDS_REFRESH_MS.',
      }),
      panel('Lowest pools', 'short', [[`bottomk(5, max by (brand) (${rec(POOLS)}))`, '{{brand}}']], {
        type: 'bargauge',
      }),
      panel('Codes generated per second', 'short', [
        [`sum by (job) (${rate('discounts_codes_generated_total')})`, '{{job}}'],
      ]),
      panel('Claims taking codes per second', 'reqps', [
        [`sum (${rec(CLAIMS, 'outcome="new"')})`, 'new claims'],
      ]),
      panel('MongoDB pool connections', 'short', [
        [`sum by (job, state) (discounts_mongodb_pool_connections{${S}})`, '{{job}} {{state}}'],
        [`sum by (job) (discounts_mongodb_pool_max_size{${S}})`, '{{job}} max'],
      ]),
      panel('MongoDB pool in use (ratio of max)', 'percentunit', [
        [
          `sum by (job, instance) (discounts_mongodb_pool_connections{${S},state="in_use"}) / sum by (job, instance) (discounts_mongodb_pool_max_size{${S}})`,
          '{{job}} {{instance}}',
        ],
      ]),
    ],
  ),
  'generation-jobs': dashboard(
    'discounts-generation-jobs',
    'Discounts / Generation jobs',
    'Generation jobs, their chunks and throughput',
    [
      panel('Jobs by status', 'short', [[`max by (status) (discounts_generation_jobs{${S}})`, '{{status}}']]),
      panel('Chunks per second by outcome', 'short', [
        [`sum by (outcome) (${rate('discounts_generation_job_chunks_total')})`, '{{outcome}}'],
      ]),
      panel('Chunk duration', 's', [
        [p(0.5, '', 'discounts_generation_job_chunk_duration_seconds'), 'p50'],
        [p(0.99, '', 'discounts_generation_job_chunk_duration_seconds'), 'p99'],
      ]),
      panel('Codes generated per second', 'short', [
        [`sum (${rate('discounts_codes_generated_total')})`, 'codes/s'],
      ]),
      panel(
        'Failed or redelivered chunk ratio',
        'percentunit',
        [[ratio('discounts_generation_job_chunks_total', 'outcome=~"failed|redelivered"', 'job'), '{{job}}']],
        { w: 24 },
      ),
    ],
  ),
  webhooks: dashboard('discounts-webhooks', 'Discounts / Webhooks', 'Webhook deliveries to brands', [
    panel('Deliveries per second by outcome', 'short', [
      [`sum by (outcome) (${rate('discounts_webhook_deliveries_total')})`, '{{outcome}}'],
    ]),
    panel('Failed attempt ratio', 'percentunit', [
      [ratio('discounts_webhook_deliveries_total', 'outcome=~"retry|dead"', 'job'), '{{job}}'],
    ]),
    panel('Delivery latency', 's', [
      [p(0.5, 'outcome', 'discounts_webhook_delivery_duration_seconds'), 'p50 {{outcome}}'],
      [p(0.99, 'outcome', 'discounts_webhook_delivery_duration_seconds'), 'p99 {{outcome}}'],
    ]),
    panel('Dead letters (1h)', 'short', [
      [`sum (increase(discounts_webhook_dead_letters_total{${S}}[1h]))`, 'dead letters'],
    ]),
  ]),
  nats: dashboard('discounts-nats', 'Discounts / NATS', 'Events and commands over NATS, consumers, outbox', [
    panel(
      'Messages per second',
      'short',
      [
        [
          `sum by (job, direction, subject, outcome) (${rate('discounts_nats_messages_total')})`,
          '{{job}} {{direction}} {{subject}} {{outcome}}',
        ],
      ],
      { w: 24 },
    ),
    panel('Handler latency p99 by subject', 's', [
      [p(0.99, 'subject', 'discounts_nats_handler_duration_seconds'), '{{subject}}'],
    ]),
    panel('Consumer lag (pending + unacknowledged)', 'short', [
      [
        `max by (consumer) (${rec('namespace_job_consumer:discounts_nats_consumer_pending:max')})`,
        '{{consumer}}',
      ],
    ]),
    panel('Outbox: claim events not yet in JetStream', 'short', [
      [`max by (job) (${rec('namespace_job:discounts_outbox_pending:max')})`, '{{job}}'],
    ]),
    panel('Connected to NATS', 'none', [
      [`min by (job, instance) (discounts_nats_connected{${S}})`, '{{job}} {{instance}}'],
    ]),
  ]),
  'node-runtime': dashboard(
    'discounts-node-runtime',
    'Discounts / Node.js runtime',
    'CPU, memory, event loop and GC of each instance',
    [
      panel('CPU (cores)', 'short', [
        [`sum by (job, instance) (${rate('process_cpu_seconds_total')})`, '{{job}} {{instance}}'],
      ]),
      panel('Resident memory', 'bytes', [
        [`sum by (job, instance) (process_resident_memory_bytes{${S}})`, '{{job}} {{instance}}'],
      ]),
      panel('Heap used / total', 'bytes', [
        [`sum by (job, instance) (nodejs_heap_size_used_bytes{${S}})`, 'used {{job}} {{instance}}'],
        [`sum by (job, instance) (nodejs_heap_size_total_bytes{${S}})`, 'total {{job}} {{instance}}'],
      ]),
      panel('Event loop lag p99', 's', [
        [`max by (job, instance) (nodejs_eventloop_lag_p99_seconds{${S}})`, '{{job}} {{instance}}'],
      ]),
      panel('GC time per second', 's', [
        [
          `sum by (job, instance, kind) (${rate('nodejs_gc_duration_seconds_sum')})`,
          '{{job}} {{instance}} {{kind}}',
        ],
      ]),
      panel('Open file descriptors', 'short', [
        [`sum by (job, instance) (process_open_fds{${S}})`, '{{job}} {{instance}}'],
      ]),
    ],
  ),
};

mkdirSync(OUT, { recursive: true });
for (const [name, json] of Object.entries(dashboards)) {
  writeFileSync(join(OUT, `${name}.json`), JSON.stringify(json, null, 2) + '\n');
}
process.stdout.write(`wrote ${Object.keys(dashboards).length} dashboards to ${OUT}\n`);
