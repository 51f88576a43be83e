export * from './brand.schema';
export * from './brands.repository';
