export * from './audit-claims';
export * from './claims-in-database';
