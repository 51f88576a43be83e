import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { LATENCY_BUCKETS } from './buckets';
import { MetricsRegistry } from './metrics-registry';

export const CLAIM_ROUTES = ['v1', 'campaign', 'legacy'] as const;
export type ClaimRoute = (typeof CLAIM_ROUTES)[number];

export const CLAIM_OUTCOMES = [
  'new',
  'repeat',
  'exhausted',
  // A campaign claim outside the campaign's dates (409 campaign_not_active).
  'inactive',
  'unauthorized',
  'invalid',
  'not_found',
  'rate_limited',
  'error',
] as const;
export type ClaimOutcome = (typeof CLAIM_OUTCOMES)[number];

/** The outcome an HTTP status stands for when the handler did not say (guards, pipes, filters). */
export function claimOutcomeOfStatus(status: number): ClaimOutcome {
  if (status === 201) return 'new';
  if (status >= 200 && status < 300) return 'repeat';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 409) return 'exhausted';
  if (status === 429) return 'rate_limited';
  if (status >= 400 && status < 500) return 'invalid';
  return 'error';
}

@Injectable()
export class ClaimMetrics {
  private readonly claims: Counter<'route' | 'outcome'>;
  private readonly duration: Histogram<'route'>;

  constructor(registry: MetricsRegistry) {
    this.claims = new Counter({
      name: 'discounts_claims_total',
      help: 'Claim requests by route (v1, campaign, legacy) and outcome',
      labelNames: ['route', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'discounts_claim_duration_seconds',
      help: 'Time to answer a claim request, whatever its outcome',
      labelNames: ['route'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    // Every outcome exists from the start: rates and alerts see 0 instead of no series.
    for (const route of CLAIM_ROUTES) {
      for (const outcome of CLAIM_OUTCOMES) this.claims.inc({ route, outcome }, 0);
      this.duration.zero({ route });
    }
  }

  record(route: ClaimRoute, outcome: ClaimOutcome, seconds: number): void {
    this.claims.inc({ route, outcome });
    this.duration.observe({ route }, seconds);
  }
}
