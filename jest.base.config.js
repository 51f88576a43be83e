/**
 * Shared by the three test tiers. @swc/jest only strips types (fast); `npm run typecheck` checks
 * types once for the whole repository instead of once per test file.
 */
const { readFileSync } = require('node:fs');

const swcrc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcrc.jsc.baseUrl;

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // .data/ holds the local cluster's container root filesystems (with package.json files of their
  // own), and .cache/ built tools: neither is code of this repository.
  modulePathIgnorePatterns: ['<rootDir>/.data/', '<rootDir>/.cache/'],
  moduleNameMapper: { '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts' },
};
