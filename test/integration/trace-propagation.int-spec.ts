/**
 * W3C trace context across NATS with a real tracer registered the way any SDK would (an
 * in-memory exporter, async-hooks context manager, and deliberately no propagator: the API's
 * default is a no-op, and propagation must work regardless). A publish and its consumption, and
 * a command and its handling, must each land in one trace, parent to child.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleLogger, Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { Test, type TestingModule } from '@nestjs/testing';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import type { MsgHdrs } from 'nats';
import { z } from 'zod';
import { ConfigModule, type CommonConfig } from '@app/config';
import {
  COMMANDS,
  JOB_SUBJECT_PREFIX,
  SUBJECTS,
  type CodeClaimedV1,
  type ReplenishPoolReplyV1,
  type ReplenishPoolRequestV1,
} from '@app/contracts';
import {
  captureTraceContext,
  CommandClient,
  CommandPayloadPipe,
  contextFromCarrier,
  EventConsumers,
  EventPublisher,
  inIncomingSpan,
  MessagingModule,
  NatsClient,
  natsMicroserviceOptions,
  WorkQueue,
} from '@app/messaging';
import { eventually } from '../e2e/support/poll';
import { startNats, stopPid, type StartedNats } from '../support/stack';
import { testNatsConfig } from '../support/config';

const exporter = new InMemorySpanExporter();
const contextManager = new AsyncLocalStorageContextManager().enable();
const quietLogger = new ConsoleLogger({ logLevels: ['fatal'] });

let tempDir: string;
let nats: StartedNats;
let moduleRef: TestingModule;
let responder: INestMicroservice;
const consumed: Array<{ eventId: string; traceId?: string }> = [];

@Controller()
class TracedResponder {
  @MessagePattern(COMMANDS.replenishPool)
  handle(
    @Payload(new CommandPayloadPipe(COMMANDS.replenishPool)) request: ReplenishPoolRequestV1,
    @Ctx() ctx: NatsContext,
  ): Promise<ReplenishPoolReplyV1> {
    return inIncomingSpan(COMMANDS.replenishPool, ctx.getHeaders() as MsgHdrs | undefined, () => {
      // Work done by the handler joins the requester's trace.
      trace.getTracer('test').startSpan('generate codes').end();
      return Promise.resolve({ version: 1, brandId: request.brandId, outcome: 'replenished', added: 1 });
    });
  }
}

@Module({ controllers: [TracedResponder] })
class ResponderModule {}

const config = (): CommonConfig => testNatsConfig('trace-int-spec', nats.url);

beforeAll(async () => {
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  );
  context.setGlobalContextManager(contextManager);
  // The point: no propagator registered, yet W3C headers must travel.
  expect(propagation.fields()).toEqual([]);

  tempDir = mkdtempSync(join(tmpdir(), 'trace-int-spec-'));
  nats = await startNats({ dataDir: join(tempDir, 'nats') });
  moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config()), MessagingModule] })
    .setLogger(quietLogger)
    .compile();
  await moduleRef.init();
  await moduleRef.get(NatsClient).whenConnected();
  moduleRef.get(EventConsumers).start({
    durableName: 'trace-test',
    subject: SUBJECTS.codeClaimed,
    ackWaitMs: 10_000,
    maxDeliver: -1,
    maxBatch: 10,
    retryDelayMs: 200,
    handle: (events) => {
      for (const event of events) {
        // What a handler does on an event's behalf continues from its context.
        context.with(event.traceContext, () => trace.getTracer('test').startSpan('store delivery').end());
        consumed.push({
          eventId: event.payload.eventId,
          traceId: trace.getSpanContext(event.traceContext)?.traceId,
        });
      }
      return Promise.resolve();
    },
  });
  responder = await NestFactory.createMicroservice(ResponderModule, {
    ...natsMicroserviceOptions(config().nats, 'trace-responder'),
    logger: quietLogger,
  });
  await responder.listen();
});

afterAll(async () => {
  await responder?.close();
  await moduleRef?.close();
  if (nats) await stopPid(nats.record, 5_000);
  rmSync(tempDir, { recursive: true, force: true });
  trace.disable();
  context.disable();
});

const event = (): CodeClaimedV1 => ({
  eventId: randomUUID(),
  type: 'code.claimed',
  version: 1,
  brandId: 'acme',
  code: 'SECRETCODE1',
  userId: 'alice-the-user',
  claimedAt: new Date().toISOString(),
});

const spans = () => exporter.getFinishedSpans();
const spanNamed = (name: string, traceId: string) =>
  spans().find((s) => s.name === name && s.spanContext().traceId === traceId);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('trace context over NATS', () => {
  it('publish → consume: one trace, producer → consumer → the handler’s work, under the caller’s span', async () => {
    const claim = event();
    const root = trace.getTracer('test').startSpan('POST /v1/brands/:brandId/claims');
    await context.with(trace.setSpan(context.active(), root), () =>
      moduleRef.get(EventPublisher).publish(SUBJECTS.codeClaimed, claim),
    );
    root.end();
    const traceId = root.spanContext().traceId;
    await eventually(
      () => Promise.resolve(expect(consumed.find((c) => c.eventId === claim.eventId)).toBeDefined()),
      {
        timeoutMs: 10_000,
      },
    );
    expect(consumed.find((c) => c.eventId === claim.eventId)?.traceId).toBe(traceId);

    await eventually(() => Promise.resolve(expect(spanNamed('store delivery', traceId)).toBeDefined()));
    const producer = spanNamed(`publish ${SUBJECTS.codeClaimed}`, traceId)!;
    const consumer = spanNamed(`process ${SUBJECTS.codeClaimed}`, traceId)!;
    const work = spanNamed('store delivery', traceId)!;
    expect(producer.kind).toBe(SpanKind.PRODUCER);
    expect(consumer.kind).toBe(SpanKind.CONSUMER);
    expect(parentOf(producer)).toBe(root.spanContext().spanId);
    expect(parentOf(consumer)).toBe(producer.spanContext().spanId);
    expect(parentOf(work)).toBe(consumer.spanContext().spanId);
    for (const span of [producer, consumer]) {
      expect(span.attributes).toStrictEqual({
        'messaging.system': 'nats',
        'messaging.destination.name': SUBJECTS.codeClaimed,
        'messaging.operation.type': span === producer ? 'send' : 'process',
        'messaging.operation.name': span === producer ? 'publish' : 'process',
        'messaging.message.id': claim.eventId,
      });
      // Payload data (codes, user ids) is not exported as span data.
      expect(JSON.stringify(span.attributes)).not.toContain(claim.code);
      expect(JSON.stringify(span.attributes)).not.toContain(claim.userId);
    }
  });

  it('an event published later from a stored context (the outbox) still joins the claim’s trace', async () => {
    const claim = event();
    const root = trace.getTracer('test').startSpan('claim');
    const stored = captureTraceContext(trace.setSpan(context.active(), root));
    root.end();
    expect(stored?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    // Later, outside any active span:
    await moduleRef
      .get(EventPublisher)
      .publish(SUBJECTS.codeClaimed, claim, { parent: contextFromCarrier(stored) });
    const traceId = root.spanContext().traceId;
    await eventually(
      () => Promise.resolve(expect(spanNamed(`process ${SUBJECTS.codeClaimed}`, traceId)).toBeDefined()),
      {
        timeoutMs: 10_000,
      },
    );
    expect(parentOf(spanNamed(`publish ${SUBJECTS.codeClaimed}`, traceId)!)).toBe(root.spanContext().spanId);
  });

  it('a work item (a job’s chunk) joins the trace of whoever queued it, its handler inside the CONSUMER span', async () => {
    const subject = `${JOB_SUBJECT_PREFIX}.v1.test.trace`;
    const handledIn: string[] = [];
    const worker = moduleRef.get(WorkQueue).startWorker({
      durableName: 'trace-test-workers',
      subject,
      schema: z.object({ chunk: z.number() }),
      ackWaitMs: 10_000,
      retryDelayMs: 200,
      handle: () => {
        trace.getTracer('test').startSpan('store chunk').end();
        handledIn.push(trace.getActiveSpan()?.spanContext().traceId ?? 'none');
        return Promise.resolve();
      },
    });
    try {
      const root = trace.getTracer('test').startSpan('POST /v1/brands/:brandId/jobs');
      await context.with(trace.setSpan(context.active(), root), () =>
        moduleRef.get(WorkQueue).publish(subject, { chunk: 0 }, 'job-1:0'),
      );
      root.end();
      const traceId = root.spanContext().traceId;
      await eventually(() => Promise.resolve(expect(handledIn).toEqual([traceId])), { timeoutMs: 10_000 });
      await eventually(() => Promise.resolve(expect(spanNamed(`process ${subject}`, traceId)).toBeDefined()));
      const producer = spanNamed(`publish ${subject}`, traceId)!;
      const consumer = spanNamed(`process ${subject}`, traceId)!;
      expect(parentOf(producer)).toBe(root.spanContext().spanId);
      expect(parentOf(consumer)).toBe(producer.spanContext().spanId);
      expect(parentOf(spanNamed('store chunk', traceId)!)).toBe(consumer.spanContext().spanId);
      expect(consumer.attributes['messaging.message.id']).toBe('job-1:0');
    } finally {
      await worker.stop();
    }
  });

  it('request → reply: the responder’s SERVER span is a child of the requester’s CLIENT span', async () => {
    const root = trace.getTracer('test').startSpan('claim that found no code');
    await context.with(trace.setSpan(context.active(), root), () =>
      moduleRef
        .get(CommandClient)
        .request(
          COMMANDS.replenishPool,
          { version: 1, brandId: 'acme', reason: 'exhausted', requestedAt: new Date().toISOString() },
          5_000,
        ),
    );
    root.end();
    const traceId = root.spanContext().traceId;
    const client = spanNamed(`request ${COMMANDS.replenishPool}`, traceId);
    const server = spanNamed(`process ${COMMANDS.replenishPool}`, traceId);
    const work = spanNamed('generate codes', traceId);
    expect(client?.kind).toBe(SpanKind.CLIENT);
    expect(server?.kind).toBe(SpanKind.SERVER);
    expect(parentOf(client!)).toBe(root.spanContext().spanId);
    expect(parentOf(server!)).toBe(client!.spanContext().spanId);
    expect(parentOf(work!)).toBe(server!.spanContext().spanId);
    expect(server!.attributes['messaging.system']).toBe('nats');
    expect(server!.attributes['messaging.destination.name']).toBe(COMMANDS.replenishPool);
    expect(client!.attributes).toMatchObject({
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'request',
    });
    expect(server!.attributes['messaging.operation.type']).toBe('process');
  });

  it('a message without trace headers starts a trace of its own', async () => {
    const claim = event();
    await moduleRef.get(EventPublisher).publish(SUBJECTS.codeClaimed, claim);
    await eventually(
      () => Promise.resolve(expect(consumed.find((c) => c.eventId === claim.eventId)).toBeDefined()),
      {
        timeoutMs: 10_000,
      },
    );
    const producer = spans().find(
      (s) => s.name.startsWith('publish') && s.attributes['messaging.message.id'] === claim.eventId,
    );
    expect(producer).toBeDefined();
    expect(producer!.parentSpanContext).toBeUndefined();
  });
});
