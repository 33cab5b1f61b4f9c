import { defineConfig } from 'vitest/config';

/**
 * The focused test set `npm run mutate` gives Stryker: the rule modules' own named scenarios and
 * property tests, none of which runs a whole simulation. Stryker runs, for each mutant, only the
 * tests that covered it (perTest coverage), so a test that simulates years of trading would be
 * rerun for almost every mutant; the backtest, report and policy-over-random-households tests stay
 * in `npm test` and out of this list, and so do the daily policy's own scenarios (policy.test.ts,
 * pending.test.ts), which reach the guard only through whole decisions: the guard's rules are
 * pinned one by one in washGuard.test.ts.
 */
export const RULE_TESTS = [
  'src/core/ledger/washSales.test.ts',
  'src/core/ledger/substantiallyIdentical.test.ts',
  'src/core/ledger/booking.test.ts',
  'src/core/ledger/booking.property.test.ts',
  'src/core/ledger/holdingPeriod.test.ts',
  'src/core/ledger/lotSelection.test.ts',
  'src/core/harvest/washGuard.test.ts',
  'src/core/tax/capitalLoss.test.ts',
];

export default defineConfig({
  test: {
    include: RULE_TESTS,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
