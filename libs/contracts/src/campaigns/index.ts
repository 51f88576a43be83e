export * from './campaign-ids';
export * from './redemptions';
