import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ClaimMetrics, claimOutcomeOfStatus, type ClaimOutcome, type ClaimRoute } from '@app/metrics';

/** Route templates of the claim routes (Fastify's routeOptions.url) and their label. */
const CLAIM_ROUTE_TEMPLATES: Readonly<Record<string, ClaimRoute>> = {
  '/v1/brands/:brandId/claims': 'v1',
  '/v1/brands/:brandId/campaigns/:campaignId/claims': 'campaign',
  '/discounts/api/v1.0/get_code/:user_id/:user_secret/:brand_id': 'legacy',
};

const noted = new WeakMap<FastifyRequest, ClaimOutcome>();

/**
 * For outcomes the status does not tell: the predecessor's route answers 200 to a new claim and
 * to a repeated one alike, and a campaign's 409 is either no code left or the campaign's dates.
 */
export function noteClaimOutcome(request: FastifyRequest, outcome: ClaimOutcome): void {
  noted.set(request, outcome);
}

/**
 * Counts every answer of the claim routes, including the ones guards and pipes give before a
 * handler runs (401, 400, 429), which an interceptor would not see.
 */
export function recordClaimMetrics(fastify: FastifyInstance, metrics: ClaimMetrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ? CLAIM_ROUTE_TEMPLATES[request.routeOptions.url] : undefined;
    if (route) {
      const outcome = noted.get(request) ?? claimOutcomeOfStatus(reply.statusCode);
      metrics.record(route, outcome, reply.elapsedTime / 1000);
    }
    done();
  });
}
