// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.cache/**',
      '.data/**',
      'coverage/**',
      'bench/results/**',
      // openapi-typescript's output (npm run openapi), checked against the documents by a test.
      'libs/client/src/generated/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Nest modules are classes with only decorators.
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@app/*/*'],
              message: 'Import a lib only through its root entry (@app/<lib>).',
            },
            {
              group: ['**/libs/**', '../**/apps/**', 'apps/**'],
              message: 'Use the @app/<lib> alias; apps never import each other.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@app/*/*'], message: 'Import a lib only through its root entry (@app/<lib>).' },
            {
              group: ['**/apps/**', '**/libs/**'],
              message: 'Libs never import apps; other libs via @app/<lib>.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'libs/codegen/**/*.ts',
      'libs/contracts/**/*.ts',
      'libs/ratelimit/src/token-bucket.ts',
      'libs/ratelimit/src/failure-lockout.ts',
      'test/support/claim-audit/audit-claims*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['mongoose', 'nats', 'mongodb'],
          patterns: [
            { group: ['@nestjs/*'], message: 'Pure logic: no Nest, Mongo or NATS imports.' },
            { group: ['@app/*/*'], message: 'Import a lib only through its root entry (@app/<lib>).' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
