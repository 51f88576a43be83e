import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, MongooseHealthIndicator } from '@nestjs/terminus';
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
  live() {
    return this.health.check([]);
  }

  /** Can serve traffic: MongoDB answers a ping and NATS a round trip. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.mongo.pingCheck('mongodb', { timeout: MONGO_PING_TIMEOUT_MS }),
      () => this.nats.isHealthy('nats'),
    ]);
  }
}
