export * from './webhook-attempt.schema';
export * from './webhook-attempts.repository';
export * from './webhook-deliveries.repository';
export * from './webhook-delivery.schema';
