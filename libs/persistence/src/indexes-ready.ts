import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

/**
 * Holds start-up until the app's collections and their indexes exist (those of the models it
 * registered, not every model of the lib). Mongoose builds indexes in the background; a request
 * served before the unique indexes exist could store duplicates, after which the index build
 * itself fails and uniqueness is gone for good.
 */
@Injectable()
export class IndexesReady implements OnModuleInit {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async onModuleInit(): Promise<void> {
    await Promise.all(Object.values(this.connection.models).map((model) => model.init()));
  }
}
