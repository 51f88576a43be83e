export * from './code-format';
export * from './code-format-key';
export * from './code-generator';
export * from './capacity';
export type { RandomBytesSource } from './random-byte-pool';
