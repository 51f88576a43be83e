/** Unit tier: pure logic, specs beside the code (and beside the tests' own logic), no network. */
const base = require('./jest.base.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'unit',
  testMatch: [
    '<rootDir>/{apps,libs,bench}/**/*.spec.ts',
    '<rootDir>/test/support/**/*.spec.ts',
    // the published API documents and the client generated from them (npm run openapi)
    '<rootDir>/tools/openapi/**/*.spec.ts',
    // the repository's pages: links, contents, runbooks
    '<rootDir>/test/docs/**/*.spec.ts',
  ],
};
