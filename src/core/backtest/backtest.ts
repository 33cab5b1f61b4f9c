/**
 * A backtest end to end, apart from where its inputs come from and where its results go: the
 * market aligned to one calendar (marketData.ts), the policy's volatilities re-measured on the
 * calibration period (calibration.ts), a population of accounts (accounts.ts), every account
 * simulated under every strategy (simulation.ts) — in this thread or, through an adapter, in
 * worker threads over slices of the population — and the measurements (metrics.ts).
 *
 * Like cvxportfolio's backtester, the parts are separate objects: the market data server, the
 * policy (the harvester's `decide`, unchanged), the cost model (fills at the close with the spread),
 * the simulator, and the metrics; strategies are configurations of the one policy.
 */
import { dayFromCivil, type Day } from '../kernel/calendar.js';
import { issue, type Issue, type Result } from '../kernel/errors.js';
import type { HarvestConfig } from '../harvest/config.js';
import { StoppingTables } from '../harvest/stopping/opportunityCost.js';
import type { Symbol } from '../ledger/household.js';
import type { PriceBook } from '../market/prices.js';
import { targetWeights, type Universe } from '../securities/universe.js';
import { drawAccounts, type AccountSpec, type Population } from './accounts.js';
import { calibrateVolatility, type CalibrationRow } from './calibration.js';
import { calendarFields, firstIndexOnOrAfter, lastIndexOnOrBefore, marketData, type MarketData } from './marketData.js';
import { computeMetrics, type BacktestMetrics } from './metrics.js';
import { simulateAccount, type AccountRun, type ProfileSituation, type SimulationContext } from './simulation.js';
import type { Strategy } from './strategies.js';

export interface BacktestSpec {
  readonly universe: Universe;
  readonly strategies: readonly Strategy[];
  readonly population: Population;
  readonly profiles: readonly ProfileSituation[];
  readonly config: HarvestConfig;
  /** Annual advisory fee, a fraction of value. */
  readonly feeRate: number;
  readonly taxFlows: 'external' | 'reinvest';
  readonly discountRate: number;
  readonly from?: Day;
  readonly to?: Day;
  /** First day of the out-of-sample period; parameters are calibrated before it. */
  readonly split: Day;
  readonly calibrate: boolean;
  readonly verify: boolean;
  readonly focusRisk: number;
  readonly benchmark: Symbol;
  /** Loss thresholds of the daily rules the best of which, per account, is the yardstick from below (none: no yardstick). */
  readonly tuningThresholds?: readonly number[];
  /** The strategy whose vintage wins are counted (default: the last). */
  readonly focusStrategy?: string;
  /** Trade funds without full real closes on their total-return series (marketData.ts; default on). */
  readonly totalReturnTrading?: boolean;
}

export interface PreparedBacktest {
  readonly spec: BacktestSpec;
  readonly ctx: SimulationContext;
  readonly accounts: readonly AccountSpec[];
  readonly calibration: readonly CalibrationRow[];
  /** Funds traded on their total-return series. */
  readonly totalReturn: readonly Symbol[];
}

export interface BacktestResults {
  readonly from: Day;
  readonly to: Day;
  readonly tradingDays: number;
  readonly split: Day;
  readonly accounts: number;
  readonly accountDays: number;
  readonly strategies: readonly Strategy[];
  readonly calibration: readonly CalibrationRow[];
  readonly totalReturn: readonly Symbol[];
  readonly metrics: BacktestMetrics;
}

