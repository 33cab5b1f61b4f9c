// Mutation testing of the rule modules (`npm run mutate`; docs/mutation.md). One file at a time
// while iterating: `npm run mutate -- --mutate src/core/ledger/holdingPeriod.ts`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/core/ledger/washSales.ts',
    'src/core/ledger/lotSelection.ts',
    'src/core/ledger/holdingPeriod.ts',
    'src/core/harvest/washGuard.ts',
    'src/core/tax/capitalLoss.ts',
  ],
  // The machine is shared (2 vCPUs): two test processes at most.
  concurrency: 2,
  timeoutMS: 20_000,
  thresholds: { high: 95, low: 90, break: 90 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'scratch/mutation/mutation.html' },
  jsonReporter: { fileName: 'scratch/mutation/mutation.json' },
  tempDirName: 'scratch/.stryker-tmp',
  ignorePatterns: ['dist', 'scratch', 'backtest-report', 'out', '.lotsmith'],
  cleanTempDir: true,
};
