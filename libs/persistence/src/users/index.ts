export * from './user.schema';
export * from './users.repository';
