export * from './event-payload.pipe';
export * from './event-publisher';
export * from './messaging.module';
export { NATS_CONNECTION, connectNats } from './nats-connection';
export * from './nats-health.indicator';
export * from './nats-microservice';
