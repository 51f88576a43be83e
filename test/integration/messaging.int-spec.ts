/**
 * @app/messaging against real NATS servers of this file's own (started and stopped by PID, so
 * the machine's NATS is never touched and its streams never collide with ours): the event
 * stream, JetStream publishing with de-duplication, durable consumers, request/reply against a
 * real Nest @MessagePattern handler, and a service that starts while NATS is down.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConsoleLogger, Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Test, type TestingModule } from '@nestjs/testing';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { ConfigModule, type CommonConfig, type EventStreamConfig } from '@app/config';
import {
  COMMANDS,
  EVENTS_STREAM,
  SUBJECTS,
  type CodeClaimedV1,
  type ReplenishPoolReplyV1,
  type ReplenishPoolRequestV1,
} from '@app/contracts';
import {
  CommandClient,
  CommandFailedError,
  CommandPayloadPipe,
  EventConsumers,
  EventPublisher,
  MessagingModule,
  NatsClient,
  NatsHealthIndicator,
  NatsUnavailableError,
  ensureEventStream,
  natsMicroserviceOptions,
  type ConsumedEvent,
} from '@app/messaging';
import { eventually } from '../e2e/support/poll';
import { freePort, startNats, stopPid, type StartedNats } from '../support/stack';
import { testCommonConfig } from '../support/config';

const codec = JSONCodec<unknown>();
const STREAM: EventStreamConfig = {
  retention: 'limits',
  maxAgeMs: 3_600_000,
  maxBytes: 64 << 20,
  duplicateWindowMs: 120_000,
  replicas: 1,
};
const quietLogger = new ConsoleLogger({ logLevels: ['fatal'] });

let tempDir: string;
let nats: StartedNats;

beforeAll(async () => {
  tempDir = mkdtempSync(join(tmpdir(), 'messaging-int-spec-'));
  nats = await startNats({ dataDir: join(tempDir, 'main') });
});

afterAll(async () => {
  if (nats) await stopPid(nats.record, 5_000);
  rmSync(tempDir, { recursive: true, force: true });
});

function configFor(servers: string[], name = 'messaging-int-spec'): CommonConfig {
  return {
    ...testCommonConfig(name),
    mongo: {
      uri: 'mongodb://127.0.0.1:1/unused',
      maxPoolSize: undefined,
      serverSelectionTimeoutMs: 1_000,
      allowWeakDurability: false,
    },
    nats: { servers, user: undefined, password: undefined, token: undefined },
    eventStream: STREAM,
    adminToken: 'messaging-int-spec-admin-token',
  };
}

async function messagingModule(servers: string[], name?: string): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(configFor(servers, name)), MessagingModule],
  })
    .setLogger(quietLogger)
    .compile();
  await moduleRef.init();
  return moduleRef;
}

function claimedEvent(brandId: string, overrides: Partial<CodeClaimedV1> = {}): CodeClaimedV1 {
  return {
    eventId: randomUUID(),
    type: 'code.claimed',
    version: 1,
    brandId,
    code: `C${randomBytes(4).toString('hex').toUpperCase()}`,
    userId: 'user-1',
    claimedAt: new Date().toISOString(),
    ...overrides,
  };
}

const brandOfTest = () => `int-${randomBytes(4).toString('hex')}`;

describe('with the service connected', () => {
  let moduleRef: TestingModule;
  let client: NatsClient;
  let publisher: EventPublisher;
  let raw: NatsConnection;

  beforeAll(async () => {
    moduleRef = await messagingModule([nats.url]);
    client = moduleRef.get(NatsClient);
    await client.whenConnected();
    publisher = moduleRef.get(EventPublisher);
    raw = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await raw?.close();
    await moduleRef?.close();
  });

  /** Messages of the stream on `subject` whose payload has this brand. */
  async function storedFor(brandId: string, subject: string = SUBJECTS.codeClaimed) {
    const jsm = await raw.jetstreamManager();
    const info = await jsm.streams.info(EVENTS_STREAM.name);
    const found: Array<{ payload: CodeClaimedV1; msgId: string | undefined }> = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const message = await jsm.streams.getMessage(EVENTS_STREAM.name, { seq }).catch(() => null);
      if (!message || message.subject !== subject) continue;
      const payload = codec.decode(message.data) as CodeClaimedV1;
      if (payload.brandId === brandId) found.push({ payload, msgId: message.header?.get('Nats-Msg-Id') });
    }
    return found;
  }

  describe('the event stream', () => {
    it('is created on connection with the configured subjects and limits', async () => {
      const info = await (await raw.jetstreamManager()).streams.info(EVENTS_STREAM.name);
      expect(info.config).toMatchObject({
        subjects: ['discounts.events.>'],
        retention: 'limits',
        storage: 'file',
        max_age: STREAM.maxAgeMs * 1e6,
        max_bytes: STREAM.maxBytes,
        duplicate_window: STREAM.duplicateWindowMs * 1e6,
        num_replicas: 1,
      });
    });

    it('is left alone when it is as configured, and brought to new limits otherwise', async () => {
      const jsm = await raw.jetstreamManager();
      const log = jest.fn();
      const logger = { log, error: jest.fn(), warn: jest.fn() };
      await ensureEventStream(jsm, STREAM, logger);
      expect(log).not.toHaveBeenCalled();
      const longer = { ...STREAM, maxAgeMs: 2 * STREAM.maxAgeMs };
      expect((await ensureEventStream(jsm, longer, logger)).config.max_age).toBe(longer.maxAgeMs * 1e6);
      expect(log).toHaveBeenCalledWith('updated JetStream stream DISCOUNTS_EVENTS: max_age');
      await ensureEventStream(jsm, STREAM, logger);
      expect((await jsm.streams.info(EVENTS_STREAM.name)).config.max_age).toBe(STREAM.maxAgeMs * 1e6);
    });

    it('two services creating it at the same moment both succeed, with one stream', async () => {
      const other = await connect({ servers: nats.url });
      try {
        const jsm = await raw.jetstreamManager();
        await jsm.streams.delete(EVENTS_STREAM.name);
        const logger = { log: jest.fn(), error: jest.fn(), warn: jest.fn() };
        const [a, b] = await Promise.all([
          ensureEventStream(jsm, STREAM, logger),
          ensureEventStream(await other.jetstreamManager(), STREAM, logger),
        ]);
        expect(a.config.name).toBe(EVENTS_STREAM.name);
        expect(b.config.name).toBe(EVENTS_STREAM.name);
        const names: string[] = [];
        for await (const name of jsm.streams.names()) names.push(name);
        // Other streams (the jobs' work queue) may exist on this server; events have one.
        expect(names.filter((name) => name.startsWith('DISCOUNTS_EVENTS'))).toEqual([EVENTS_STREAM.name]);
      } finally {
        await other.close();
      }
    });
  });

  describe('EventPublisher', () => {
    it('stores the event once JetStream acknowledged it, with the event id as message id', async () => {
      const brandId = brandOfTest();
      const event = claimedEvent(brandId);
      const published = await publisher.publish(SUBJECTS.codeClaimed, event);
      expect(published).toEqual({ duplicate: false, sequence: expect.any(Number) as unknown });
      expect(await storedFor(brandId)).toEqual([{ payload: event, msgId: event.eventId }]);
    });

    it('a second publish of the same event (a retry, another replica) is acknowledged as a duplicate and not stored', async () => {
      const brandId = brandOfTest();
      const event = claimedEvent(brandId);
      const first = await publisher.publish(SUBJECTS.codeClaimed, event);
      const again = await Promise.all([1, 2, 3].map(() => publisher.publish(SUBJECTS.codeClaimed, event)));
      expect(again.map((p) => p.duplicate)).toEqual([true, true, true]);
      expect(again.map((p) => p.sequence)).toEqual([first.sequence, first.sequence, first.sequence]);
      expect(await storedFor(brandId)).toHaveLength(1);
    });

    it.each<[string, (brandId: string) => unknown]>([
      ['an extra field', (brandId) => ({ ...claimedEvent(brandId), secret: 'x' })],
      ['a bad eventId', (brandId) => claimedEvent(brandId, { eventId: 'not-a-uuid' })],
      ['a user id with "#"', (brandId) => claimedEvent(brandId, { userId: '#taken' })],
      [
        'the payload of another subject',
        (brandId) => ({ ...claimedEvent(brandId), type: 'codes.generated' }),
      ],
    ])('refuses %s before publishing: nothing reaches the stream', async (_, make) => {
      const brandId = brandOfTest();
      await expect(publisher.publish(SUBJECTS.codeClaimed, make(brandId) as CodeClaimedV1)).rejects.toThrow();
      expect(await storedFor(brandId)).toEqual([]);
    });
  });

  describe('durable consumers', () => {
    /** Starts a consumer that keeps the events of `brandId` only (the stream holds every test's events). */
    function collect(
      brandId: string,
      durableName: string,
      handle: (events: ReadonlyArray<ConsumedEvent<typeof SUBJECTS.codeClaimed>>) => Promise<void> = () =>
        Promise.resolve(),
    ) {
      const received: Array<{ eventId: string; deliveryCount: number; batch: number }> = [];
      let batches = 0;
      const consumer = moduleRef.get(EventConsumers).start({
        durableName,
        subject: SUBJECTS.codeClaimed,
        ackWaitMs: 10_000,
        maxDeliver: -1,
        maxBatch: 50,
        retryDelayMs: 200,
        handle: async (events) => {
          batches++;
          const mine = events.filter((e) => e.payload.brandId === brandId);
          await handle(mine);
          for (const e of mine)
            received.push({ eventId: e.payload.eventId, deliveryCount: e.deliveryCount, batch: batches });
        },
      });
      return { consumer, received };
    }

    it('hands over valid events in batches and acknowledges them', async () => {
      const brandId = brandOfTest();
      const events = Array.from({ length: 120 }, () => claimedEvent(brandId));
      await Promise.all(events.map((e) => publisher.publish(SUBJECTS.codeClaimed, e)));
      const { consumer, received } = collect(brandId, `batches-${brandId}`);
      try {
        await eventually(() => Promise.resolve(expect(received).toHaveLength(120)), { timeoutMs: 10_000 });
        expect(new Set(received.map((r) => r.eventId))).toEqual(new Set(events.map((e) => e.eventId)));
        // 120 stored events arrive in batches of at most 50, not in 120 calls. How full each fetch
        // comes back is the server's timing (a busy machine gets partial fetches: 8 batches were
        // seen where 3 would do), so the bounds are asserted, not a count.
        const perBatch = new Map<number, number>();
        for (const r of received) perBatch.set(r.batch, (perBatch.get(r.batch) ?? 0) + 1);
        const sizes = [...perBatch.values()];
        expect(Math.max(...sizes)).toBeGreaterThan(1);
        expect(Math.max(...sizes)).toBeLessThanOrEqual(50);
        expect(sizes.length).toBeLessThan(120 / 4);
        const info = await (
          await raw.jetstreamManager()
        ).consumers.info(EVENTS_STREAM.name, `batches-${brandId}`);
        await eventually(async () => {
          const now = await (
            await raw.jetstreamManager()
          ).consumers.info(EVENTS_STREAM.name, `batches-${brandId}`);
          expect(now.num_ack_pending).toBe(0);
        });
        expect(info.config).toMatchObject({
          ack_policy: 'explicit',
          filter_subject: SUBJECTS.codeClaimed,
          max_deliver: -1,
        });
      } finally {
        await consumer.stop();
      }
    });

    it('redelivers a batch whose handler failed, with a higher delivery count', async () => {
      const brandId = brandOfTest();
      const event = claimedEvent(brandId);
      let failures = 0;
      const { consumer, received } = collect(brandId, `retry-${brandId}`, async (mine) => {
        if (mine.length > 0 && failures++ === 0) throw new Error('database down for a moment');
        await Promise.resolve();
      });
      try {
        await publisher.publish(SUBJECTS.codeClaimed, event);
        await eventually(() => Promise.resolve(expect(received).toHaveLength(1)), { timeoutMs: 10_000 });
        expect(received[0]).toMatchObject({ eventId: event.eventId, deliveryCount: 2 });
      } finally {
        await consumer.stop();
      }
    });

    it('terminates a message that breaks the contract and carries on with the rest', async () => {
      const brandId = brandOfTest();
      const js = raw.jetstream();
      await js.publish(SUBJECTS.codeClaimed, codec.encode({ ...claimedEvent(brandId), extra: 1 }));
      await js.publish(SUBJECTS.codeClaimed, new TextEncoder().encode('not json'));
      const good = claimedEvent(brandId);
      await publisher.publish(SUBJECTS.codeClaimed, good);
      const { consumer, received } = collect(brandId, `poison-${brandId}`);
      try {
        await eventually(
          () => Promise.resolve(expect(received.map((r) => r.eventId)).toContain(good.eventId)),
          {
            timeoutMs: 10_000,
          },
        );
        await sleep(600);
        expect(received.map((r) => r.eventId)).toEqual([good.eventId]);
        const info = await (
          await raw.jetstreamManager()
        ).consumers.info(EVENTS_STREAM.name, `poison-${brandId}`);
        expect(info.num_ack_pending).toBe(0);
        expect(info.num_redelivered).toBe(0);
      } finally {
        await consumer.stop();
      }
    });

    it('remembers what it acknowledged: after a restart only newer events arrive', async () => {
      const brandId = brandOfTest();
      const durable = `durable-${brandId}`;
      const before = claimedEvent(brandId);
      await publisher.publish(SUBJECTS.codeClaimed, before);
      const first = collect(brandId, durable);
      await eventually(() => Promise.resolve(expect(first.received).toHaveLength(1)), { timeoutMs: 10_000 });
      await first.consumer.stop();

      const whileAway = claimedEvent(brandId);
      await publisher.publish(SUBJECTS.codeClaimed, whileAway);
      const second = collect(brandId, durable);
      try {
        await eventually(() => Promise.resolve(expect(second.received).toHaveLength(1)), {
          timeoutMs: 10_000,
        });
        expect(second.received[0]?.eventId).toBe(whileAway.eventId);
      } finally {
        await second.consumer.stop();
      }
    });

    it('sets its consumer up again when the server lost it', async () => {
      const brandId = brandOfTest();
      const durable = `lost-${brandId}`;
      const { consumer, received } = collect(brandId, durable);
      try {
        await publisher.publish(SUBJECTS.codeClaimed, claimedEvent(brandId));
        await eventually(() => Promise.resolve(expect(received).toHaveLength(1)), { timeoutMs: 10_000 });
        await (await raw.jetstreamManager()).consumers.delete(EVENTS_STREAM.name, durable);
        const later = claimedEvent(brandId);
        await publisher.publish(SUBJECTS.codeClaimed, later);
        await eventually(
          () => Promise.resolve(expect(received.map((r) => r.eventId)).toContain(later.eventId)),
          {
            timeoutMs: 20_000,
          },
        );
      } finally {
        await consumer.stop();
      }
    }, 30_000);
  });

  describe('CommandClient against a Nest @MessagePattern handler', () => {
    let behaviour: 'reply' | 'slow' | 'fail' | 'bad' = 'reply';
    const requests: ReplenishPoolRequestV1[] = [];
    let responder: INestMicroservice | undefined;

    @Controller()
    class ReplenishResponder {
      @MessagePattern(COMMANDS.replenishPool)
      async handle(
        @Payload(new CommandPayloadPipe(COMMANDS.replenishPool)) request: ReplenishPoolRequestV1,
      ): Promise<unknown> {
        requests.push(request);
        if (behaviour === 'slow') await sleep(1_500);
        if (behaviour === 'fail') throw new Error('generation failed');
        if (behaviour === 'bad') return { version: 1, nonsense: true };
        const reply: ReplenishPoolReplyV1 = {
          version: 1,
          brandId: request.brandId,
          outcome: 'replenished',
          added: 5,
        };
        return reply;
      }
    }

    @Module({ controllers: [ReplenishResponder] })
    class ResponderModule {}

    const request = (brandId = 'acme'): ReplenishPoolRequestV1 => ({
      version: 1,
      brandId,
      reason: 'exhausted',
      requestedAt: new Date().toISOString(),
    });

    afterAll(async () => {
      await responder?.close();
    });

    async function failureOf(promise: Promise<unknown>): Promise<CommandFailedError> {
      try {
        await promise;
      } catch (error) {
        if (error instanceof CommandFailedError) return error;
        throw error;
      }
      throw new Error('expected a CommandFailedError');
    }

    it('says no_responders at once when no generator handles the command', async () => {
      const started = Date.now();
      const failure = await failureOf(
        moduleRef.get(CommandClient).request(COMMANDS.replenishPool, request(), 5_000),
      );
      expect(failure.reason).toBe('no_responders');
      expect(Date.now() - started).toBeLessThan(1_000);
    });

    it('gets the handler’s reply, validated against the contract', async () => {
      responder = await NestFactory.createMicroservice(ResponderModule, {
        ...natsMicroserviceOptions(configFor([nats.url]).nats, 'int-responder'),
        logger: quietLogger,
      });
      await responder.listen();
      behaviour = 'reply';
      // listen() resolves once the responder has sent its subscription; the server may take a
      // moment more before it routes requests from another connection there (no_responders until
      // then), so ask again until it does.
      const reply = await (async () => {
        const deadline = Date.now() + 5_000;
        for (;;) {
          try {
            return await moduleRef
              .get(CommandClient)
              .request(COMMANDS.replenishPool, request('brand-7'), 5_000);
          } catch (error) {
            if (
              !(error instanceof CommandFailedError && error.reason === 'no_responders') ||
              Date.now() > deadline
            )
              throw error;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      })();
      expect(reply).toStrictEqual({ version: 1, brandId: 'brand-7', outcome: 'replenished', added: 5 });
      expect(requests.at(-1)).toStrictEqual(
        expect.objectContaining({ brandId: 'brand-7', reason: 'exhausted' }),
      );
    });

    it('says timeout after the given time when the handler is too slow', async () => {
      behaviour = 'slow';
      const started = Date.now();
      const failure = await failureOf(
        moduleRef.get(CommandClient).request(COMMANDS.replenishPool, request(), 300),
      );
      expect(failure.reason).toBe('timeout');
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
      expect(Date.now() - started).toBeLessThan(1_200);
      await sleep(1_300);
    });

    it('says remote_error when the handler fails, and invalid_reply when its answer breaks the contract', async () => {
      behaviour = 'fail';
      expect(
        (await failureOf(moduleRef.get(CommandClient).request(COMMANDS.replenishPool, request(), 3_000)))
          .reason,
      ).toBe('remote_error');
      behaviour = 'bad';
      expect(
        (await failureOf(moduleRef.get(CommandClient).request(COMMANDS.replenishPool, request(), 3_000)))
          .reason,
      ).toBe('invalid_reply');
    });

    it('refuses an invalid request before sending it', async () => {
      behaviour = 'reply';
      const seen = requests.length;
      await expect(
        moduleRef
          .get(CommandClient)
          .request(COMMANDS.replenishPool, { ...request(), brandId: '#bad' }, 3_000),
      ).rejects.toThrow();
      await sleep(200);
      expect(requests).toHaveLength(seen);
    });
  });
});

