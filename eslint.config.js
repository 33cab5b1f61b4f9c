import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The core is pure: no IO, no clock, no randomness, no logger. These rules keep it so;
// src/core/purity.test.ts checks the same boundary independently of the linter.
const IO_MODULES = [
  'node:*', 'fs', 'fs/*', 'path', 'os', 'http', 'https', 'net', 'child_process',
  'worker_threads', 'readline', 'stream', 'pg', 'fastify', 'commander', 'csv-parse', 'csv-parse/*',
  'cli-table3', 'better-sqlite3', '@electric-sql/*', 'kysely', 'vega', 'vega-lite', 'cli-progress',
];

export default tseslint.config(
  { ignores: ['dist/**', 'web/dist/**', 'node_modules/**', 'out/**', 'scratch/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts', 'src/core/**/*.test-util.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: IO_MODULES, message: 'The core is pure: IO belongs in src/adapters.' },
          { group: ['**/adapters/**', '**/bench/**'], message: 'The core must not depend on adapters.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'Date', message: 'Calendar facts are Day numbers; the clock is injected by adapters.' },
        { name: 'console', message: 'The core returns data; adapters print.' },
        { name: 'process', message: 'The core does not read the environment.' },
        { name: 'performance', message: 'Timing belongs in adapters and benchmarks.' },
        { name: 'fetch', message: 'The core does no IO.' },
      ],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'Randomness is injected (seeded) by the caller.' },
      ],
    },
  },
  {
    // The application layer reaches the world only through its ports (src/app/ports.ts).
    files: ['src/app/**/*.ts'],
    ignores: ['src/app/**/*.test.ts', 'src/app/**/*.test-util.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: IO_MODULES.filter((m) => m !== 'node:*').concat(['node:fs', 'node:fs/*', 'node:path', 'node:child_process', 'node:net', 'node:http', 'node:worker_threads', 'node:os']), message: 'Use cases reach IO through ports; adapters implement them.' },
          { group: ['**/adapters/**', '**/bench/**'], message: 'The application layer must not depend on adapters.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'console', message: 'Use cases return data; adapters print.' },
        { name: 'process', message: 'Configuration comes in through the adapters.' },
      ],
    },
  },
);
