import { DynamicModule, Logger, Module, type Provider } from '@nestjs/common';
import { MongooseModule, type ModelDefinition } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { COMMON_CONFIG, type CommonConfig } from '@app/config';
import { MetricsModule, MongoPoolMetrics } from '@app/metrics';
import {
  Brand,
  BrandApiKeysRepository,
  BrandSchema,
  BrandsRepository,
  BrandWebhookSecretsRepository,
} from './brands';
import { Campaign, CampaignSchema, CampaignsRepository } from './campaigns';
import {
  Code,
  CodeClaimsRepository,
  CodeExpiryRepository,
  CodeInventoryRepository,
  CodeLifecycleEventsRepository,
  CodeListingRepository,
  CodePoolRepository,
  CodeRedemptionsRepository,
  CodeSchema,
} from './codes';
import { DevServerRepository } from './dev-server/dev-server.repository';
import {
  GenerationJob,
  GenerationJobChunk,
  GenerationJobChunkSchema,
  GenerationJobEndEventsRepository,
  GenerationJobListingRepository,
  GenerationJobSchema,
  GenerationJobsRepository,
} from './generation-jobs';
import { refuseWeakDurability } from './durability';
import { IdempotencyRecord, IdempotencyRecordSchema, IdempotencyRecordsRepository } from './idempotency';
import { IndexesReady } from './indexes-ready';
import { watchConnectionPool } from './pool-monitor';
import { User, UserSchema, UsersRepository } from './users';
import {
  WebhookAttempt,
  WebhookAttemptSchema,
  WebhookAttemptsRepository,
  WebhookDeliveriesRepository,
  WebhookDelivery,
  WebhookDeliverySchema,
} from './webhook-deliveries';

export type CollectionName =
  'brands' | 'campaigns' | 'codes' | 'users' | 'webhookDeliveries' | 'generationJobs' | 'idempotencyKeys';

/** Each collection with its models and the repositories over them. */
const COLLECTIONS: Record<CollectionName, { models: ModelDefinition[]; repositories: Provider[] }> = {
  brands: {
    models: [{ name: Brand.name, schema: BrandSchema }],
    repositories: [BrandsRepository, BrandApiKeysRepository, BrandWebhookSecretsRepository],
  },
  campaigns: {
    models: [{ name: Campaign.name, schema: CampaignSchema }],
    repositories: [CampaignsRepository],
  },
  codes: {
    models: [{ name: Code.name, schema: CodeSchema }],
    repositories: [
      CodeInventoryRepository,
      CodeListingRepository,
      CodeClaimsRepository,
      CodePoolRepository,
      CodeExpiryRepository,
      CodeRedemptionsRepository,
      CodeLifecycleEventsRepository,
      DevServerRepository,
    ],
  },
  users: { models: [{ name: User.name, schema: UserSchema }], repositories: [UsersRepository] },
  webhookDeliveries: {
    models: [
      { name: WebhookDelivery.name, schema: WebhookDeliverySchema },
      { name: WebhookAttempt.name, schema: WebhookAttemptSchema },
    ],
    repositories: [WebhookDeliveriesRepository, WebhookAttemptsRepository],
  },
  generationJobs: {
    models: [
      { name: GenerationJob.name, schema: GenerationJobSchema },
      { name: GenerationJobChunk.name, schema: GenerationJobChunkSchema },
    ],
    repositories: [
      GenerationJobsRepository,
      GenerationJobListingRepository,
      GenerationJobEndEventsRepository,
    ],
  },
  idempotencyKeys: {
    models: [{ name: IdempotencyRecord.name, schema: IdempotencyRecordSchema }],
    repositories: [IdempotencyRecordsRepository],
  },
};

export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as CollectionName[];

export interface PersistenceOptions {
  /** Pool size when MONGODB_MAX_POOL_SIZE is unset. */
  readonly defaultPoolSize: number;
  /** The collections the app uses: only their repositories are provided and their indexes built. */
  readonly collections: readonly CollectionName[];
}

@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceOptions): DynamicModule {
    const collections = options.collections.map((name) => COLLECTIONS[name]);
    const repositories = collections.flatMap((c) => c.repositories);
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        MongooseModule.forRootAsync({
          imports: [MetricsModule],
          inject: [COMMON_CONFIG, MongoPoolMetrics],
          useFactory: (config: CommonConfig, poolMetrics: MongoPoolMetrics) => {
            refuseWeakDurability(config.mongo);
            const maxPoolSize = config.mongo.maxPoolSize ?? options.defaultPoolSize;
            new Logger('Persistence').log(`MongoDB connection pool of up to ${maxPoolSize}`);
            return {
              uri: config.mongo.uri,
              appName: config.serviceName,
              maxPoolSize,
              serverSelectionTimeoutMS: config.mongo.serverSelectionTimeoutMs,
              // A boot without a database fails fast and lets the orchestrator restart us;
              // once up, the driver reconnects by itself and requests get 503 meanwhile.
              retryAttempts: 0,
              onConnectionCreate: (connection: Connection) =>
                watchConnectionPool(connection, poolMetrics, maxPoolSize),
            };
          },
        }),
        MongooseModule.forFeature(collections.flatMap((c) => c.models)),
      ],
      providers: [IndexesReady, ...repositories],
      exports: [...repositories, MongooseModule],
    };
  }
}
