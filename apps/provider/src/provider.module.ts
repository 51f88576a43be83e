import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule, VerifiedSecretCache } from '@app/auth';
import { ConfigModule } from '@app/config';
import { MessagingModule } from '@app/messaging';
import { HealthModule } from '@app/observability';
import { PersistenceModule } from '@app/persistence';
import { ClaimCodeService } from './claims/claim-code.service';
import { ClaimsController } from './claims/claims.controller';
import { GenerationEventsController } from './generation-events/generation-events.controller';
import { LegacyGetCodeController } from './legacy/legacy-get-code.controller';
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
      controllers: [ClaimsController, UsersController, LegacyGetCodeController, GenerationEventsController],
      providers: [
        ClaimCodeService,
        UsersService,
        // One per process: its key and its entries must not survive a restart.
        { provide: VerifiedSecretCache, useValue: new VerifiedSecretCache(config.userSecretCache) },
      ],
    };
  }
}
