export * from './idempotency-record.schema';
export * from './idempotency-records.repository';
