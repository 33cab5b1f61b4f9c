/**
 * One simulated account through history, once per strategy: every trading day from its start to
 * the end of the run, in this order —
 *
 *   1. deposits (the initial one on the first day, then the monthly one on each month's first
 *      trading day) and dividends going ex that day arrive as cash;
 *   2. on the first trading day of each quarter the advisory fee accrued over the last quarter
 *      is due (accrued daily on the closing value at `feeRate` / 252);
 *   3. the policy runs — `screen`, then `decide` — with the strategy's trigger on its harvest
 *      days and the trigger off on the others, served only the market up to today (`serve`);
 *      the fast day loop (strategyRun.ts) carries the state across days and asks the policy only
 *      when the screen says it may act, with the results of the reference loop (referenceRun.ts);
 *      its orders execute at today's close with the spread charged (brokerage.ts), then the fee
 *      is paid from cash;
 *   4. on the year's last trading day (and the run's last day) the year's realized gains are
 *      settled with the tax model at the profile's marginal rates: the tax attributable to the
 *      account and the carryover it leaves. With `taxFlows: 'reinvest'` the saving is deposited
 *      (a tax owed is withdrawn), as in the seed paper's Scenario 2.
 *
 * Nothing here reads a price after the day it simulates; the tests prove it by changing the future.
 */
import type { LedgerEvent } from '../ledger/events.js';
import type { HarvestConfig } from '../harvest/config.js';
import type { StoppingTables } from '../harvest/stopping/opportunityCost.js';
import type { TaxSituation } from '../harvest/state.js';
import type { Carryover } from '../tax/capitalLoss.js';
import type { Universe } from '../securities/universe.js';
import type { AccountSpec } from './accounts.js';
import type { CalendarFields, MarketData } from './marketData.js';
import { hindsightBound, TrancheBook, type HindsightBound } from './hindsight.js';
import { prepare } from './prepared.js';
import { referenceRun } from './referenceRun.js';
import { strategyRun } from './strategyRun.js';
import { dailyThreshold, type Strategy } from './strategies.js';
import type { Verification } from './verify.js';

export interface ProfileSituation {
  readonly id: string;
  readonly label: string;
  /** Table, profile (income, filing status, state; `realized` = the household's other gains) and rates. */
  readonly tax: TaxSituation;
}

export interface SimulationContext {
  readonly data: MarketData;
  readonly calendar: CalendarFields;
  readonly universe: Universe;
  readonly strategies: readonly Strategy[];
  /** The policy's settings; each strategy replaces the trigger. */
  readonly config: HarvestConfig;
  readonly tables: StoppingTables;
  readonly profiles: readonly ProfileSituation[];
  /** Annual advisory fee as a fraction of value (0.0025). */
  readonly feeRate: number;
  readonly taxFlows: 'external' | 'reinvest';
  /** Last calendar index simulated. */
  readonly end: number;
  /** Re-book every account's history with the ledger and wash-sale engine at the end. */
  readonly verify: boolean;
  /** Keep every account's ledger events in its runs (tests). */
  readonly keepEvents?: boolean;
  /**
   * 'fast' (the default): the day loop of strategyRun.ts; 'reference': the loop that rebuilds the
   * state every day (referenceRun.ts), the same results, for the equality test and the benchmark.
   */
  readonly path?: 'fast' | 'reference';
  /** Sums phase times through the caller's clock (benchmarks). */
  readonly phases?: PhaseTimes;
  /** For the value of the hindsight bound. */
  readonly discountRate: number;
  /** Calendar windows [from, to] over which the hindsight bound is also measured. */
  readonly windows: readonly (readonly [number, number])[];
  /** Daily loss thresholds tried on every account for the yardstick from below (metrics.ts). */
  readonly tuningThresholds: readonly number[];
}

