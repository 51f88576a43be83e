import { Module } from '@nestjs/common';
import { WebhookMetrics } from '@app/metrics';
import { WEBHOOK_CONFIG, type WebhookConfig } from '../generator.config';
import { AttemptRecorder } from './attempt-recorder';
import { SecretBox } from './secret-box';
import { WebhookDeliveriesController } from './webhook-deliveries.controller';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEvents } from './webhook-events';
import { WebhookSecretResealer } from './webhook-secret-resealer';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookTestController } from './webhook-test.controller';
import { WebhookTester } from './webhook-tester';
import { WebhookUrlValidator } from './webhook-url.validator';

/** Brands' webhooks: URL checks, sealed secrets, signed deliveries with retries, and the deliveries API. */
@Module({
  controllers: [WebhookDeliveriesController, WebhookTestController],
  providers: [
    WebhookMetrics,
    WebhookUrlValidator,
    {
      provide: SecretBox,
      inject: [WEBHOOK_CONFIG],
      useFactory: (settings: WebhookConfig) => new SecretBox(settings.secretKeys),
    },
    WebhookSecrets,
    WebhookSecretResealer,
    AttemptRecorder,
    WebhookDispatcher,
    WebhookEvents,
    WebhookTester,
    WebhookDeliveriesService,
  ],
  exports: [WebhookUrlValidator, WebhookDispatcher, WebhookEvents, SecretBox, WebhookSecrets],
})
export class WebhooksModule {}
