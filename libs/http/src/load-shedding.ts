import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import underPressure from '@fastify/under-pressure';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LoadSheddingConfig } from '@app/config';
import { isInfrastructureRoute, LoadSheddingMetrics, type ShedReason } from '@app/metrics';
import { LoadPressure } from '@app/observability';
import { optionalProvider } from './http-metrics.hook';
import {
  resolveThresholds,
  shedReasonOf,
  shedReasonOfPressureType,
  type LoadSample,
  type LoadThresholds,
} from './load-thresholds';
import { errorBodyFor, type ApiErrorBody, type LegacyEnvelope } from './response-bodies';

/** How often the event loop, heap and RSS are sampled (the plugin's default). */
const SAMPLE_INTERVAL_MS = 1_000;

const NO_THRESHOLDS: LoadThresholds = {
  maxEventLoopDelayMs: null,
  maxEventLoopUtilization: null,
  maxHeapBytes: null,
  maxRssBytes: null,
  maxInFlight: null,
};

/** Probes and scrapes: refusing them would hide the overload, or get the pod restarted for it. */
const isExempt = (request: FastifyRequest) => isInfrastructureRoute(request.routeOptions.url ?? '');

/**
 * Load shedding (LOAD_SHED_*): once the process is past a threshold, a request is answered 503
 * with Retry-After from its first hook, before its body is read, its caller authenticated or the
 * database asked: refusing costs next to nothing, so what capacity there is goes to the requests
 * admitted, instead of every request queueing until its client gives up.
 *
 * Two kinds of overload, two measures. A saturated process (CPU, memory): @fastify/under-pressure
 * samples event-loop delay and utilization, heap and RSS. A slow dependency: the event loop stays
 * idle while requests wait for the database, so only a cap on the requests in flight bounds that
 * queue (and the memory it holds): a request holds its slot until it is answered and its handler
 * has returned, even when its client went away meanwhile (see trackInFlight).
 */
export async function registerLoadShedding(
  app: NestFastifyApplication,
  config: LoadSheddingConfig,
): Promise<void> {
  if (!config.enabled) return;
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(LoadSheddingMetrics);
  const thresholds = resolveThresholds(config, {
    heapSizeLimit: getHeapStatistics().heap_size_limit,
    constrainedMemory: process.constrainedMemory(),
    totalMemory: totalmem(),
  });
  new Logger('LoadShedding').log(`refusing requests past: ${describeThresholds(thresholds)}`);

  const refuse = (request: FastifyRequest, reply: FastifyReply, reason: ShedReason) => {
    metrics.shed(reason);
    return shedAnswer(request, reply, config.retryAfterSeconds);
  };

  // The samples taken while the app starts (module loading, the OpenAPI document: long synchronous
  // stretches) say nothing about load: the first that is all after the server listens is the
  // second one after it.
  let armedAt = Infinity;
  fastify.addHook('onListen', (done) => {
    armedAt = Math.min(armedAt, performance.now() + 2 * SAMPLE_INTERVAL_MS);
    done();
  });
  const armed = () => performance.now() >= armedAt;

  await app.register(underPressure, {
    // 0 is the plugin's "off".
    maxEventLoopDelay: thresholds.maxEventLoopDelayMs ?? 0,
    maxEventLoopUtilization: thresholds.maxEventLoopUtilization ?? 0,
    // The plugin's default measures utilization since start-up, which says nothing about now.
    eventLoopUtilizationMode: 'interval',
    maxHeapUsedBytes: thresholds.maxHeapBytes ?? 0,
    maxRssBytes: thresholds.maxRssBytes ?? 0,
    sampleInterval: SAMPLE_INTERVAL_MS,
    // What it returns is sent as the answer and ends the request; undefined lets it through (see
    // the plugin's README; its types leave that out).
    pressureHandler: ((request: FastifyRequest, reply: FastifyReply, type: string) =>
      isExempt(request) || !armed()
        ? undefined
        : refuse(request, reply, shedReasonOfPressureType(type) ?? 'event_loop_delay')) as () => void,
  });

  // After under-pressure's hook: a request it refused is never counted.
  const inFlight = trackInFlight(fastify, {
    maxInFlight: thresholds.maxInFlight,
    isExempt,
    refuse: (request, reply) => refuse(request, reply, 'in_flight'),
  });
  metrics.countInFlightWith(inFlight);

  const sample = (): LoadSample => {
    const usage = fastify.memoryUsage();
    return {
      eventLoopDelayMs: usage.eventLoopDelay,
      eventLoopUtilization: usage.eventLoopUtilized,
      heapUsedBytes: usage.heapUsed,
      rssBytes: usage.rssBytes,
      inFlight: inFlight(),
    };
  };
  const inFlightOnly: LoadThresholds = { ...NO_THRESHOLDS, maxInFlight: thresholds.maxInFlight };
  optionalProvider(app, LoadPressure)?.attach(() => {
    const now = sample();
    const reason = shedReasonOf(now, armed() ? thresholds : inFlightOnly);
    return { shedding: reason !== undefined, ...(reason ? { reason } : {}), ...now };
  });
}

