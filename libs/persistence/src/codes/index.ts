export * from './code-claims.repository';
export * from './code-expiry.repository';
export * from './code-inventory.repository';
export * from './code.schema';
export * from './code-redemptions.repository';
export * from './redeemability';
