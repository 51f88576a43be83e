import { DynamicModule, Module } from '@nestjs/common';
import { AUTH_FAILURES_PER_IP, AuthModule, UserSecretHasher, VerifiedSecretCache } from '@app/auth';
import { ConfigModule } from '@app/config';
import { IdempotencyModule } from '@app/http';
import { MessagingModule } from '@app/messaging';
import { ClaimMetrics, CodePoolMetrics, MetricsModule, OutboxMetrics } from '@app/metrics';
import { HealthModule } from '@app/observability';
import { PersistenceModule } from '@app/persistence';
import { RateLimitModule } from '@app/ratelimit';
import { CampaignCache } from './campaigns/campaign-cache';
import { CampaignClaimService } from './claims/campaign-claim.service';
import { CampaignClaimsController } from './claims/campaign-claims.controller';
import { ClaimCodeService } from './claims/claim-code.service';
import { ClaimsController } from './claims/claims.controller';
import { LegacyGetCodeController } from './legacy/legacy-get-code.controller';
import { OutboxRelay } from './outbox/outbox-relay';
import { BrandSettingsCache } from './pool/brand-settings.cache';
import { PoolLevelsReporter } from './pool/pool-levels.reporter';
import { PoolLowMonitor } from './pool/pool-low.monitor';
import { PoolReplenisher } from './pool/pool-replenisher';
import type { ProviderConfig } from './provider.config';
import { UsersController } from './users/users.controller';
import { AUTH_FAILURES_PER_USER_IP, UsersService } from './users/users.service';

/** Claims are short single-document writes; a larger pool lets a flash sale run concurrently. */
const DEFAULT_POOL_SIZE = 50;

/** While NATS is down, limits are counted per replica; the shared store is tried again after this. */
const RATE_LIMIT_STORE_RETRY_MS = 5_000;

@Module({})
export class ProviderModule {
  static forRoot(config: ProviderConfig): DynamicModule {
    return {
      module: ProviderModule,
      imports: [
        ConfigModule.forRoot(config),
        PersistenceModule.forRoot({
          defaultPoolSize: DEFAULT_POOL_SIZE,
          collections: ['brands', 'campaigns', 'codes', 'users', 'idempotencyKeys'],
        }),
        MetricsModule,
        MessagingModule,
        RateLimitModule.forRoot({
          namespace: 'ratelimit-provider',
          rates: {
            legacyPerIp: config.rateLimits.legacyPerIp,
            claimsPerUser: config.rateLimits.claimsPerUser,
          },
          lockouts: {
            [AUTH_FAILURES_PER_IP]: config.rateLimits.authFailuresPerIp,
            [AUTH_FAILURES_PER_USER_IP]: config.rateLimits.authFailuresPerUserIp,
          },
          store: {
            timeoutMs: config.rateLimits.storeTimeoutMs,
            retryAfterMs: RATE_LIMIT_STORE_RETRY_MS,
            maxBytes: config.rateLimits.storeMaxBytes,
            syncIntervalMs: config.rateLimits.syncIntervalMs,
          },
        }),
        AuthModule.forRoot({ adminToken: config.adminToken, adminPort: config.adminPort, jwt: config.jwt }),
        HealthModule,
        IdempotencyModule,
      ],
      controllers: [ClaimsController, CampaignClaimsController, UsersController, LegacyGetCodeController],
      providers: [
        ClaimMetrics,
        OutboxMetrics,
        CodePoolMetrics,
        ClaimCodeService,
        CampaignCache,
        CampaignClaimService,
        UsersService,
        {
          provide: UserSecretHasher,
          // The cache is one per process: its key and its entries must not survive a restart.
          useValue: new UserSecretHasher(
            config.userSecretPepper,
            new VerifiedSecretCache(config.userSecretCache),
          ),
        },
        OutboxRelay,
        BrandSettingsCache,
        PoolLowMonitor,
        PoolLevelsReporter,
        PoolReplenisher,
      ],
    };
  }
}
