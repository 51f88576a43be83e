export * from './campaigns';
export * from './commands';
export * from './errors';
export * from './events';
export * from './identifiers';
export * from './jobs';
export * from './subjects';
export * from './webhooks';
