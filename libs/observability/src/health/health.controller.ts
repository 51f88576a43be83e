import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { COMMON_CONFIG, type CommonConfig } from '@app/config';
import { NatsHealthIndicator } from '@app/messaging';
import { LoadPressure, type LoadReport } from './load-pressure';
import { MongoHealthIndicator } from './mongo-health.indicator';
import { ServiceLifecycle } from './service-lifecycle';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(COMMON_CONFIG) private readonly config: CommonConfig,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly lifecycle: ServiceLifecycle,
    private readonly mongo: MongoHealthIndicator,
    private readonly nats: NatsHealthIndicator,
    private readonly pressure: LoadPressure,
  ) {}

  /** The process answers: nothing else, so a database outage never gets pods killed. */
  @Get('live')
  @HealthCheck()
  @ApiOperation({ operationId: 'healthLive', summary: 'Liveness: the process answers' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * 503 until bootstrap has finished (indexes built, streams ensured, handlers subscribed): the
   * start-up probe, so a slow first start is not mistaken for a hung process.
   */
  @Get('startup')
  @HealthCheck()
  @ApiOperation({ operationId: 'healthStartup', summary: 'Start-up: 503 until bootstrap has finished' })
  startup(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    return this.answer(reply, [() => this.flag('bootstrap', this.lifecycle.isStarted(), 'starting')]);
  }

  /**
   * Can serve traffic: not shutting down, MongoDB reachable (by the driver's heartbeats: a slow
   * database fails nothing, see MongoHealthIndicator), NATS answers a round trip and JetStream an
   * account-info request. When not, the 503 says which dependency is down and why.
   * With READY_REQUIRES_NATS=false (the provider's default: it takes claims while NATS is down,
   * keeping their events in the outbox) NATS and JetStream are reported but never fail it.
   * Load shedding is reported under `load` (see loadIndicator).
   */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    operationId: 'healthReady',
    summary: 'Readiness: MongoDB and NATS reachable, not stopping',
  })
  ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    const natsChecks: HealthIndicatorFunction[] = [
      () => this.nats.isHealthy('nats'),
      () => this.nats.isJetStreamHealthy('jetstream'),
    ];
    const load = this.pressure.report();
    return this.answer(reply, [
      () => this.flag('shutdown', !this.lifecycle.isStopping(), 'shutting down'),
      () => this.mongo.isHealthy('mongodb'),
      ...(this.config.readiness.requiresNats
        ? natsChecks
        : natsChecks.map((check) => () => tolerated(check))),
      ...(load ? [() => this.loadIndicator(load)] : []),
    ]);
  }

  /**
   * While the pod sheds load, readiness says so (`degraded`, and why) but stays up unless
   * LOAD_SHED_FAILS_READINESS=true. Replicas behind one Service get the same traffic and cross the
   * thresholds together: failing them would empty the Service at the peak, and clients would get
   * connection errors from the load balancer instead of a pod's quick 503 with Retry-After. And a
   * probe (every few seconds, several failures to act) is far slower than shedding (per request):
   * a pod taken out recovers at once, comes back, takes the whole burst again, and flaps. Failing
   * suits a pod that is overloaded alone (a leak, a noisy neighbour) with others to take over.
   */
  private loadIndicator(load: LoadReport): HealthIndicatorResult {
    const indicator = this.indicators.check('load');
    const details = {
      shedding: load.shedding,
      ...(load.reason ? { reason: load.reason } : {}),
      inFlight: load.inFlight,
      eventLoopDelayMs: Math.round(load.eventLoopDelayMs * 10) / 10,
      eventLoopUtilization: Math.round(load.eventLoopUtilization * 100) / 100,
      heapUsedBytes: load.heapUsedBytes,
      rssBytes: load.rssBytes,
    };
    if (!load.shedding) return indicator.up(details);
    if (this.config.loadShedding.failsReadiness)
      return indicator.down({ message: `shedding load (${load.reason ?? 'overloaded'})`, ...details });
    return indicator.up({ ...details, degraded: true });
  }

  private flag(key: string, ok: boolean, whenNot: string): HealthIndicatorResult {
    const indicator = this.indicators.check(key);
    return ok ? indicator.up() : indicator.down({ message: whenNot });
  }

  private async answer(reply: FastifyReply, checks: HealthIndicatorFunction[]): Promise<unknown> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse();
    }
  }
}

/** A dependency outage the service works through: reported in the body, not failing the check. */
async function tolerated(check: HealthIndicatorFunction): Promise<HealthIndicatorResult> {
  const result = await check();
  return Object.fromEntries(
    Object.entries(result).map(([key, value]) => [
      key,
      value.status === 'down' ? { ...value, status: 'up', degraded: true } : value,
    ]),
  );
}
