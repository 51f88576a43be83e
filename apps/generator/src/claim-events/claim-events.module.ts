import { Module } from '@nestjs/common';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ClaimEventsConsumer } from './claim-events.consumer';

/** code.claimed events from the provider: counted per brand, and handed to the brand's webhook. */
@Module({
  imports: [WebhooksModule],
  providers: [ClaimEventsConsumer],
})
export class ClaimEventsModule {}
