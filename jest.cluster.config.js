/**
 * Cluster tier: the system installed into a real local Kubernetes (tools/cluster) and used through
 * its gateway. Run it with `npm run test:cluster` (test/cluster/run.sh), which brings the cluster up,
 * builds and imports the images, and takes the cluster down again whatever happens. The global
 * setup installs the chart once; the specs run one at a time, in file-name order, because later
 * ones change the release (upgrade, rollback, uninstall).
 */
const base = require('./jest.base.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'cluster',
  testMatch: ['<rootDir>/test/cluster/**/*.cluster-spec.ts'],
  globalSetup: '<rootDir>/test/cluster/support/global-setup.ts',
  testSequencer: '<rootDir>/test/cluster/support/sequencer.js',
  maxWorkers: 1,
  testTimeout: 120_000,
};