/** Where a counted request keeps its slot (see trackInFlight). */
const kSlot = Symbol('loadShedding.inFlightSlot');
type Slot = { holds: number };
type CountedRequest = FastifyRequest & { [kSlot]?: Slot };

/**
 * Counts the requests in flight from their first hook, refusing one with `refuse` (its answer is
 * sent) once `maxInFlight` are (null: counts, never refuses); returns the count.
 *
 * A request frees its slot once both are over: its response ('close': sent, or its client went
 * away) and its route handler (the whole Nest pipeline: guards, pipes, the controller, the
 * exception filters). A client that gives up while its request waits for the database leaves the
 * work running: the slot stays taken until the handler returns, so the cap bounds the work
 * actually in progress, and the memory it holds. Route handlers are wrapped by an onRoute hook:
 * call this before the routes are added (Nest adds them at init/listen).
 */
export function trackInFlight(
  fastify: FastifyInstance,
  opts: {
    maxInFlight: number | null;
    isExempt: (request: FastifyRequest) => boolean;
    refuse: (request: FastifyRequest, reply: FastifyReply) => unknown;
  },
): () => number {
  let inFlight = 0;
  const take = (slot: Slot) => {
    if (slot.holds++ === 0) inFlight++;
  };
  const release = (slot: Slot) => {
    if (--slot.holds === 0) inFlight--;
  };

  fastify.addHook('onRequest', (request: CountedRequest, reply, done) => {
    if (opts.isExempt(request)) {
      done();
      return;
    }
    if (opts.maxInFlight !== null && inFlight >= opts.maxInFlight) {
      // Answered here, and done() not called: no later hook, parser or handler runs.
      void reply.send(opts.refuse(request, reply));
      return;
    }
    const slot: Slot = { holds: 0 };
    request[kSlot] = slot;
    take(slot);
    // Once per response: when it is sent, or when its client goes away first.
    reply.raw.once('close', () => release(slot));
    done();
  });

  fastify.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function (this: FastifyInstance, request: CountedRequest, reply: FastifyReply) {
      const slot = request[kSlot];
      if (slot === undefined) return handler.call(this, request, reply);
      // Taken again if the response closed before the handler started: it still runs.
      take(slot);
      let result: unknown;
      try {
        result = handler.call(this, request, reply);
      } catch (error) {
        release(slot);
        throw error;
      }
      if (isThenable(result)) {
        // Observed beside Fastify, which still gets (and handles) the handler's own promise.
        result.then(
          () => release(slot),
          () => release(slot),
        );
      } else {
        release(slot);
      }
      return result;
    };
  });

  return () => inFlight;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === 'function';

/** 503 with Retry-After, in the route's error shape: the predecessor's envelope or the v1 body. */
function shedAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  retryAfterSeconds: number,
): LegacyEnvelope | ApiErrorBody {
  void reply
    .status(503)
    .header('retry-after', String(retryAfterSeconds))
    .type('application/json; charset=utf-8');
  return errorBodyFor(request.url, {
    status: 503,
    code: 'service_unavailable',
    message: `The service is overloaded; retry in ${retryAfterSeconds} s`,
    details: { retryAfterSeconds },
  });
}

function describeThresholds(t: LoadThresholds): string {
  const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
  const parts = [
    t.maxEventLoopDelayMs !== null ? `event-loop delay ${t.maxEventLoopDelayMs} ms` : null,
    t.maxEventLoopUtilization !== null ? `event-loop utilization ${t.maxEventLoopUtilization}` : null,
    t.maxHeapBytes !== null ? `heap ${mib(t.maxHeapBytes)}` : null,
    t.maxRssBytes !== null ? `RSS ${mib(t.maxRssBytes)}` : null,
    t.maxInFlight !== null ? `${t.maxInFlight} requests in flight` : null,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(', ') : 'nothing (every threshold is off)';
}
