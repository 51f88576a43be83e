export * from './brand.schema';
export type {
  ApiKeyMatch,
  BrandChanges,
  BrandRecord,
  BrandSettings,
  NewBrand,
  RotatedApiKey,
} from './brand-record';
export * from './brands.repository';
