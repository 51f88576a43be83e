export * from './health/health.module';
export * from './health/service-lifecycle';
export * from './logger';