describe('a service whose NATS is down', () => {
  it('starts anyway, reports NATS down, refuses to publish at once, and connects when NATS comes', async () => {
    const port = await freePort();
    const moduleRef = await messagingModule([`nats://127.0.0.1:${port}`], 'starts-without-nats');
    let late: StartedNats | undefined;
    try {
      const health = moduleRef.get(NatsHealthIndicator);
      expect(await health.isHealthy()).toEqual({
        nats: { status: 'down', message: 'not connected yet (retrying)' },
      });
      const started = Date.now();
      await expect(
        moduleRef.get(EventPublisher).publish(SUBJECTS.codeClaimed, claimedEvent('acme')),
      ).rejects.toBeInstanceOf(NatsUnavailableError);
      expect(Date.now() - started).toBeLessThan(200);
      const commandFailure = await moduleRef
        .get(CommandClient)
        .request(
          COMMANDS.replenishPool,
          { version: 1, brandId: 'acme', reason: 'exhausted', requestedAt: new Date().toISOString() },
          1_000,
        )
        .catch((error: unknown) => error);
      expect(commandFailure).toBeInstanceOf(CommandFailedError);
      expect((commandFailure as CommandFailedError).reason).toBe('nats_unavailable');

      late = await startNats({ dataDir: join(tempDir, 'late'), port });
      await eventually(async () => expect((await health.isHealthy()).nats?.status).toBe('up'), {
        timeoutMs: 10_000,
      });
      // Connected means the stream was ensured too: publishing works straight away.
      await eventually(
        () => moduleRef.get(EventPublisher).publish(SUBJECTS.codeClaimed, claimedEvent('acme')),
        { timeoutMs: 5_000 },
      );
    } finally {
      await moduleRef.close();
      if (late) await stopPid(late.record, 5_000);
    }
  }, 30_000);

  it('is up, then down with a clear message while the server is gone, then up again', async () => {
    const own = await startNats({ dataDir: join(tempDir, 'outage-1') });
    let restarted: StartedNats | undefined;
    const moduleRef = await messagingModule([own.url], 'outage');
    try {
      await moduleRef.get(NatsClient).whenConnected();
      const indicator = moduleRef.get(NatsHealthIndicator);
      expect(await indicator.isHealthy()).toEqual({
        nats: { status: 'up', rttMs: expect.any(Number) as unknown },
      });

      expect(await stopPid(own.record, 5_000)).toBe('stopped');
      const started = Date.now();
      expect((await indicator.isHealthy()).nats?.status).toBe('down');
      // The check is bounded: readiness probes must not hang on a dead server.
      expect(Date.now() - started).toBeLessThan(2_500);
      await eventually(() => Promise.resolve(expect(moduleRef.get(NatsClient).isConnected()).toBe(false)));
      await expect(
        moduleRef.get(EventPublisher).publish(SUBJECTS.codeClaimed, claimedEvent('acme')),
      ).rejects.toBeInstanceOf(NatsUnavailableError);

      // Same port, so the client's reconnect loop (every second, forever) finds it again.
      restarted = await startNats({ dataDir: join(tempDir, 'outage-2'), port: own.port });
      await eventually(async () => expect((await indicator.isHealthy()).nats?.status).toBe('up'), {
        timeoutMs: 10_000,
      });
      // A new server without the stream: it is created again on reconnection.
      await eventually(
        () => moduleRef.get(EventPublisher).publish(SUBJECTS.codeClaimed, claimedEvent('acme')),
        { timeoutMs: 5_000 },
      );
    } finally {
      // Closed rather than drained when the server is gone (NatsClient decides).
      await moduleRef.close();
      if (restarted) await stopPid(restarted.record, 5_000);
      await stopPid(own.record, 5_000);
    }
  }, 30_000);
});
