import { Module } from '@nestjs/common';
import { WebhookMetrics } from '@app/metrics';
import { AttemptRecorder } from './attempt-recorder';
import { WebhookDeliveriesController } from './webhook-deliveries.controller';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookUrlValidator } from './webhook-url.validator';

/** Brands' webhooks: URL checks, signed deliveries with retries, and the deliveries API. */
@Module({
  controllers: [WebhookDeliveriesController],
  providers: [
    WebhookMetrics,
    WebhookUrlValidator,
    AttemptRecorder,
    WebhookDispatcher,
    WebhookDeliveriesService,
  ],
  exports: [WebhookUrlValidator, WebhookDispatcher],
})
export class WebhooksModule {}
