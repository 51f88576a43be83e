import type { LoggerService } from '@nestjs/common';
import {
  DiscardPolicy,
  nanos,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamInfo,
} from 'nats';
import type { EventStreamConfig } from '@app/config';
import { EVENTS_STREAM } from '@app/contracts';
import { ensureStream, type DesiredStream } from './jetstream-admin';

export function desiredStreamConfig(config: EventStreamConfig): DesiredStream {
  return {
    name: EVENTS_STREAM.name,
    subjects: [...EVENTS_STREAM.subjects],
    retention: config.retention === 'interest' ? RetentionPolicy.Interest : RetentionPolicy.Limits,
    storage: StorageType.File,
    // A full stream refuses new events rather than dropping old ones nobody may have delivered
    // yet: the claim still succeeds and its event waits in the outbox (an alert fires at 80%).
    discard: DiscardPolicy.New,
    max_age: nanos(config.maxAgeMs),
    max_bytes: config.maxBytes,
    duplicate_window: nanos(config.duplicateWindowMs),
    num_replicas: config.replicas,
  };
}

/** Creates the event stream, or brings an existing one to the configured limits. */
export function ensureEventStream(
  jsm: JetStreamManager,
  config: EventStreamConfig,
  logger: LoggerService,
): Promise<StreamInfo> {
  return ensureStream(jsm, desiredStreamConfig(config), logger);
}
