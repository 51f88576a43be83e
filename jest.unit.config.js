/** Unit tier: pure logic, specs beside the code (and beside the tests' own logic), no network. */
const base = require('./jest.base.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'unit',
  testMatch: ['<rootDir>/{apps,libs,bench}/**/*.spec.ts', '<rootDir>/test/support/**/*.spec.ts'],
};
