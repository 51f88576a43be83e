/**
 * Integration tier: libs and apps against a real MongoDB (or the FerretDB dev server) and NATS,
 * provided by the global setup (see test/support/global-setup.ts). Specs live in test/integration.
 */
const base = require('./jest.base.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'integration',
  testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30_000,
};
