/**
 * End-to-end tier: the built apps (dist/, so `npm run build` first) started as processes by the
 * tests (test/support/stack.ts), against the MongoDB and NATS of the global setup. One file at a
 * time: the apps and the dev database server are heavy for a 2-core machine.
 */
const base = require('./jest.base.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'e2e',
  testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 60_000,
};
