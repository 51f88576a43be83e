import type { LoggerService } from '@nestjs/common';
import {
  DiscardPolicy,
  nanos,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from 'nats';
import type { EventStreamConfig } from '@app/config';
import { EVENTS_STREAM } from '@app/contracts';

/** JetStream's "stream name already in use": another service created it between our look and our add. */
const STREAM_NAME_IN_USE = 10058;
const STREAM_NOT_FOUND = 10059;

export function desiredStreamConfig(config: EventStreamConfig): Partial<StreamConfig> & { name: string } {
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

/** The fields we manage that differ between the stream as it is and as configured. */
export function streamDifferences(current: StreamConfig, desired: Partial<StreamConfig>): string[] {
  const differs = (key: keyof StreamConfig) => JSON.stringify(current[key]) !== JSON.stringify(desired[key]);
  return (
    [
      'subjects',
      'retention',
      'storage',
      'discard',
      'max_age',
      'max_bytes',
      'duplicate_window',
      'num_replicas',
    ] as const
  ).filter(differs);
}

/**
 * Creates the event stream, or brings an existing one to the configured limits. Both services
 * call it at start-up and after every reconnection; whichever comes first creates it, and a
 * race between the two ends in an update that changes nothing.
 */
export async function ensureEventStream(
  jsm: JetStreamManager,
  config: EventStreamConfig,
  logger: LoggerService,
): Promise<StreamInfo> {
  const desired = desiredStreamConfig(config);
  for (let attempt = 0; ; attempt++) {
    const current = await streamInfo(jsm, desired.name);
    if (!current) {
      try {
        const created = await jsm.streams.add(desired);
        logger.log(`created JetStream stream ${desired.name} (${desired.subjects!.join(', ')})`);
        return created;
      } catch (error) {
        if (apiErrorCode(error) === STREAM_NAME_IN_USE && attempt === 0) continue;
        throw error;
      }
    }
    const differences = streamDifferences(current.config, desired);
    if (differences.length === 0) return current;
    const updated = await jsm.streams.update(desired.name, { ...current.config, ...desired });
    logger.log(`updated JetStream stream ${desired.name}: ${differences.join(', ')}`);
    return updated;
  }
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | null> {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if (apiErrorCode(error) === STREAM_NOT_FOUND) return null;
    throw error;
  }
}

export function apiErrorCode(error: unknown): number | undefined {
  const apiError = (error as { api_error?: { err_code?: number } } | null)?.api_error;
  return apiError?.err_code;
}
