import { Module } from '@nestjs/common';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { LifecycleEventRelay } from './lifecycle-event-relay';

/** Webhooks for a code's life after its claim and for generation jobs' ends, from the generator's own outboxes. */
@Module({
  imports: [WebhooksModule],
  providers: [LifecycleEventRelay],
})
export class LifecycleEventsModule {}
