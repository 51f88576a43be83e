import { Logger } from '@nestjs/common';
import { mongo } from 'mongoose';
import type { MongoConfig } from '@app/config';

export interface MongoServerInfo {
  readonly isFerretDb: boolean;
  readonly version: string;
}

/**
 * Asks the server what it is. FerretDB (the MongoDB-compatible dev server used where no MongoDB
 * can run) implements findAndModify as a read followed by a write, which is atomic only when the
 * client sends one command at a time, so callers must then use a single connection.
 */
export async function probeMongoServer(config: MongoConfig): Promise<MongoServerInfo> {
  const client = new mongo.MongoClient(config.uri, {
    maxPoolSize: 1,
    serverSelectionTimeoutMS: config.serverSelectionTimeoutMs,
  });
  try {
    await client.connect();
    const info = await client.db('admin').command({ buildInfo: 1 });
    const ferretDbVersion: unknown = info.ferretdbVersion ?? info.ferretdb;
    return {
      isFerretDb: ferretDbVersion !== undefined,
      version: String(ferretDbVersion ?? info.version),
    };
  } finally {
    await client.close();
  }
}

export function choosePoolSize(config: MongoConfig, server: MongoServerInfo, serviceDefault: number): number {
  if (server.isFerretDb) return 1;
  return config.maxPoolSize ?? serviceDefault;
}

export function logPoolChoice(logger: Logger, server: MongoServerInfo, poolSize: number): void {
  if (server.isFerretDb) {
    logger.warn(
      `MongoDB server is FerretDB ${server.version} (dev server): using a single connection, ` +
        'because its findAndModify is only atomic when commands arrive one at a time',
    );
  } else {
    logger.log(`MongoDB server ${server.version}: connection pool of up to ${poolSize}`);
  }
}
