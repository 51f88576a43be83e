export * from './health.module';
export * from './logger';
