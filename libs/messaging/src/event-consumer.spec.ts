import { AckPolicy, DeliverPolicy } from 'nats';
import { ACK_PENDING_BATCHES, consumerConfig } from './event-consumer';
import { workConsumerConfig } from './work-queue';

describe('consumerConfig', () => {
  it('is a durable pull consumer of one subject with explicit acks, from the start of the stream', () => {
    expect(
      consumerConfig({
        durableName: 'generator-claim-events',
        subject: 'discounts.events.v1.code.claimed',
        ackWaitMs: 30_000,
        maxDeliver: -1,
        maxBatch: 100,
      }),
    ).toStrictEqual({
      durable_name: 'generator-claim-events',
      filter_subject: 'discounts.events.v1.code.claimed',
      ack_policy: AckPolicy.Explicit,
      ack_wait: 30_000_000_000,
      max_deliver: -1,
      max_ack_pending: 100 * ACK_PENDING_BATCHES,
      deliver_policy: DeliverPolicy.All,
    });
  });

  it('for a work queue, never gives up on an item and lets many replicas hold one each', () => {
    expect(
      workConsumerConfig({ durableName: 'workers', subject: 'discounts.work.v1.x', ackWaitMs: 60_000 }),
    ).toMatchObject({
      durable_name: 'workers',
      max_deliver: -1,
      ack_wait: 60_000_000_000,
      max_ack_pending: 1_000,
    });
  });
});
