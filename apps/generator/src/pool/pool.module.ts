import { Module } from '@nestjs/common';
import { GenerationModule } from '../generation/generation.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { PoolLowConsumer } from './pool-low.consumer';
import { ReplenishController } from './replenish.controller';
import { ReplenishmentService } from './replenishment.service';

/** Topping up brands' code pools: on the provider's request, and on pool.low events. */
@Module({
  imports: [GenerationModule, WebhooksModule],
  controllers: [ReplenishController],
  providers: [ReplenishmentService, PoolLowConsumer],
})
export class PoolModule {}
