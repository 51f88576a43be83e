export * from './audit-claims';
export * from './claims-in-database';
export type { RedemptionAnswer } from './audit-redemptions';
