import { DynamicModule, Module } from '@nestjs/common';
import { AUTH_FAILURES_PER_IP, AuthModule } from '@app/auth';
import { ConfigModule } from '@app/config';
import { IdempotencyModule } from '@app/http';
import { MessagingModule } from '@app/messaging';
import { MetricsModule } from '@app/metrics';
import { HealthModule } from '@app/observability';
import { PersistenceModule } from '@app/persistence';
import { RateLimitModule } from '@app/ratelimit';
import { BrandsModule } from './brands/brands.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { ClaimEventsModule } from './claim-events/claim-events.module';
import { ExportModule } from './export/export.module';
import { GenerationModule } from './generation/generation.module';
import { configSections, type GeneratorConfig } from './generator.config';
import { ImportModule } from './import/import.module';
import { LegacyModule } from './legacy/legacy.module';
import { LifecycleEventsModule } from './lifecycle-events/lifecycle-events.module';
import { PoolModule } from './pool/pool.module';
import { RedemptionsModule } from './redemptions/redemptions.module';
import { RetentionModule } from './retention/retention.module';
import { WebhooksModule } from './webhooks/webhooks.module';

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
        ConfigModule.forRoot(config, configSections(config)),
        PersistenceModule.forRoot({
          defaultPoolSize: DEFAULT_POOL_SIZE,
          collections: [
            'brands',
            'campaigns',
            'codes',
            'webhookDeliveries',
            'generationJobs',
            'idempotencyKeys',
          ],
        }),
        MetricsModule,
        MessagingModule,
        RateLimitModule.forRoot({
          namespace: 'ratelimit-generator',
          rates: {
            legacyPerIp: config.rateLimits.legacyPerIp,
            generationPerBrand: config.rateLimits.generationPerBrand,
            readsPerBrand: config.rateLimits.readsPerBrand,
          },
          lockouts: { [AUTH_FAILURES_PER_IP]: config.rateLimits.authFailuresPerIp },
          store: {
            timeoutMs: config.rateLimits.storeTimeoutMs,
            retryAfterMs: RATE_LIMIT_STORE_RETRY_MS,
            maxBytes: config.rateLimits.storeMaxBytes,
            syncIntervalMs: config.rateLimits.syncIntervalMs,
          },
        }),
        AuthModule.forRoot({
          adminToken: config.adminToken,
          adminPort: config.adminPort,
          openBrandApi: config.devOpenBrandApi,
        }),
        HealthModule,
        IdempotencyModule,
        // The features; each imports the others it uses.
        BrandsModule,
        CampaignsModule,
        GenerationModule,
        ImportModule,
        ExportModule,
        LegacyModule,
        WebhooksModule,
        ClaimEventsModule,
        LifecycleEventsModule,
        PoolModule,
        RedemptionsModule,
        RetentionModule,
      ],
    };
  }
}
