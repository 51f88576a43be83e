export { CommandClient } from './command-client';
export { CommandPayloadPipe } from './command-payload.pipe';
export { EventConsumers, type ConsumedEvent, type DurableConsumerSpec } from './event-consumer';
export { EventPublisher, type Published, type PublishOptions } from './event-publisher';
export { ensureEventStream } from './event-stream';
export { ensureStream, type DesiredStream } from './jetstream-admin';
export { CommandFailedError, NatsUnavailableError, type CommandFailure } from './messaging-errors';
export { MessagingModule } from './messaging.module';
export { NatsClient, natsConnectionOptions } from './nats-client';
export { NatsHealthIndicator } from './nats-health.indicator';
export { natsMicroserviceOptions } from './nats-microservice';
export { WorkQueue, type WorkItem, type WorkQueueSpec } from './work-queue';
export {
  captureTraceContext,
  contextFromCarrier,
  inIncomingSpan,
  traceHeaders,
  type TraceCarrier,
} from './trace-context';
