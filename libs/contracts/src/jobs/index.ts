export * from './generation-chunk';
