import type { StreamConfig } from 'nats';
import { desiredStreamConfig } from './event-stream';
import { configDrift } from './jetstream-admin';

describe('configDrift', () => {
  const desired = desiredStreamConfig({
    retention: 'limits',
    maxAgeMs: 7 * 86_400_000,
    maxBytes: 1 << 30,
    duplicateWindowMs: 120_000,
    replicas: 1,
  });
  // The server answers with every field, most of them not ours to manage.
  const current = { ...desired, sealed: false, deny_delete: false } as StreamConfig;

  it('is empty when the server has what we want (so nothing is updated)', () => {
    expect(configDrift(current, desired)).toEqual([]);
  });

  it('names the managed fields that differ, compared by value', () => {
    const changed = { ...current, max_age: 1, duplicate_window: 2, subjects: ['discounts.events.v1.>'] };
    expect(configDrift(changed, desired)).toEqual(['subjects', 'max_age', 'duplicate_window']);
    expect(configDrift({ ...current, subjects: ['discounts.events.>'] }, desired)).toEqual([]);
  });
});
