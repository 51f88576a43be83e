/**
 * The work queue of @app/messaging against a NATS server of this file's own: the stream it
 * creates (and brings back to its config), one item at a time per worker, acknowledgement only
 * after the handler, redelivery after a failure, termination of an item that breaks its schema,
 * the worker's lag in the same gauge as the event consumers', and a stream the server will not
 * bring to its config used as it is.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleLogger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { connect, nanos, RetentionPolicy, StorageType, type NatsConnection } from 'nats';
import { z } from 'zod';
import { ConfigModule } from '@app/config';
import { EVENTS_STREAM, JOB_SUBJECT_PREFIX, JOBS_STREAM } from '@app/contracts';
import { ensureEventStream, MessagingModule, NatsClient, WorkQueue, type WorkItem } from '@app/messaging';
import { MetricsRegistry } from '@app/metrics';
import { eventually } from '../e2e/support/poll';
import { startNats, stopPid, type StartedNats } from '../support/stack';
import { testNatsConfig } from '../support/config';

const itemSchema = z.object({ n: z.number().int() }).strict();
type Item = z.infer<typeof itemSchema>;

let tempDir: string;
let nats: StartedNats;
let moduleRef: TestingModule;
let raw: NatsConnection;

beforeAll(async () => {
  tempDir = mkdtempSync(join(tmpdir(), 'work-queue-int-spec-'));
  nats = await startNats({ dataDir: join(tempDir, 'nats') });
  raw = await connect({ servers: nats.url });
  // A stream left by an older version, with another duplicate window: the queue brings it back.
  await (
    await raw.jetstreamManager()
  ).streams.add({
    name: JOBS_STREAM.name,
    subjects: [...JOBS_STREAM.subjects],
    retention: RetentionPolicy.Workqueue,
    duplicate_window: nanos(60_000),
  });
  moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(testNatsConfig('work-queue-int-spec', nats.url)), MessagingModule],
  })
    .setLogger(new ConsoleLogger({ logLevels: ['fatal'] }))
    .compile();
  await moduleRef.init();
  await moduleRef.get(NatsClient).whenConnected();
});

afterAll(async () => {
  await moduleRef?.close();
  await raw?.close();
  if (nats) await stopPid(nats.record, 5_000);
  rmSync(tempDir, { recursive: true, force: true });
});

/** A subject and durable of the test's own: filters of a work-queue stream may not overlap. */
function queueOfTest() {
  const id = randomBytes(4).toString('hex');
  return { subject: `${JOB_SUBJECT_PREFIX}.v1.test.${id}`, durableName: `test-workers-${id}` };
}

function startWorker(
  queue: { subject: string; durableName: string },
  handle: (item: WorkItem<Item>) => Promise<void>,
) {
  return moduleRef.get(WorkQueue).startWorker({
    ...queue,
    schema: itemSchema,
    ackWaitMs: 10_000,
    retryDelayMs: 200,
    handle,
  });
}

const consumerInfo = async (durableName: string) =>
  (await raw.jetstreamManager()).consumers.info(JOBS_STREAM.name, durableName);

it('brings the stream to its config, and acknowledges each item once handled', async () => {
  const queue = queueOfTest();
  const work = moduleRef.get(WorkQueue);
  for (const n of [1, 2, 3]) await work.publish(queue.subject, { n }, `${queue.durableName}:${n}`);
  expect(await work.publish(queue.subject, { n: 1 }, `${queue.durableName}:1`)).toEqual({ duplicate: true });
  expect((await (await raw.jetstreamManager()).streams.info(JOBS_STREAM.name)).config.duplicate_window).toBe(
    nanos(30 * 60_000),
  );

  const handled: number[] = [];
  const worker = startWorker(queue, ({ payload }) => {
    handled.push(payload.n);
    return Promise.resolve();
  });
  try {
    await eventually(() => Promise.resolve(expect(handled).toEqual([1, 2, 3])), { timeoutMs: 10_000 });
    await eventually(async () => {
      const info = await consumerInfo(queue.durableName);
      expect([info.num_pending, info.num_ack_pending, info.num_redelivered]).toEqual([0, 0, 0]);
    });
  } finally {
    await worker.stop();
  }
});

it('asks again for an item whose handler failed, and terminates one that breaks its schema', async () => {
  const queue = queueOfTest();
  await raw.jetstream().publish(queue.subject, new TextEncoder().encode('{"n":"not a number"}'));
  await moduleRef.get(WorkQueue).publish(queue.subject, { n: 7 }, `${queue.durableName}:7`);
  const deliveries: number[] = [];
  const worker = startWorker(queue, ({ deliveryCount }) => {
    deliveries.push(deliveryCount);
    return deliveryCount === 1 ? Promise.reject(new Error('database down for a moment')) : Promise.resolve();
  });
  try {
    await eventually(() => Promise.resolve(expect(deliveries).toEqual([1, 2])), { timeoutMs: 10_000 });
    await eventually(async () => {
      const info = await consumerInfo(queue.durableName);
      // The invalid item was terminated, not handed over nor held for another delivery.
      expect([info.num_pending, info.num_ack_pending]).toEqual([0, 0]);
    });
    expect(deliveries).toEqual([1, 2]);
  } finally {
    await worker.stop();
  }
});

it('holds one item at a time, the rest left on the server for other replicas, and reports them as its lag', async () => {
  const queue = queueOfTest();
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let started = 0;
  const worker = startWorker(queue, async () => {
    started++;
    await released;
  });
  try {
    for (const n of [1, 2, 3])
      await moduleRef.get(WorkQueue).publish(queue.subject, { n }, `${queue.durableName}:${n}`);
    await eventually(() => Promise.resolve(expect(started).toBe(1)), { timeoutMs: 10_000 });
    // One in hand (unacknowledged) and two waiting on the server, not in this client's buffer.
    await eventually(async () => {
      const info = await consumerInfo(queue.durableName);
      expect([info.num_ack_pending, info.num_pending]).toEqual([1, 2]);
    });
    // The gauge is read every 5 s.
    await eventually(
      async () =>
        expect(await moduleRef.get(MetricsRegistry).metrics()).toContain(
          `discounts_nats_consumer_pending{consumer="${queue.durableName}"} 3`,
        ),
      { timeoutMs: 15_000 },
    );
  } finally {
    release();
    await worker.stop();
  }
}, 30_000);

it('uses a stream as it is, with a warning, when the server refuses to bring it to its config', async () => {
  const jsm = await raw.jetstreamManager();
  await jsm.streams.delete(EVENTS_STREAM.name);
  // Storage cannot change on a live stream.
  await jsm.streams.add({
    name: EVENTS_STREAM.name,
    subjects: [...EVENTS_STREAM.subjects],
    storage: StorageType.Memory,
  });
  const logger = { log: jest.fn(), error: jest.fn(), warn: jest.fn() };
  const info = await ensureEventStream(jsm, testNatsConfig('refused', nats.url).eventStream, logger);
  expect(info.config.storage).toBe(StorageType.Memory);
  expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('the server refused the update'));
});
