import { DynamicModule, Module } from '@nestjs/common';
import { AUTH_FAILURES_PER_IP, AuthModule } from '@app/auth';
import { ConfigModule } from '@app/config';
import { MessagingModule } from '@app/messaging';
import { GenerationMetrics, MetricsModule, WebhookMetrics } from '@app/metrics';
import { HealthModule } from '@app/observability';
import { PersistenceModule } from '@app/persistence';
import { RateLimitModule } from '@app/ratelimit';
import { ApiKeyRotationService } from './brands/api-key-rotation.service';
import { ApiKeysController } from './brands/api-keys.controller';
import { BrandsController } from './brands/brands.controller';
import { BrandsService } from './brands/brands.service';
import { ClaimEventsConsumer } from './claim-events/claim-events.consumer';
import { CodeGenerationService } from './codes/code-generation.service';
import { CodesController } from './codes/codes.controller';
import type { GeneratorConfig } from './generator.config';
import { CodeExportController } from './export/code-export.controller';
import { CodeImportController } from './import/code-import.controller';
import { CodeImportService } from './import/code-import.service';
import { ImportBodyParsers } from './import/import-body-parsers';
import { ChunkWorker } from './jobs/chunk-worker';
import { GenerationJobsService } from './jobs/generation-jobs.service';
import { JobSupervisor } from './jobs/job-supervisor';
import { JobsController } from './jobs/jobs.controller';
import { LegacyGenerateController } from './legacy/legacy-generate.controller';
import { PoolLowConsumer } from './pool/pool-low.consumer';
import { ReplenishController } from './pool/replenish.controller';
import { ReplenishmentService } from './pool/replenishment.service';
import { WebhookDeliveriesController } from './webhooks/webhook-deliveries.controller';
import { WebhookDeliveriesService } from './webhooks/webhook-deliveries.service';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';
import { WebhookUrlValidator } from './webhooks/webhook-url.validator';

/** Generation is a few long writes at a time, so a small pool suffices. */
const DEFAULT_POOL_SIZE = 10;

/** While NATS is down, limits are counted per replica; the shared store is tried again after this. */
const RATE_LIMIT_STORE_RETRY_MS = 5_000;

@Module({})
export class GeneratorModule {
  static forRoot(config: GeneratorConfig): DynamicModule {
    return {
      module: GeneratorModule,
      imports: [
        ConfigModule.forRoot(config),
        PersistenceModule.forRoot({
          defaultPoolSize: DEFAULT_POOL_SIZE,
          collections: ['brands', 'codes', 'webhookDeliveries', 'generationJobs'],
        }),
        MetricsModule,
        MessagingModule,
        RateLimitModule.forRoot({
          namespace: 'ratelimit-generator',
          rates: {
            legacyPerIp: config.rateLimits.legacyPerIp,
            generationPerBrand: config.rateLimits.generationPerBrand,
          },
          lockouts: { [AUTH_FAILURES_PER_IP]: config.rateLimits.authFailuresPerIp },
          store: { timeoutMs: config.rateLimits.storeTimeoutMs, retryAfterMs: RATE_LIMIT_STORE_RETRY_MS },
        }),
        AuthModule.forRoot({ adminToken: config.adminToken, openBrandApi: config.devOpenBrandApi }),
        HealthModule,
      ],
      controllers: [
        BrandsController,
        ApiKeysController,
        CodesController,
        CodeImportController,
        JobsController,
        CodeExportController,
        LegacyGenerateController,
        WebhookDeliveriesController,
        ReplenishController,
      ],
      providers: [
        GenerationMetrics,
        WebhookMetrics,
        BrandsService,
        ApiKeyRotationService,
        CodeGenerationService,
        CodeImportService,
        ImportBodyParsers,
        GenerationJobsService,
        ChunkWorker,
        JobSupervisor,
        WebhookUrlValidator,
        WebhookDispatcher,
        WebhookDeliveriesService,
        ClaimEventsConsumer,
        ReplenishmentService,
        PoolLowConsumer,
      ],
    };
  }
}
