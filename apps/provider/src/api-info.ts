import type { OpenApiInfo } from '@app/http';

/** The provider's API title and description: /docs and openapi/provider.json. */
export const PROVIDER_API_INFO: OpenApiInfo = {
  title: 'Discount codes — provider',
  description: 'User-facing API: claiming codes, and users of the seed-compatible route.',
};
