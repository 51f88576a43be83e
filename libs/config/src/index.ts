export * from './common-config';
export * from './config.module';
export * from './env-parsing';
export * from './cidr';
export * from './env-section';
export * from './load-shedding-config';
