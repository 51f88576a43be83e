export * from './brand.schema';
export * from './brand-api-keys.repository';
export * from './brand-webhook-secrets.repository';
export type {
  ApiKeyMatch,
  BrandChanges,
  BrandRecord,
  BrandSettings,
  NewBrand,
  RotatedApiKey,
} from './brand-record';
export * from './brands.repository';
