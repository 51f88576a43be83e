import { DiscardPolicy, RetentionPolicy, StorageType } from 'nats';
import type { EventStreamConfig } from '@app/config';
import { desiredStreamConfig } from './event-stream';

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
      discard: DiscardPolicy.New,
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
