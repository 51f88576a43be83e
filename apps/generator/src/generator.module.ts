import { DynamicModule, Module } from '@nestjs/common';
import { AUTH_FAILURES_PER_IP, AuthModule } from '@app/auth';
import { ConfigModule } from '@app/config';
import { MessagingModule } from '@app/messaging';
import { HealthModule } from '@app/observability';
import { PersistenceModule } from '@app/persistence';
import { RateLimitModule } from '@app/ratelimit';
import { ApiKeyRotationService } from './brands/api-key-rotation.service';
import { ApiKeysController } from './brands/api-keys.controller';
import { BrandsController } from './brands/brands.controller';
import { BrandsService } from './brands/brands.service';
import { ClaimEventsController } from './claim-events/claim-events.controller';
import { CodeGenerationService } from './codes/code-generation.service';
import { CodesController } from './codes/codes.controller';
import type { GeneratorConfig } from './generator.config';
import { LegacyGenerateController } from './legacy/legacy-generate.controller';

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
        PersistenceModule.forRoot({ defaultPoolSize: DEFAULT_POOL_SIZE }),
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
        LegacyGenerateController,
        ClaimEventsController,
      ],
      providers: [BrandsService, ApiKeyRotationService, CodeGenerationService],
    };
  }
}
