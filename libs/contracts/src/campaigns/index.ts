export * from './campaign-ids';
export * from './metadata';
export * from './redemptions';
