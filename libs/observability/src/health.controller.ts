import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  MongooseHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { NatsHealthIndicator } from '@app/messaging';

const MONGO_PING_TIMEOUT_MS = 1_500;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongo: MongooseHealthIndicator,
    private readonly nats: NatsHealthIndicator,
  ) {}

  /** The process answers: nothing else, so a database outage never gets pods killed. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Can serve traffic: MongoDB answers a ping and NATS a round trip. When not, the 503 says
   * which dependency is down and why (terminus' own body), not just that something is.
   */
  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    try {
      return await this.health.check([
        () => this.mongo.pingCheck('mongodb', { timeout: MONGO_PING_TIMEOUT_MS }),
        () => this.nats.isHealthy('nats'),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse();
    }
  }
}
