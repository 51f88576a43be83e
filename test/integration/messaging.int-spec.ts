/**
 * @app/messaging against real NATS: the test stack's server for publishing, and a nats-server of
 * this file's own (started and stopped by PID) for the health indicator's outage.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleLogger } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { Test, type TestingModule } from '@nestjs/testing';
import { connect, JSONCodec, type Msg, type NatsConnection, type Subscription } from 'nats';
import { commonEnvSchema, ConfigModule, parseEnv, toCommonConfig, type CommonConfig } from '@app/config';
import { SUBJECTS, type CodeClaimedV1, type CodesGeneratedV1 } from '@app/contracts';
import {
  EventPayloadPipe,
  EventPublisher,
  MessagingModule,
  NATS_CONNECTION,
  NatsHealthIndicator,
} from '@app/messaging';
import { startNats, stopPid, testStack, type StartedNats } from '../support/stack';

const codec = JSONCodec<unknown>();
/** Marks this run's messages: the test stack's NATS may be shared with other test runs. */
const RUN = randomBytes(4).toString('hex');

function configFor(servers: string[]): CommonConfig {
  return {
    ...toCommonConfig(
      `messaging-int-spec-${RUN}`,
      parseEnv(commonEnvSchema(1), {
        ADMIN_TOKEN: 'messaging-int-spec-admin-token',
        LOG_LEVEL: 'warn',
        SWAGGER_ENABLED: 'false',
      }),
    ),
    mongo: { uri: 'mongodb://127.0.0.1:1/unused', maxPoolSize: undefined, serverSelectionTimeoutMs: 1_000 },
    nats: { servers, user: undefined, password: undefined, token: undefined },
  };
}

async function messagingModule(servers: string[]): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(configFor(servers)), MessagingModule],
  })
    // The NATS connection logs disconnects as warnings; the outage below is on purpose.
    .setLogger(new ConsoleLogger({ logLevels: ['error', 'fatal'] }))
    .compile();
  await moduleRef.init();
  return moduleRef;
}

function claimedEvent(overrides: Partial<CodeClaimedV1> = {}): CodeClaimedV1 {
  return {
    eventId: randomUUID(),
    type: 'code.claimed',
    version: 1,
    brandId: `int-msg-${RUN}`,
    code: `C${randomBytes(4).toString('hex').toUpperCase()}`,
    userId: 'user-1',
    claimedAt: new Date().toISOString(),
    ...overrides,
  };
}

/** Collects what a raw subscription receives, and waits for a message matching `predicate`. */
class Inbox {
  readonly messages: Msg[] = [];
  private waiters: Array<() => void> = [];

  constructor(readonly subscription: Subscription) {
    void (async () => {
      for await (const message of subscription) {
        this.messages.push(message);
        for (const wake of this.waiters.splice(0)) wake();
      }
    })();
  }

  payloads(): unknown[] {
    return this.messages.map((m) => codec.decode(m.data));
  }

