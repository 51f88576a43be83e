/**
 * Requests and the Service (of release "discounts") that the chart's Ingress or HTTPRoute must send
 * each to; undefined: no route, the path stays inside the cluster.
 */
export const PUBLIC_ROUTE_CASES: Array<[method: string, path: string, service: string | undefined]> = [
  ['POST', '/discounts/api/v1.0/generate', 'discounts-generator'],
  ['GET', '/discounts/api/v1.0/get_code/alice/s3cret/1', 'discounts-provider'],
  ['POST', '/v1/brands', 'discounts-generator'],
  ['GET', '/v1/brands/claims', 'discounts-generator'],
  ['POST', '/v1/brands/acme/api-keys', 'discounts-generator'],
  ['GET', '/v1/brands/acme/webhook-deliveries', 'discounts-generator'],
  ['POST', '/v1/brands/acme/codes', 'discounts-generator'],
  ['POST', '/v1/brands/acme/codes/import', 'discounts-generator'],
  ['GET', '/v1/brands/acme/stats', 'discounts-generator'],
  ['GET', '/v1/brands/acme/codes.csv', 'discounts-generator'],
  ['GET', '/v1/jobs/42', 'discounts-generator'],
  ['POST', '/v1/brands/acme/claims', 'discounts-provider'],
  ['POST', '/v1/brands/claims/claims', 'discounts-provider'],
  ['POST', '/v1/brands/acme/campaigns/summer/claims', 'discounts-provider'],
  ['POST', '/v1/brands/acme/campaigns', 'discounts-generator'],
  ['PATCH', '/v1/brands/acme/campaigns/claims', 'discounts-generator'],
  ['POST', '/v1/brands/acme/campaigns/summer/codes', 'discounts-generator'],
  ['GET', '/v1/brands/acme/campaigns/summer/stats', 'discounts-generator'],
  ['POST', '/v1/brands/acme/redemptions', 'discounts-generator'],
  ['POST', '/v1/brands/acme/validations', 'discounts-generator'],
  ['POST', '/v1/users', 'discounts-provider'],
  ['GET', '/health/ready', undefined],
  ['GET', '/metrics', undefined],
  ['GET', '/docs', undefined],
];
