/**
 * Backtest throughput: accounts simulated day by day over 12 years under every strategy (the
 * hindsight bound is a by-product), through the same setup and worker pool as `lotsmith
 * backtest`. Reports account-days per second with one thread and with one worker per core, and
 * what that makes of the issue's target run: 10,000 accounts x 12 years x every strategy.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BACKTEST_CONFIG } from '../adapters/files/backtestConfig.js';
import { describeIssues, setupBacktest, type SetupRequest } from '../adapters/workers/backtestSetup.js';
import { runPopulation } from '../adapters/workers/backtestPool.js';
import { fmt, peakRssMb, report } from './harness.js';

const TARGET_ACCOUNTS = 10_000;
const YEARS = 12;

/** The default config, every account opened on 2014-01-02 and run to 2025-12-31. */
function benchConfig(accounts: number, verify: boolean): string {
  const doc = JSON.parse(readFileSync(DEFAULT_BACKTEST_CONFIG, 'utf8')) as Record<string, unknown>;
  const file = join(mkdtempSync(join(tmpdir(), 'lotsmith-bench-')), 'backtest.json');
  writeFileSync(
    file,
    JSON.stringify({
      ...doc,
      window: { from: '2014-01-02', to: '2025-12-31' },
      verify,
      accounts: { ...(doc['accounts'] as object), count: accounts, vintages: [2014], startDay: 'first_trading_day' },
    }),
  );
  return file;
}

interface Measure {
  readonly accountDays: number;
  readonly seconds: number;
}

async function measure(pricesDir: string, accounts: number, workers: number, verify: boolean): Promise<Measure> {
  const request: SetupRequest = { pricesDir, configFile: benchConfig(accounts, verify), overrides: {} };
  const setup = setupBacktest(request);
  if (!setup.ok) throw new Error(describeIssues(setup.issues));
  let accountDays = 0;
  const t0 = performance.now();
  await runPopulation(setup.value, request, workers, (_, days) => (accountDays += days));
  return { accountDays, seconds: (performance.now() - t0) / 1000 };
}

export async function runBacktestBench(pricesDir: string, quick: boolean): Promise<void> {
  const accounts = quick ? 4 : 16;
  const cores = availableParallelism();
  const one = await measure(pricesDir, accounts, 1, false);
  const many = cores > 1 ? await measure(pricesDir, accounts, cores, false) : one;
  const verified = await measure(pricesDir, Math.max(2, accounts / 4), 1, true);
  const rate = (m: Measure): number => m.accountDays / m.seconds;
  const strategies = one.accountDays / accounts / (YEARS * 252);
  const target = TARGET_ACCOUNTS * YEARS * 252 * strategies;
  const best = Math.max(rate(one), rate(many));
  report(`Backtest (${accounts} accounts x ${YEARS} years x ${fmt(strategies, 1)} strategies, default config, every day simulated)`, [
    ['1 thread', `${fmt(rate(one))} account-days/s (${fmt(one.accountDays)} account-days in ${one.seconds.toFixed(1)} s)`],
    [`${cores} workers`, `${fmt(rate(many))} account-days/s (${(rate(many) / rate(one)).toFixed(2)}x one thread)`],
    ['with ledger re-booking', `${fmt(rate(verified))} account-days/s (every history re-booked by the wash-sale engine)`],
    [
      `target: ${fmt(TARGET_ACCOUNTS)} accounts x ${YEARS} years`,
      `${fmt(target / 1e6, 1)} M account-days: ${fmt(target / best / 60, 1)} min at the best rate (target 1 min: ${(60 / (target / best)).toFixed(3)}x of the way)`,
    ],
    ['peak RSS', `${fmt(peakRssMb())} MB`],
  ]);
}