export interface YearResult {
  readonly year: number;
  /** Calendar indices of the account's first and last day in the year. */
  readonly first: number;
  readonly last: number;
  /** Value after the year's first deposits, before its first trades: the yield's denominator. */
  readonly beginningBalance: number;
  /** Mean closing value over the account's days in the year (the daily-balance denominator). */
  readonly averageBalance: number;
  readonly endValue: number;
  readonly harvestedShort: number;
  readonly harvestedLong: number;
  readonly realizedShort: number;
  readonly realizedLong: number;
  readonly lossesShort: number;
  readonly lossesLong: number;
  readonly deposits: number;
  readonly dividends: number;
  readonly fees: number;
  /** Tax attributable to the year's realized items (negative: saved), cents. */
  readonly tax: number;
  readonly carryoverOut: Carryover;
}

/** A day's harvest: calendar index and losses by term, cents. */
export interface HarvestEvent {
  readonly t: number;
  readonly short: number;
  readonly long: number;
}

export interface StrategyRun {
  readonly strategy: string;
  readonly years: readonly YearResult[];
  readonly harvests: readonly HarvestEvent[];
  readonly finalValue: number;
  /** Unrealized gains at the end by term, cents. */
  readonly unrealizedShort: number;
  readonly unrealizedLong: number;
  /** Extra tax if everything were sold on the last day (the final year's items included). */
  readonly liquidationTax: number;
  /** Sum of daily log returns, net of fees (time-weighted), over `days` returns. */
  readonly logReturn: number;
  readonly days: number;
  readonly trades: number;
  readonly decisions: number;
  readonly verification?: Verification;
  readonly events?: readonly LedgerEvent[];
}

/** One daily fixed-threshold rule run on an account for the hindsight-tuned yardstick. */
export interface TuningRun {
  readonly fraction: number;
  readonly harvests: readonly HarvestEvent[];
  /** Account-days simulated for it: 0 when it is one of the strategies (in `runs`). */
  readonly days: number;
}

export interface AccountRun {
  readonly spec: AccountSpec;
  readonly runs: readonly StrategyRun[];
  /** Every tuning threshold's harvests on this account. */
  readonly tuning: readonly TuningRun[];
  /** The hindsight bound (hindsight.ts), from the first strategy's (the baseline's) holdings. */
  readonly hindsight: HindsightBound;
}

/**
 * Phase times of a run, summed through `clock` (milliseconds, from the caller: the core reads no
 * clock of its own): deciding, filling orders (and fees), re-booking with the ledger; `total` is
 * the whole of every strategy run, so the screen and the day's bookkeeping are what is left.
 * `judge` is the part of the screen that judges the day's losses as the harvest rule does
 * (`screenHarvests`, on days a lot is near the trigger and nothing else calls for `decide`).
 */
export interface PhaseTimes {
  readonly clock: () => number;
  total: number;
  judge: number;
  decide: number;
  fills: number;
  verify: number;
}

export function simulateAccount(ctx: SimulationContext, spec: AccountSpec): AccountRun {
  const tranches = new TrancheBook();
  const run = ctx.path === 'reference' ? referenceRun : strategyRun;
  const clock = ctx.phases?.clock;
  const t0 = clock?.() ?? 0;
  const runs = ctx.strategies.map((s, k) => run(ctx, spec, k, k === 0 ? tranches : undefined));
  const all = prepare(ctx).strategies;
  const tuning = ctx.tuningThresholds.map((fraction): TuningRun => {
    const k = dailyThreshold(ctx.strategies, fraction);
    if (k >= 0) return { fraction, harvests: (runs[k] as StrategyRun).harvests, days: 0 };
    const extra = run(ctx, spec, dailyThreshold(all, fraction), undefined);
    return { fraction, harvests: extra.harvests, days: extra.days + 1 };
  });
  if (clock !== undefined && ctx.phases !== undefined) ctx.phases.total += clock() - t0;
  return { spec, runs, tuning, hindsight: hindsightBound(tranches.all(ctx.end), ctx.data, prepare(ctx).hindsight, ctx.windows) };
}
