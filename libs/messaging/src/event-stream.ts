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
    // Old events go first when the stream is full: new claims must always be publishable.
    discard: DiscardPolicy.Old,
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
