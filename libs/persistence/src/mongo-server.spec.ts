import type { Logger } from '@nestjs/common';
import type { MongoConfig } from '@app/config';
import { choosePoolSize, logPoolChoice, type MongoServerInfo } from './mongo-server';

const config = (maxPoolSize: number | undefined): MongoConfig => ({
  uri: 'mongodb://127.0.0.1:27017/x',
  maxPoolSize,
  serverSelectionTimeoutMs: 1_000,
  allowWeakDurability: false,
});
const mongodb: MongoServerInfo = { isFerretDb: false, version: '8.0.4' };
const ferretdb: MongoServerInfo = { isFerretDb: true, version: '1.24.0' };

describe('choosePoolSize', () => {
  it("uses the service's default against MongoDB when MONGODB_MAX_POOL_SIZE is unset", () => {
    expect(choosePoolSize(config(undefined), mongodb, 20)).toBe(20);
  });

  it('uses MONGODB_MAX_POOL_SIZE against MongoDB when set', () => {
    expect(choosePoolSize(config(5), mongodb, 20)).toBe(5);
  });

  it('always uses one connection against FerretDB, whatever is configured (claims stay atomic)', () => {
    expect(choosePoolSize(config(undefined), ferretdb, 20)).toBe(1);
    expect(choosePoolSize(config(50), ferretdb, 20)).toBe(1);
  });
});

describe('logPoolChoice', () => {
  const fakeLogger = () => ({ log: jest.fn(), warn: jest.fn() });

  it('warns about the single connection on FerretDB, naming the version', () => {
    const logger = fakeLogger();
    logPoolChoice(logger as unknown as Logger, ferretdb, 1);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('FerretDB 1.24.0'));
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('single connection'));
    expect(logger.log).not.toHaveBeenCalled();
  });

  it('logs the pool size on MongoDB', () => {
    const logger = fakeLogger();
    logPoolChoice(logger as unknown as Logger, mongodb, 20);
    expect(logger.log).toHaveBeenCalledWith('MongoDB server 8.0.4: connection pool of up to 20');
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
