export * from './create-http-app';
export * from './error-bodies';
export * from './error-status';
export * from './http-exception.filter';
export * from './validation.pipe';
export * from './run-service';
