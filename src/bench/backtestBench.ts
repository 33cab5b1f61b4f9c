/**
 * Backtest throughput: accounts simulated day by day over 12 years under every strategy (the
 * hindsight bound is a by-product), through the same setup and worker pool as `lotsmith
 * backtest`. Reports account-days per second of the fast day loop with one thread and with one
 * worker per core; the reference loop (the state rebuilt every day, the loop the fast one is
 * checked against) on the same accounts in the same run, as the baseline of the ratio; each
 * phase's share — screen (and the day's bookkeeping), decide, fills, verify (the ledger's
 * re-booking) — as the account-days per second that phase alone would allow; and what that makes
 * of the issue's target run: 10,000 accounts x 12 years x every strategy.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BACKTEST_CONFIG } from '../adapters/files/backtestConfig.js';
import { describeIssues, setupBacktest, type SetupRequest } from '../adapters/workers/backtestSetup.js';
import { runPopulation } from '../adapters/workers/backtestPool.js';
import { simulateSlice } from '../core/backtest/backtest.js';
import type { PhaseTimes } from '../core/backtest/simulation.js';
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

export interface BacktestMeasure {
  readonly accountDays: number;
  readonly seconds: number;
  /**
   * CPU seconds of the process (every thread) over the simulation: on a machine shared with other
   * work, the steadier measure of what the run costs, and the one ratios are taken on.
   */
  readonly cpuSeconds: number;
  readonly accountDaysPerSecond: number;
  readonly workers: number;
  readonly strategies: number;
  /**
   * Milliseconds by phase (one thread only): screen is what the others leave of the total, judge
   * the part of it that judges losses as the harvest rule does; verify only with `verify`.
   */
  readonly phases?: { readonly screen: number; readonly judge: number; readonly decide: number; readonly fills: number; readonly verify?: number };
}

export interface BacktestBenchOptions {
  readonly pricesDir: string;
  readonly accounts: number;
  readonly workers: number;
  readonly verify?: boolean;
  /** The reference day loop instead of the fast one (one thread). */
  readonly reference?: boolean;
  /** Sum phase times (one thread; costs a few clock reads per account-day). */
  readonly phases?: boolean;
}

/** Sets a run up and simulates its population; only the simulation is timed. */
export async function measureBacktest(o: BacktestBenchOptions): Promise<BacktestMeasure> {
  const request: SetupRequest = { pricesDir: o.pricesDir, configFile: benchConfig(o.accounts, o.verify === true), overrides: {} };
  const setup = setupBacktest(request);
  if (!setup.ok) throw new Error(describeIssues(setup.issues));
  const strategies = setup.value.prepared.spec.strategies.length;
  let accountDays = 0;
  const cpu0 = process.cpuUsage();
  const cpuSeconds = (): number => {
    const d = process.cpuUsage(cpu0);
    return (d.user + d.system) / 1e6;
  };
  if (o.workers > 1 && o.reference !== true && o.phases !== true) {
    const t0 = performance.now();
    await runPopulation(setup.value, request, o.workers, (_, days) => (accountDays += days));
    const seconds = (performance.now() - t0) / 1000;
    return { accountDays, seconds, cpuSeconds: cpuSeconds(), accountDaysPerSecond: accountDays / seconds, workers: o.workers, strategies };
  }
  const phases: PhaseTimes | undefined = o.phases === true ? { clock: () => performance.now(), total: 0, judge: 0, decide: 0, fills: 0, verify: 0 } : undefined;
  const prepared = setup.value.prepared;
  const ctx = { ...prepared.ctx, path: o.reference === true ? ('reference' as const) : ('fast' as const), ...(phases !== undefined ? { phases } : {}) };
  const t0 = performance.now();
  simulateSlice({ ...prepared, ctx }, 0, prepared.accounts.length, (run) => {
    for (const r of run.runs) accountDays += r.days + 1;
  });
  const seconds = (performance.now() - t0) / 1000;
  return {
    accountDays,
    seconds,
    cpuSeconds: cpuSeconds(),
    accountDaysPerSecond: accountDays / seconds,
    workers: 1,
    strategies,
    ...(phases !== undefined
      ? {
          phases: {
            screen: phases.total - phases.decide - phases.fills - phases.verify,
            judge: phases.judge,
            decide: phases.decide,
            fills: phases.fills,
            ...(o.verify === true ? { verify: phases.verify } : {}),
          },
        }
      : {}),
  };
}

/** Rows of account-days per second by phase: what each phase alone would allow, and its share. */
export function phaseRows(m: BacktestMeasure): [string, string][] {
  const p = m.phases;
  if (p === undefined) return [];
  const total = p.screen + p.decide + p.fills + (p.verify ?? 0);
  const row = (label: string, ms: number | undefined): [string, string] => [
    label,
    ms === undefined ? 'not run (--verify)' : `${fmt(m.accountDays / (ms / 1000))} account-days/s (${fmt((100 * ms) / total, 1)} % of the time)`,
  ];
  return [row('  screen', p.screen), row('    of which judging losses', p.judge), row('  decide', p.decide), row('  fills', p.fills), row('  verify', p.verify)];
}

export async function runBacktestBench(pricesDir: string, quick: boolean): Promise<void> {
  const accounts = quick ? 4 : 16;
  const cores = availableParallelism();
  const fast = await measureBacktest({ pricesDir, accounts, workers: 1 });
  const reference = await measureBacktest({ pricesDir, accounts, workers: 1, reference: true });
  const many = cores > 1 ? await measureBacktest({ pricesDir, accounts, workers: cores }) : fast;
  const phased = await measureBacktest({ pricesDir, accounts: Math.max(2, accounts / 4), workers: 1, verify: true, phases: true });
  const strategies = fast.strategies;
  const target = TARGET_ACCOUNTS * YEARS * 252 * strategies;
  const best = Math.max(fast.accountDaysPerSecond, many.accountDaysPerSecond);
  const perCpu = (m: BacktestMeasure): number => m.accountDays / m.cpuSeconds;
  report(`Backtest (${accounts} accounts x ${YEARS} years x ${strategies} strategies, default config, every day simulated)`, [
    ['1 thread', `${fmt(fast.accountDaysPerSecond)} account-days/s (${fmt(fast.accountDays)} account-days in ${fast.seconds.toFixed(1)} s); ${fmt(perCpu(fast))} per CPU-second`],
    [
      '1 thread, reference loop',
      `${fmt(reference.accountDaysPerSecond)} account-days/s; ${fmt(perCpu(reference))} per CPU-second: the fast loop is ${(perCpu(fast) / perCpu(reference)).toFixed(2)}x it in CPU time (${(fast.accountDaysPerSecond / reference.accountDaysPerSecond).toFixed(2)}x in wall time)`,
    ],
    [`${cores} workers`, `${fmt(many.accountDaysPerSecond)} account-days/s (${(many.accountDaysPerSecond / fast.accountDaysPerSecond).toFixed(2)}x one thread)`],
    ['by phase, with ledger re-booking', `${fmt(phased.accountDaysPerSecond)} account-days/s overall (${fmt(phased.accountDays)} account-days, phases timed)`],
    ...phaseRows(phased),
    [
      `target: ${fmt(TARGET_ACCOUNTS)} accounts x ${YEARS} years`,
      `${fmt(target / 1e6, 1)} M account-days: ${fmt(target / best / 60, 1)} min at the best rate (target 1 min: ${(60 / (target / best)).toFixed(3)}x of the way)`,
    ],
    ['peak RSS', `${fmt(peakRssMb())} MB`],
  ]);
}
