/*
 * The apps whose API is published as openapi/<name>.json, and how to build each one's document
 * without starting it (no MongoDB, no NATS).
 */
import type { OpenAPIObject } from '@nestjs/swagger';
import { previewOpenApiDocument } from '@app/http';
// eslint-disable-next-line no-restricted-imports
import { GENERATOR_API_INFO } from '../../apps/generator/src/api-info';
// eslint-disable-next-line no-restricted-imports
import { loadGeneratorConfig } from '../../apps/generator/src/generator.config';
// eslint-disable-next-line no-restricted-imports
import { GeneratorModule } from '../../apps/generator/src/generator.module';
// eslint-disable-next-line no-restricted-imports
import { PROVIDER_API_INFO } from '../../apps/provider/src/api-info';
// eslint-disable-next-line no-restricted-imports
import { loadProviderConfig } from '../../apps/provider/src/provider.config';
// eslint-disable-next-line no-restricted-imports
import { ProviderModule } from '../../apps/provider/src/provider.module';

export const OPENAPI_APPS = ['generator', 'provider'] as const;
export type OpenApiApp = (typeof OPENAPI_APPS)[number];

/**
 * The variables the configs require, with values nothing connects to: the modules need a
 * config to be built, and none of these values shows in the document (routes and DTOs do).
 */
const PLACEHOLDER_ENV = {
  MONGODB_URI: 'mongodb://127.0.0.1:1/openapi',
  NATS_URL: 'nats://127.0.0.1:1',
  ADMIN_TOKEN: 'openapi-placeholder-admin-token-0123456789',
  JWT_SECRET: 'openapi-placeholder-jwt-secret-0123456789abcdef0123456789',
  WEBHOOK_SECRET_KEYS: `openapi:${Buffer.alloc(32, 1).toString('base64')}`,
  USER_SECRET_PEPPER: 'openapi-placeholder-user-secret-pepper-0123456789',
};

export function openApiDocumentOf(app: OpenApiApp): Promise<OpenAPIObject> {
  switch (app) {
    case 'generator':
      return previewOpenApiDocument(
        GeneratorModule.forRoot(loadGeneratorConfig(PLACEHOLDER_ENV)),
        GENERATOR_API_INFO,
      );
    case 'provider':
      return previewOpenApiDocument(
        ProviderModule.forRoot(loadProviderConfig(PLACEHOLDER_ENV)),
        PROVIDER_API_INFO,
      );
  }
}
