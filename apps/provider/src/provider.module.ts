import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { ConfigModule } from '@app/config';
import { MessagingModule } from '@app/messaging';
import { HealthModule } from '@app/observability';
import { PersistenceModule } from '@app/persistence';
import { ClaimCodeService } from './claims/claim-code.service';
import { ClaimsController } from './claims/claims.controller';
import { LegacyGetCodeController } from './legacy/legacy-get-code.controller';
import { OutboxRelay } from './outbox/outbox-relay';
import { BrandSettingsCache } from './pool/brand-settings.cache';
import { PoolLowMonitor } from './pool/pool-low.monitor';
import { PoolReplenisher } from './pool/pool-replenisher';
import type { ProviderConfig } from './provider.config';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';

/** Claims are short single-document writes; a larger pool lets a flash sale run concurrently. */
const DEFAULT_POOL_SIZE = 50;

@Module({})
export class ProviderModule {
  static forRoot(config: ProviderConfig): DynamicModule {
    return {
      module: ProviderModule,
      imports: [
        ConfigModule.forRoot(config),
        PersistenceModule.forRoot({ defaultPoolSize: DEFAULT_POOL_SIZE }),
        MessagingModule,
        AuthModule.forRoot({ adminToken: config.adminToken, jwt: config.jwt }),
        HealthModule,
      ],
      controllers: [ClaimsController, UsersController, LegacyGetCodeController],
      providers: [
        ClaimCodeService,
        UsersService,
        OutboxRelay,
        BrandSettingsCache,
        PoolLowMonitor,
        PoolReplenisher,
      ],
    };
  }
}
