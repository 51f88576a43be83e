import type { OpenApiInfo } from '@app/http';

/** The generator's API title and description: /docs and openapi/generator.json. */
export const GENERATOR_API_INFO: OpenApiInfo = {
  title: 'Discount codes — generator',
  description: 'Brand-facing API: brands, code generation, stats and webhook deliveries.',
};