export function prepareBacktest(spec: BacktestSpec, book: PriceBook, tables: StoppingTables = new StoppingTables()): Result<PreparedBacktest> {
  const problems: Issue[] = [];
  if (spec.strategies.length === 0) problems.push(issue('MISSING_FIELD', 'at least one strategy is needed', { field: 'strategies' }));
  if (spec.profiles.length === 0) problems.push(issue('MISSING_FIELD', 'at least one tax profile is needed', { field: 'profiles' }));
  for (const r of spec.population.riskScores) {
    if (targetWeights(spec.universe, r) === undefined) problems.push(issue('BAD_VALUE', `risk score ${r} is outside the universe's mapping`, { field: 'population.riskScores' }));
  }
  if (problems.length > 0) return { ok: false, issues: problems };
  const calibrated = spec.calibrate ? calibrateVolatility(spec.universe, book, spec.split) : { universe: spec.universe, rows: [] };
  const symbols = calibrated.universe.classes.flatMap((c) => c.securities.map((s) => s.symbol));
  const totalReturn: Symbol[] = [];
  const data = marketData(book, symbols, {
    ...(spec.from !== undefined ? { from: spec.from } : {}),
    ...(spec.to !== undefined ? { to: spec.to } : {}),
    totalReturnTrading: spec.totalReturnTrading ?? true,
    onTotalReturn: (s) => totalReturn.push(s),
  });
  if (data.days.length < 2) {
    return { ok: false, issues: [issue('BAD_VALUE', 'the prices have fewer than two trading days in the window for the universe\'s funds', { field: 'from' })] };
  }
  const calendar = calendarFields(data);
  const end = spec.to === undefined ? data.days.length - 1 : lastIndexOnOrBefore(data, spec.to);
  const ctx: SimulationContext = {
    data,
    calendar,
    universe: calibrated.universe,
    strategies: spec.strategies,
    config: spec.config,
    tables,
    profiles: spec.profiles,
    feeRate: spec.feeRate,
    taxFlows: spec.taxFlows,
    end,
    verify: spec.verify,
    discountRate: spec.discountRate,
    windows: periodWindows(data, spec.split, end),
    tuningThresholds: spec.tuningThresholds ?? [],
  };
  const accounts = drawAccounts(spec.population, data, calendar);
  if (accounts.length === 0) {
    return { ok: false, issues: [issue('BAD_VALUE', 'no vintage of the population has trading days in the window', { field: 'population.vintages' })] };
  }
  return { ok: true, value: { spec, ctx, accounts, calibration: calibrated.rows, totalReturn } };
}

/** Simulates accounts [from, to) of the population (a worker's slice, or all of it). */
export function simulateSlice(prepared: PreparedBacktest, from: number, to: number, onAccount?: (run: AccountRun) => void): AccountRun[] {
  const out: AccountRun[] = [];
  for (let i = from; i < Math.min(to, prepared.accounts.length); i++) {
    const run = simulateAccount(prepared.ctx, prepared.accounts[i] as AccountSpec);
    out.push(run);
    onAccount?.(run);
  }
  return out;
}

export function summarize(prepared: PreparedBacktest, runs: readonly AccountRun[]): BacktestResults {
  const { ctx, spec } = prepared;
  const metrics = computeMetrics({
    data: ctx.data,
    calendar: ctx.calendar,
    strategies: spec.strategies,
    accounts: runs,
    profiles: spec.profiles,
    discountRate: spec.discountRate,
    split: spec.split,
    benchmark: spec.benchmark,
    focusRisk: spec.focusRisk,
    end: ctx.end,
    ...(spec.focusStrategy !== undefined ? { focusStrategy: spec.focusStrategy } : {}),
  });
  let accountDays = 0;
  for (const a of runs) {
    for (const r of a.runs) accountDays += r.days + 1;
    for (const x of a.tuning) accountDays += x.days;
  }
  return {
    from: ctx.data.days[0] as Day,
    to: ctx.data.days[ctx.end] as Day,
    tradingDays: ctx.end + 1,
    split: spec.split,
    accounts: runs.length,
    accountDays,
    strategies: spec.strategies,
    calibration: prepared.calibration,
    totalReturn: prepared.totalReturn,
    metrics,
  };
}

/** The calibration and out-of-sample periods as calendar windows (either may be empty). */
export function periodWindows(data: MarketData, split: Day, end: number): [number, number][] {
  const first = Math.min(firstIndexOnOrAfter(data, split), end + 1);
  return [
    [0, first - 1],
    [first, end],
  ];
}

/** The default split: tune before 2019, report 2019 onward separately. */
export const DEFAULT_SPLIT: Day = dayFromCivil(2019, 1, 1);
