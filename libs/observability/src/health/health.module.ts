import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { LoadPressure } from './load-pressure';
import { MongoHealthIndicator } from './mongo-health.indicator';
import { ServiceLifecycle } from './service-lifecycle';

/**
 * Global: the bootstrap (runService) marks the lifecycle the probes report, and the HTTP set-up
 * attaches the load it measures.
 */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false })],
  controllers: [HealthController],
  providers: [MongoHealthIndicator, ServiceLifecycle, LoadPressure],
  exports: [ServiceLifecycle, LoadPressure],
})
export class HealthModule {}
