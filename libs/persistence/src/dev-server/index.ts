export * from './dev-server.repository';
export * from './slow-claims';
