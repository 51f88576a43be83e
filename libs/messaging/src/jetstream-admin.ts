import type { LoggerService } from '@nestjs/common';
import { errorMessage } from '@app/scheduling';
import {
  AckPolicy,
  DeliverPolicy,
  nanos,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from 'nats';

/** JetStream API error codes this code reacts to. */
const CONSUMER_NOT_FOUND = 10014;
/** "Stream name already in use": another service created it between our look and our add. */
const STREAM_NAME_IN_USE = 10058;
const STREAM_NOT_FOUND = 10059;

export type DesiredStream = Partial<StreamConfig> & { name: string };
export type DesiredConsumer = Partial<ConsumerConfig> & { durable_name: string; filter_subject: string };

export function apiErrorCode(error: unknown): number | undefined {
  return apiErrorOf(error)?.err_code;
}

/**
 * A refused publish as an operator can read it: nats.js says only "503" and keeps the reason
 * ("maximum bytes exceeded" for a full stream) in api_error.
 */
export function describePublishRefusal(error: unknown, what: string): unknown {
  const description = apiErrorOf(error)?.description;
  return description ? new Error(`JetStream refused ${what}: ${description}`, { cause: error }) : error;
}

function apiErrorOf(error: unknown): { err_code?: number; description?: string } | undefined {
  return (error as { api_error?: { err_code?: number; description?: string } } | null)?.api_error;
}

/** The fields we manage (those of `desired`) that differ between the server's config and ours. */
export function configDrift<C extends object>(current: C, desired: Partial<C>): string[] {
  return (Object.keys(desired) as Array<keyof C>)
    .filter((key) => JSON.stringify(current[key]) !== JSON.stringify(desired[key]))
    .map(String);
}

/** A durable pull consumer of one subject with explicit acks, from the start of the stream. */
export function durableConsumerConfig(spec: {
  readonly durableName: string;
  readonly subject: string;
  readonly ackWaitMs: number;
  /** Deliveries before the server gives up on a message; -1 never gives up. */
  readonly maxDeliver: number;
  readonly maxAckPending: number;
}): DesiredConsumer {
  return {
    durable_name: spec.durableName,
    filter_subject: spec.subject,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(spec.ackWaitMs),
    max_deliver: spec.maxDeliver,
    max_ack_pending: spec.maxAckPending,
    // All: a new durable also gets what was published before it first ran.
    deliver_policy: DeliverPolicy.All,
  };
}

/**
 * Creates a stream, or brings an existing one to `desired`. Every service that needs it calls
 * this at start-up and after reconnections; whichever comes first creates it, and a race between
 * two ends in an update that changes nothing. An update the server refuses is logged, not thrown.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  desired: DesiredStream,
  logger: LoggerService,
): Promise<StreamInfo> {
  for (let attempt = 0; ; attempt++) {
    const current = await streamInfo(jsm, desired.name);
    if (!current) {
      try {
        const created = await jsm.streams.add(desired);
        logger.log(`created JetStream stream ${desired.name} (${desired.subjects?.join(', ')})`);
        return created;
      } catch (error) {
        if (apiErrorCode(error) === STREAM_NAME_IN_USE && attempt === 0) continue;
        throw error;
      }
    }
    const drift = configDrift(current.config, desired);
    if (drift.length === 0) return current;
    try {
      const updated = await jsm.streams.update(desired.name, { ...current.config, ...desired });
      logger.log(`updated JetStream stream ${desired.name}: ${drift.join(', ')}`);
      return updated;
    } catch (error) {
      // Some fields cannot change on a live stream (retention, storage): it still works as it is.
      logger.warn(
        `JetStream stream ${desired.name} differs from its configuration (${drift.join(', ')}) ` +
          `and the server refused the update, so it is used as it is: ${errorMessage(error)}`,
      );
      return current;
    }
  }
}

/** Creates a durable consumer, or updates the one the server has when any managed field drifted. */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  desired: DesiredConsumer,
  logger: LoggerService,
): Promise<void> {
  let current;
  try {
    current = await jsm.consumers.info(stream, desired.durable_name);
  } catch (error) {
    if (apiErrorCode(error) !== CONSUMER_NOT_FOUND) throw error;
    await jsm.consumers.add(stream, desired);
    logger.log(`created durable consumer on ${desired.filter_subject}`);
    return;
  }
  const drift = configDrift(current.config, desired);
  if (drift.length === 0) return;
  await jsm.consumers.update(stream, desired.durable_name, desired);
  logger.log(`updated durable consumer: ${drift.join(', ')}`);
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | null> {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if (apiErrorCode(error) === STREAM_NOT_FOUND) return null;
    throw error;
  }
}
