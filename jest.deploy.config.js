/**
 * Deployment tier: the Helm chart, skaffold.yaml, deploy/ and the Dockerfile, checked without a
 * cluster or a container engine (test/deploy). The global setup builds the pinned Helm CLI once
 * (test/deploy/support/build-helm.sh) and starts the test stack's MongoDB and NATS, which the
 * image test needs to start the apps as the image would.
 */
const base = require('./jest.base.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'deploy',
  testMatch: ['<rootDir>/test/deploy/**/*.deploy-spec.ts'],
  globalSetup: '<rootDir>/test/deploy/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
};
