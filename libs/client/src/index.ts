/*
 * Typed clients of the two APIs, generated from the committed OpenAPI documents (openapi/*.json):
 * `npm run openapi` regenerates src/generated/ whenever the apps' routes or DTOs change.
 */
export * from './client';
export type {
  components as GeneratorComponents,
  operations as GeneratorOperations,
} from './generated/generator';
export type {
  components as ProviderComponents,
  operations as ProviderOperations,
} from './generated/provider';
export type { ApiError, ErrorCode, LegacyEnvelope } from './generated/generator';
