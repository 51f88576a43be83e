import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Brand } from './brands';
import { Code } from './codes';
import { GenerationJob, GenerationJobChunk } from './generation-jobs';
import { User } from './users';
import { WebhookAttempt, WebhookDelivery } from './webhook-deliveries';

/**
 * Holds start-up until every collection and index exists. Mongoose builds indexes in the
 * background; a request served before the unique indexes exist could store duplicates, after
 * which the index build itself fails and uniqueness is gone for good.
 */
@Injectable()
export class IndexesReady implements OnModuleInit {
  constructor(
    @InjectModel(Brand.name) private readonly brands: Model<Brand>,
    @InjectModel(Code.name) private readonly codes: Model<Code>,
    @InjectModel(User.name) private readonly users: Model<User>,
    @InjectModel(WebhookDelivery.name) private readonly deliveries: Model<WebhookDelivery>,
    @InjectModel(WebhookAttempt.name) private readonly attempts: Model<WebhookAttempt>,
    @InjectModel(GenerationJob.name) private readonly jobs: Model<GenerationJob>,
    @InjectModel(GenerationJobChunk.name) private readonly jobChunks: Model<GenerationJobChunk>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all(
      [this.brands, this.codes, this.users, this.deliveries, this.attempts, this.jobs, this.jobChunks].map(
        (model) => model.init(),
      ),
    );
  }
}