  async waitFor(predicate: (payload: unknown) => boolean, timeoutMs = 5_000): Promise<Msg> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((m) => predicate(codec.decode(m.data)));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

const withEventId = (eventId: string) => (payload: unknown) =>
  typeof payload === 'object' && payload !== null && (payload as { eventId?: unknown }).eventId === eventId;

describe('EventPublisher (test stack NATS)', () => {
  let moduleRef: TestingModule;
  let publisher: EventPublisher;
  let subscriber: NatsConnection;
  let claimedInbox: Inbox;
  let generatedInbox: Inbox;

  beforeAll(async () => {
    const { natsUrl } = testStack();
    moduleRef = await messagingModule([natsUrl]);
    publisher = moduleRef.get(EventPublisher);
    subscriber = await connect({ servers: natsUrl, name: `messaging-int-spec-subscriber-${RUN}` });
    claimedInbox = new Inbox(subscriber.subscribe(SUBJECTS.codeClaimed));
    generatedInbox = new Inbox(subscriber.subscribe(SUBJECTS.codesGenerated));
    // The subscriptions are registered on the server once this round trip is done.
    await subscriber.flush();
  });

  afterAll(async () => {
    await subscriber?.close();
    await moduleRef?.close();
  });

  it('publishes a valid code.claimed payload, with Nats-Msg-Id = eventId', async () => {
    const event = claimedEvent();
    await publisher.publish(SUBJECTS.codeClaimed, event);
    const message = await claimedInbox.waitFor(withEventId(event.eventId));
    expect(message.subject).toBe('discounts.v1.code.claimed');
    expect(codec.decode(message.data)).toStrictEqual(event);
    expect(message.headers?.get('Nats-Msg-Id')).toBe(event.eventId);
  });

  it('publishes codes.generated on its own subject', async () => {
    const event: CodesGeneratedV1 = {
      eventId: randomUUID(),
      type: 'codes.generated',
      version: 1,
      brandId: `int-msg-${RUN}`,
      batchId: randomUUID(),
      count: 42,
      generatedAt: new Date().toISOString(),
    };
    await publisher.publish(SUBJECTS.codesGenerated, event);
    const message = await generatedInbox.waitFor(withEventId(event.eventId));
    expect(codec.decode(message.data)).toStrictEqual(event);
    expect(message.headers?.get('Nats-Msg-Id')).toBe(event.eventId);
    expect(claimedInbox.payloads().some(withEventId(event.eventId))).toBe(false);
  });

  it.each<[string, () => unknown]>([
    ['an extra field', () => ({ ...claimedEvent(), secret: 'x' })],
    ['a bad eventId', () => claimedEvent({ eventId: 'not-a-uuid' })],
    ['a bad claimedAt', () => claimedEvent({ claimedAt: 'yesterday' })],
    ['a user id with "#"', () => claimedEvent({ userId: '#taken' })],
    ['the payload of another subject', () => ({ ...claimedEvent(), type: 'codes.generated' })],
  ])('rejects %s before publishing: nothing reaches NATS', async (_, makePayload) => {
    const invalid = makePayload() as CodeClaimedV1;
    const marker = invalid.code;
    await expect(publisher.publish(SUBJECTS.codeClaimed, invalid)).rejects.toThrow();
    // Messages of one connection arrive in order: once a valid message sent afterwards is here,
    // the invalid one would have been too.
    const sentinel = claimedEvent();
    await publisher.publish(SUBJECTS.codeClaimed, sentinel);
    await claimedInbox.waitFor(withEventId(sentinel.eventId));
    expect(claimedInbox.payloads().filter((p) => (p as { code?: unknown }).code === marker)).toEqual([]);
  });

  it('publish resolves only after the server has the message (flush)', async () => {
    const events = Array.from({ length: 50 }, () => claimedEvent());
    await Promise.all(events.map((event) => publisher.publish(SUBJECTS.codeClaimed, event)));
    await Promise.all(events.map((event) => claimedInbox.waitFor(withEventId(event.eventId))));
  });
});

describe('EventPayloadPipe', () => {
  it('returns a valid payload, parsed', () => {
    const event = claimedEvent();
    expect(new EventPayloadPipe(SUBJECTS.codeClaimed).transform(event)).toStrictEqual(event);
  });

  it.each<[string, unknown]>([
    ['an extra field', { ...claimedEvent(), extra: true }],
    ['a missing field', { ...claimedEvent(), code: undefined }],
    ['a wrong version', { ...claimedEvent(), version: 2 }],
    ['a string', 'code.claimed'],
    ['null', null],
  ])('refuses %s with an RpcException naming the subject', (_, value) => {
    let thrown: unknown;
    try {
      new EventPayloadPipe(SUBJECTS.codeClaimed).transform(value);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RpcException);
    const reported = (thrown as RpcException).getError();
    expect(typeof reported).toBe('string');
    expect(reported).toMatch(/^Invalid discounts\.v1\.code\.claimed payload: /);
  });

  it('checks against the schema of its own subject', () => {
    expect(() => new EventPayloadPipe(SUBJECTS.codesGenerated).transform(claimedEvent())).toThrow(
      RpcException,
    );
  });
});

describe('NatsHealthIndicator', () => {
  it('is up against the test stack NATS, with a round-trip time', async () => {
    const moduleRef = await messagingModule([testStack().natsUrl]);
    try {
      const result = await moduleRef.get(NatsHealthIndicator).isHealthy();
      expect(result).toEqual({ nats: { status: 'up', rttMs: expect.any(Number) as unknown } });
      expect(await moduleRef.get(NatsHealthIndicator).isHealthy('bus')).toHaveProperty('bus.status', 'up');
    } finally {
      await moduleRef.close();
    }
  });

  it('is down, saying so, once the connection is closed', async () => {
    const moduleRef = await messagingModule([testStack().natsUrl]);
    try {
      await moduleRef.get<NatsConnection>(NATS_CONNECTION).close();
      expect(await moduleRef.get(NatsHealthIndicator).isHealthy()).toEqual({
        nats: { status: 'down', message: 'connection closed' },
      });
    } finally {
      await moduleRef.close();
    }
  });

  describe('against a nats-server that stops and comes back', () => {
    let dataDir: string;
    let nats: StartedNats | undefined;
    let moduleRef: TestingModule | undefined;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'messaging-int-spec-'));
      nats = await startNats({ dataDir: join(dataDir, 'first') });
      moduleRef = await messagingModule([nats.url]);
    });

