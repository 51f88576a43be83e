import { DiscardPolicy, RetentionPolicy, StorageType, type StreamConfig } from 'nats';
import type { EventStreamConfig } from '@app/config';
import { desiredStreamConfig, streamDifferences } from './event-stream';

const config: EventStreamConfig = {
  retention: 'limits',
  maxAgeMs: 7 * 86_400_000,
  maxBytes: 1 << 30,
  duplicateWindowMs: 120_000,
  replicas: 1,
};

describe('desiredStreamConfig', () => {
  it('maps the configuration to JetStream units (nanoseconds) and captures every event subject', () => {
    expect(desiredStreamConfig(config)).toStrictEqual({
      name: 'DISCOUNTS_EVENTS',
      subjects: ['discounts.events.>'],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      max_age: 7 * 86_400 * 1e9,
      max_bytes: 1 << 30,
      duplicate_window: 120 * 1e9,
      num_replicas: 1,
    });
    expect(desiredStreamConfig({ ...config, retention: 'interest' }).retention).toBe(
      RetentionPolicy.Interest,
    );
  });
});

describe('streamDifferences', () => {
  const desired = desiredStreamConfig(config);
  const current = { ...desired, sealed: false, deny_delete: false } as unknown as StreamConfig;

  it('is empty when the stream is as configured (so nothing is updated)', () => {
    expect(streamDifferences(current, desired)).toEqual([]);
  });

  it('names the managed fields that differ', () => {
    const changed = { ...current, max_age: 1, duplicate_window: 2, subjects: ['discounts.events.v1.>'] };
    expect(streamDifferences(changed, desired)).toEqual(['subjects', 'max_age', 'duplicate_window']);
  });
});
