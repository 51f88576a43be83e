import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { MongoHealthIndicator } from './mongo-health.indicator';
import { ServiceLifecycle } from './service-lifecycle';

/** Global: the bootstrap (runService) marks the lifecycle the probes report. */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false })],
  controllers: [HealthController],
  providers: [MongoHealthIndicator, ServiceLifecycle],
  exports: [ServiceLifecycle],
})
export class HealthModule {}
