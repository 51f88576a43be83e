export * from './health/health.module';
export * from './health/service-lifecycle';
export * from './logging/pino-logger';
export * from './logging/redaction';
export * from './logging/request-context';