    afterAll(async () => {
      const connection = moduleRef?.get<NatsConnection>(NATS_CONNECTION);
      // Closed here rather than drained by the module: a drain would wait for a server that is gone.
      if (connection && !connection.isClosed()) await connection.close();
      await moduleRef?.close();
      if (nats) await stopPid(nats.record, 5_000);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('is up, then down with a clear message while the server is gone, then up again', async () => {
      const indicator = moduleRef!.get(NatsHealthIndicator);
      expect(await indicator.isHealthy()).toHaveProperty('nats.status', 'up');

      const { port } = nats!;
      expect(await stopPid(nats!.record, 5_000)).toBe('stopped');
      nats = undefined;
      const started = Date.now();
      expect(await indicator.isHealthy()).toEqual({
        nats: { status: 'down', message: 'no answer within 1000 ms' },
      });
      // The check is bounded: readiness probes must not hang on a dead server.
      expect(Date.now() - started).toBeLessThan(2_500);

      // An event published during the outage is not reported as published: publish() rejects
      // within a reconnect attempt or so (the caller then leaves the claim's outbox flag unset).
      let publishOutcome = 'pending';
      const pending = moduleRef!
        .get(EventPublisher)
        .publish(SUBJECTS.codeClaimed, claimedEvent())
        .then(
          () => (publishOutcome = 'published'),
          (error: unknown) => (publishOutcome = `failed: ${String(error)}`),
        );
      await Promise.race([pending, new Promise((resolve) => setTimeout(resolve, 3_000))]);
      expect(publishOutcome).toMatch(/^failed: .*DISCONNECT/);

      // Same port, so the client's reconnect loop (every second, forever) finds it again.
      nats = await startNats({ dataDir: join(dataDir, 'second'), port });
      const deadline = Date.now() + 10_000;
      let status: unknown;
      do {
        status = (await indicator.isHealthy()).nats?.status;
        if (status !== 'up') await new Promise((resolve) => setTimeout(resolve, 250));
      } while (status !== 'up' && Date.now() < deadline);
      expect(status).toBe('up');
      await expect(
        moduleRef!.get(EventPublisher).publish(SUBJECTS.codeClaimed, claimedEvent()),
      ).resolves.toBeUndefined();
    });
  });
});
