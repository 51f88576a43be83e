export * from './command-client';
export * from './command-payload.pipe';
export * from './event-consumer';
export * from './event-publisher';
export { desiredStreamConfig, ensureEventStream } from './event-stream';
export * from './messaging-errors';
export * from './messaging.module';
export { NatsClient, natsConnectionOptions, type ConnectedListener } from './nats-client';
export * from './nats-health.indicator';
export * from './jetstream-health.indicator';
export * from './nats-microservice';
export * from './work-queue';
export { decodeNestReply, encodeNestRequest, type NestReply } from './nest-envelope';
export {
  captureTraceContext,
  contextFromCarrier,
  inIncomingSpan,
  traceHeaders,
  TRACER_NAME,
  type TraceCarrier,
} from './trace-context';
