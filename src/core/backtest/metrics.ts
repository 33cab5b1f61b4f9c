/**
 * What a backtest measured, as the seed paper reports it ("Actual Results") and more:
 *
 *  - Harvesting Yield by vintage x risk score (Table 5): each day, a cohort's harvested losses
 *    (short- plus long-term) over the sum of its accounts' beginning-of-year balances; the mean of
 *    those daily yields since the cohort's first day x 252. Risk scores are rounded half up
 *    (4.5-5.4 is "5"), as the paper rounds them. With the US-stock primary's annualized volatility
 *    and maximum drawdown from the vintage's first trading day to the end (the table's last rows).
 *  - Trailing 1/3/5/10-year yields by vintage for one risk score (Table 6): the same daily yields
 *    over the last N x 252 trading days, for vintages at least that old.
 *  - The average share of each calendar year's harvested losses by month (Figure 1), over the
 *    complete calendar years of the run.
 *  - Benefit / fee per account with at least a year of history (the paper's "Value Of Tax-Loss
 *    Harvesting Relative To Our Fee"): short-term losses x the short-term rate + long-term losses x
 *    the long-term rate, over the advisory fees paid; the median and the share above 1.
 *  - Economic value against the no-harvest baseline, from the tax model: each year's tax (with the
 *    $3,000 limit and carryforward) and the final value, discounted to the account's start at the
 *    discount rate, with the portfolio liquidated at the end (its gains taxed) or not (step-up at
 *    death, donation); also as after-tax terminal wealth, tax savings compounded at the discount
 *    rate, annualized against the baseline's ("after-tax alpha").
 *  - Tracking difference: annualized time-weighted return (net of fees, before taxes) less the
 *    baseline's, the baseline holding the primaries.
 *  - Capture: harvested losses, and their value, as a share of the hindsight bound (hindsight.ts).
 *    The value of a harvest, used for every strategy and the bound alike: loss x its term's rate
 *    discounted from the harvest day, less loss x the long-term rate discounted from the end (the
 *    deferred liability) — the paper's economic-value formula applied harvest by harvest.
 *  - The same yields and capture before and after the calibration split (2019-01-01 by default):
 *    parameters are set on the earlier data only, so the later period is out of sample.
 *  - Wash sales the strategies caused, from the ledger's re-booking of every history (verify.ts).
 */
import { dayFromCivil, type Day } from '../kernel/calendar.js';
import type { Symbol } from '../ledger/household.js';
import { drawdownOver, volatilityOver } from '../market/prices.js';
import { TRADING_DAYS_PER_YEAR } from '../tax/harvestingYield.js';
import { rateToNumber } from '../tax/rate.js';
import type { AccountRun, HarvestEvent, ProfileSituation, StrategyRun } from './simulation.js';
import { firstIndexOnOrAfter, type CalendarFields, type MarketData } from './marketData.js';
import type { Strategy } from './strategies.js';

const TRADING_DAYS = TRADING_DAYS_PER_YEAR;
export const HINDSIGHT = 'hindsight';
export const TUNED = 'tuned_threshold';

export interface MetricsInput {
  readonly data: MarketData;
  readonly calendar: CalendarFields;
  readonly strategies: readonly Strategy[];
  readonly accounts: readonly AccountRun[];
  readonly profiles: readonly ProfileSituation[];
  readonly discountRate: number;
  /** First day of the out-of-sample period. */
  readonly split: Day;
  /** The US-stock primary, for the market rows of Table 5. */
  readonly benchmark: Symbol;
  /** The risk score of Table 6. */
  readonly focusRisk: number;
  readonly end: number;
  /** The strategy the per-vintage wins are counted for (default: the last). */
  readonly focusStrategy?: string;
}

/** Yields are fractions (0.012 = 1.2 %); money is dollars. */
export interface CohortRow {
  readonly vintage: number;
  readonly risk: number;
  readonly accounts: number;
  readonly yields: Readonly<Record<string, number>>;
}

export interface VintageMarket {
  readonly vintage: number;
  readonly from: Day;
  readonly volatility: number;
  readonly maxDrawdown: number;
}

export interface TrailingRow {
  readonly vintage: number;
  readonly strategy: string;
  /** Years -> annualized yield, for the trailing windows the vintage is old enough for. */
  readonly yields: Readonly<Record<string, number>>;
}

export interface MonthShares {
  readonly strategy: string;
  /** January..December, averaging to 1/12 when losses fall evenly. */
  readonly shares: readonly number[];
  readonly years: number;
}

export interface FeeRatio {
  readonly strategy: string;
  readonly accounts: number;
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  readonly shareAboveOne: number;
}

export interface ValueRow {
  readonly strategy: string;
  readonly accounts: number;
  /** Harvested losses per year over the average balance (simple account average). */
  readonly harvestedPerYear: number;
  /** Mean present value of the tax and wealth differences, as a share of deposits. */
  readonly economicValue: number;
  readonly economicValueNoLiquidation: number;
  /** Mean annualized after-tax wealth difference (0.001 = 10 bp a year). */
  readonly afterTaxAlpha: number;
  readonly afterTaxAlphaNoLiquidation: number;
  /** Mean and standard deviation of the annualized return difference. */
  readonly trackingDifference: number;
  readonly trackingDifferenceSd: number;
  readonly trades: number;
}

export interface CaptureRow {
  /** A strategy id, `hindsight` (the bound) or `tuned_threshold` (the yardstick from below). */
  readonly strategy: string;
  readonly harvested: number;
  readonly value: number;
  readonly lossShare: number;
  readonly valueShare: number;
  /** Accounts on which it harvested more than the bound (0 expected: the bound is valid). */
  readonly accountsAboveBound: number;
}

/**
 * The two yardsticks: the bound from above, and from below the best daily fixed-threshold rule
 * chosen with hindsight for each account (the one whose harvests are worth most); the best
 * achievable harvester lies between them.
 */
export interface Yardsticks {
  readonly thresholds: readonly number[];
  /** Accounts per threshold chosen, in `thresholds` order. */
  readonly chosen: readonly number[];
  /** The median threshold chosen. */
  readonly medianThreshold: number;
  /** (bound − tuned) over the bound: losses and value. */
  readonly lossGap: number;
  readonly valueGap: number;
}

/** Economic value and after-tax alpha of one strategy on one vintage's accounts (means). */
export interface VintageValueRow
  extends Pick<ValueRow, 'strategy' | 'accounts' | 'harvestedPerYear' | 'economicValue' | 'economicValueNoLiquidation' | 'afterTaxAlpha' | 'afterTaxAlphaNoLiquidation'> {
  readonly vintage: number;
}

/** How often the focus strategy beats another, vintage by vintage (economic value, liquidated). */
export interface VintageWins {
  readonly strategy: string;
  readonly vintages: number;
  readonly wins: number;
  /** Vintages it loses, with the two economic values. */
  readonly losses: readonly { readonly vintage: number; readonly focus: number; readonly other: number }[];
}

export interface PeriodRow {
  readonly period: 'calibration' | 'out_of_sample';
  readonly from: Day;
  readonly to: Day;
  readonly strategy: string;
  readonly annualizedYield: number;
  readonly harvested: number;
  readonly lossShare: number;
}

export interface WashRow {
  readonly strategy: string;
  readonly runs: number;
  readonly verified: number;
  readonly disallowed: number;
  readonly washSales: number;
  readonly mismatches: readonly string[];
}

export interface BacktestMetrics {
  readonly cohorts: readonly CohortRow[];
  /** Cross-vintage mean per risk score and strategy (Table 5's AVG column). */
  readonly averages: readonly CohortRow[];
  readonly market: readonly VintageMarket[];
  readonly trailing: readonly TrailingRow[];
  readonly months: readonly MonthShares[];
  readonly feeRatios: readonly FeeRatio[];
  readonly value: readonly ValueRow[];
  readonly capture: readonly CaptureRow[];
  readonly yardsticks: Yardsticks;
  readonly vintageValue: readonly VintageValueRow[];
  readonly vintageWins: readonly VintageWins[];
  readonly periods: readonly PeriodRow[];
  readonly washSales: readonly WashRow[];
}

/** The paper's rounding of risk scores: 4.5-5.4 is 5. */
export const riskRow = (risk: number): number => Math.floor(risk + 0.5);

/** Losses per day and the sum of beginning balances per day, for a set of accounts. */
class DailySeries {
  readonly losses: Float64Array;
  private readonly balanceSteps: Float64Array;

  constructor(n: number) {
    this.losses = new Float64Array(n);
    this.balanceSteps = new Float64Array(n + 1);
  }

  addRun(run: StrategyRun, harvests: readonly HarvestEvent[]): void {
    for (const y of run.years) {
      this.balanceSteps[y.first] = (this.balanceSteps[y.first] as number) + y.beginningBalance;
      this.balanceSteps[y.last + 1] = (this.balanceSteps[y.last + 1] as number) - y.beginningBalance;
    }
    for (const h of harvests) this.losses[h.t] = (this.losses[h.t] as number) + (h.short + h.long) / 100;
  }

  /** Mean daily yield x 252 over [from, to] (days without balance are not counted). */
  annualized(from: number, to: number): number {
    let balance = 0;
    for (let t = 0; t < from; t++) balance += this.balanceSteps[t] as number;
    let sum = 0;
    let days = 0;
    for (let t = from; t <= to; t++) {
      balance += this.balanceSteps[t] as number;
      if (balance > 1e-6) {
        sum += (this.losses[t] as number) / balance;
        days += 1;
      }
    }
    return days === 0 ? 0 : (sum / days) * TRADING_DAYS;
  }

  /** Sum of the daily balances over [from, to]. */
  balanceDays(from: number, to: number): number {
    let balance = 0;
    let sum = 0;
    for (let t = 0; t <= to; t++) {
      balance += this.balanceSteps[t] as number;
      if (t >= from) sum += balance;
    }
    return sum;
  }

  /** First day with a balance. */
  firstDay(): number {
    let balance = 0;
    for (let t = 0; t < this.losses.length; t++) {
      balance += this.balanceSteps[t] as number;
      if (balance > 1e-6) return t;
    }
    return this.losses.length;
  }
}

const ids = (input: MetricsInput): string[] => [...input.strategies.map((s) => s.id), HINDSIGHT];

/** The harvests of strategy `k` (the hindsight bound after the strategies) of an account. */
function harvestsOf(a: AccountRun, k: number): readonly HarvestEvent[] {
  return k < a.runs.length ? (a.runs[k] as StrategyRun).harvests : a.hindsight.harvests;
}

/** The run whose balances a series uses: the strategy's own, the baseline's for the bound. */
function runOf(a: AccountRun, k: number): StrategyRun {
  return (k < a.runs.length ? a.runs[k] : a.runs[0]) as StrategyRun;
}

export function computeMetrics(input: MetricsInput): BacktestMetrics {
  const values = valueRows(input);
  return {
    ...cohortTables(input),
    market: vintageMarket(input),
    months: monthShares(input),
    feeRatios: feeRatios(input),
    value: values.map((v) => v.row),
    ...vintageTables(input, values),
    ...capture(input),
    periods: periods(input),
    washSales: washRows(input),
  };
}

function cohortTables(input: MetricsInput): { cohorts: CohortRow[]; averages: CohortRow[]; trailing: TrailingRow[] } {
  const n = input.data.days.length;
  const names = ids(input);
  const groups = new Map<string, AccountRun[]>();
  for (const a of input.accounts) {
    const key = `${a.spec.vintage}|${riskRow(a.spec.riskScore)}`;
    const list = groups.get(key) ?? [];
    list.push(a);
    groups.set(key, list);
  }
  const cohorts: CohortRow[] = [];
  const trailing: TrailingRow[] = [];
  const keys = [...groups.keys()].sort((x, y) => {
    const [va, ra] = x.split('|').map(Number) as [number, number];
    const [vb, rb] = y.split('|').map(Number) as [number, number];
    return ra - rb || va - vb;
  });
  for (const key of keys) {
    const members = groups.get(key) as AccountRun[];
    const [vintage, risk] = key.split('|').map(Number) as [number, number];
    const yields: Record<string, number> = {};
    names.forEach((name, k) => {
      const series = new DailySeries(n);
      for (const a of members) series.addRun(runOf(a, k), harvestsOf(a, k));
      const first = series.firstDay();
      yields[name] = series.annualized(first, input.end);
      if (risk === riskRow(input.focusRisk)) {
        const windows: Record<string, number> = {};
        for (const years of [1, 3, 5, 10]) {
          const from = input.end - years * TRADING_DAYS + 1;
          if (from >= first) windows[String(years)] = series.annualized(from, input.end);
        }
        trailing.push({ vintage, strategy: name, yields: windows });
      }
    });
    cohorts.push({ vintage, risk, accounts: members.length, yields });
  }
  const averages: CohortRow[] = [];
  for (const risk of [...new Set(cohorts.map((c) => c.risk))].sort((a, b) => a - b)) {
    const rows = cohorts.filter((c) => c.risk === risk);
    const yields: Record<string, number> = {};
    for (const name of names) yields[name] = mean(rows.map((r) => r.yields[name] ?? 0));
    averages.push({ vintage: 0, risk, accounts: rows.reduce((s, r) => s + r.accounts, 0), yields });
  }
  return { cohorts, averages, trailing };
}

function vintageMarket(input: MetricsInput): VintageMarket[] {
  const i = input.data.symbolIndex.get(input.benchmark);
  if (i === undefined) return [];
  const adj = input.data.adjClose[i] as Float64Array;
  const vintages = [...new Set(input.accounts.map((a) => a.spec.vintage))].sort((a, b) => a - b);
  return vintages.flatMap((vintage) => {
    const from = firstIndexOnOrAfter(input.data, dayFromCivil(vintage, 1, 1));
    const volatility = volatilityOver(adj, from, input.end);
    if (volatility === undefined) return [];
    return [{ vintage, from: input.data.days[from] as Day, volatility: volatility.value, maxDrawdown: drawdownOver(adj, from, input.end).depth }];
  });
}

function monthShares(input: MetricsInput): MonthShares[] {
  const cal = input.calendar;
  const firstYear = cal.year[0] as number;
  const lastYear = cal.year[input.end] as number;
  // Complete calendar years only: the run covers their first and last weeks.
  const complete = (y: number): boolean => y > firstYear || (cal.month[0] === 1 && (cal.day[0] as number) <= 7);
  const ends = (y: number): boolean => y < lastYear || (cal.month[input.end] === 12 && (cal.day[input.end] as number) >= 24);
  return ids(input).map((name, k) => {
    const byYear = new Map<number, Float64Array>();
    for (const a of input.accounts) {
      for (const h of harvestsOf(a, k)) {
        const y = cal.year[h.t] as number;
        const m = byYear.get(y) ?? new Float64Array(12);
        m[(cal.month[h.t] as number) - 1] = (m[(cal.month[h.t] as number) - 1] as number) + h.short + h.long;
        byYear.set(y, m);
      }
    }
    const shares = new Array<number>(12).fill(0);
    let years = 0;
    for (const [y, m] of byYear) {
      const total = m.reduce((s, v) => s + v, 0);
      if (!complete(y) || !ends(y) || total <= 0) continue;
      years += 1;
      m.forEach((v, i) => (shares[i] = (shares[i] as number) + v / total));
    }
    return { strategy: name, shares: shares.map((s) => (years === 0 ? 0 : s / years)), years };
  });
}

const ratesOf = (input: Pick<MetricsInput, 'profiles'>, a: AccountRun): { st: number; lt: number } => {
  const r = (input.profiles[a.spec.profile] as ProfileSituation).tax.rates;
  return { st: rateToNumber(r.shortTerm), lt: rateToNumber(r.longTerm) };
};

function feeRatios(input: MetricsInput): FeeRatio[] {
  return input.strategies.map((s, k) => {
    const ratios: number[] = [];
    for (const a of input.accounts) {
      const run = a.runs[k] as StrategyRun;
      if (run.days < TRADING_DAYS) continue;
      let fees = 0;
      let short = 0;
      let long = 0;
      for (const y of run.years) {
        fees += y.fees;
        short += y.harvestedShort;
        long += y.harvestedLong;
      }
      if (fees <= 0) continue;
      const { st, lt } = ratesOf(input, a);
      ratios.push((short * st + long * lt) / fees);
    }
    ratios.sort((x, y) => x - y);
    return {
      strategy: s.id,
      accounts: ratios.length,
      median: quantile(ratios, 0.5),
      p10: quantile(ratios, 0.1),
      p90: quantile(ratios, 0.9),
      shareAboveOne: ratios.length === 0 ? 0 : ratios.filter((r) => r > 1).length / ratios.length,
    };
  });
}

const yearsBetween = (a: Day, b: Day): number => (b - a) / 365.25;

/** Per account measured: vintage and its economic value, alpha and harvested a year. */
interface AccountValue {
  readonly vintage: number;
  readonly ev: number;
  readonly evNo: number;
  readonly alpha: number;
  readonly alphaNo: number;
  readonly harvested: number;
}

function valueRows(input: MetricsInput): { row: ValueRow; accounts: AccountValue[] }[] {
  const r = input.discountRate;
  const days = input.data.days;
  const endDay = days[input.end] as Day;
  return input.strategies.map((s, k) => {
    const accounts: AccountValue[] = [];
    const td: number[] = [];
    let trades = 0;
    for (const a of input.accounts) {
      const run = a.runs[k] as StrategyRun;
      const base = a.runs[0] as StrategyRun;
      const start = days[a.spec.start] as Day;
      const years = yearsBetween(start, endDay);
      if (years <= 0) continue;
      const discount = (day: number): number => Math.pow(1 + r, -yearsBetween(start, days[day] as Day));
      const grow = (day: number): number => Math.pow(1 + r, yearsBetween(days[day] as Day, endDay));
      let savedPv = 0;
      let savedFvRun = 0;
      let savedFvBase = 0;
      run.years.forEach((y, i) => {
        const b = base.years[i];
        const baseTax = b === undefined ? 0 : b.tax;
        savedPv += ((baseTax - y.tax) / 100) * discount(y.last);
        savedFvRun += (-y.tax / 100) * grow(y.last);
      });
      for (const y of base.years) savedFvBase += (-y.tax / 100) * grow(y.last);
      const dT = discount(input.end);
      const deposits = run.years.reduce((sum, y) => sum + y.deposits, 0) / 100;
      const liquidated = (x: StrategyRun): number => x.finalValue - x.liquidationTax / 100;
      const annual = (x: number, y: number): number => Math.pow(x / y, 1 / years) - 1;
      const twr = (x: StrategyRun): number => (x.days === 0 ? 0 : Math.exp((x.logReturn * TRADING_DAYS) / x.days) - 1);
      td.push(twr(run) - twr(base));
      const balances = run.years.reduce((sum, y) => sum + y.beginningBalance, 0) / Math.max(1, run.years.length);
      const losses = run.years.reduce((sum, y) => sum + y.harvestedShort + y.harvestedLong, 0) / 100;
      accounts.push({
        vintage: a.spec.vintage,
        ev: (savedPv + (liquidated(run) - liquidated(base)) * dT) / deposits,
        evNo: (savedPv + (run.finalValue - base.finalValue) * dT) / deposits,
        alpha: annual(liquidated(run) + savedFvRun, liquidated(base) + savedFvBase),
        alphaNo: annual(run.finalValue + savedFvRun, base.finalValue + savedFvBase),
        harvested: balances > 0 ? losses / balances / years : 0,
      });
      trades += run.trades;
    }
    return {
      accounts,
      row: {
        strategy: s.id,
        accounts: accounts.length,
        harvestedPerYear: mean(accounts.map((x) => x.harvested)),
        economicValue: mean(accounts.map((x) => x.ev)),
        economicValueNoLiquidation: mean(accounts.map((x) => x.evNo)),
        afterTaxAlpha: mean(accounts.map((x) => x.alpha)),
        afterTaxAlphaNoLiquidation: mean(accounts.map((x) => x.alphaNo)),
        trackingDifference: mean(td),
        trackingDifferenceSd: sd(td),
        trades,
      },
    };
  });
}

/** Economic value and alpha by vintage x strategy, and the focus strategy's wins by vintage. */
function vintageTables(input: MetricsInput, all: ReturnType<typeof valueRows>): { vintageValue: VintageValueRow[]; vintageWins: VintageWins[] } {
  const vintages = [...new Set(input.accounts.map((a) => a.spec.vintage))].sort((a, b) => a - b);
  const vintageValue: VintageValueRow[] = [];
  for (const vintage of vintages) {
    all.forEach(({ row, accounts }) => {
      const xs = accounts.filter((x) => x.vintage === vintage);
      if (xs.length === 0) return;
      vintageValue.push({
        vintage,
        strategy: row.strategy,
        accounts: xs.length,
        harvestedPerYear: mean(xs.map((x) => x.harvested)),
        economicValue: mean(xs.map((x) => x.ev)),
        economicValueNoLiquidation: mean(xs.map((x) => x.evNo)),
        afterTaxAlpha: mean(xs.map((x) => x.alpha)),
        afterTaxAlphaNoLiquidation: mean(xs.map((x) => x.alphaNo)),
      });
    });
  }
  const focus = input.focusStrategy ?? input.strategies[input.strategies.length - 1]?.id;
  const ev = (vintage: number, strategy: string): number | undefined => vintageValue.find((v) => v.vintage === vintage && v.strategy === strategy)?.economicValue;
  const vintageWins = input.strategies
    .filter((s, k) => k > 0 && s.id !== focus)
    .map((s) => {
      let count = 0;
      let wins = 0;
      const losses: VintageWins['losses'][number][] = [];
      for (const vintage of vintages) {
        const f = ev(vintage, focus ?? '');
        const o = ev(vintage, s.id);
        if (f === undefined || o === undefined) continue;
        count += 1;
        if (f > o) wins += 1;
        else losses.push({ vintage, focus: f, other: o });
      }
      return { strategy: s.id, vintages: count, wins, losses };
    });
  return { vintageValue, vintageWins };
}

/** The value of harvests (see the module comment), dollars. */
function harvestValue(input: MetricsInput, a: AccountRun, harvests: readonly HarvestEvent[], from = 0, to = Infinity): number {
  const days = input.data.days;
  const start = days[a.spec.start] as Day;
  const { st, lt } = ratesOf(input, a);
  const r = input.discountRate;
  const dEnd = Math.pow(1 + r, -yearsBetween(start, days[input.end] as Day));
  let v = 0;
  for (const h of harvests) {
    if (h.t < from || h.t > to) continue;
    const d = Math.pow(1 + r, -yearsBetween(start, days[h.t] as Day));
    v += ((h.short * st + h.long * lt) * d - (h.short + h.long) * lt * dEnd) / 100;
  }
  return v;
}

const totalLoss = (harvests: readonly HarvestEvent[], from = 0, to = Infinity): number =>
  harvests.reduce((s, h) => (h.t >= from && h.t <= to ? s + h.short + h.long : s), 0) / 100;

function capture(input: MetricsInput): { capture: CaptureRow[]; yardsticks: Yardsticks } {
  const k0 = input.strategies.length;
  let boundLoss = 0;
  let boundValue = 0;
  for (const a of input.accounts) {
    boundLoss += totalLoss(a.hindsight.harvests);
    boundValue += hindsightValue(input, a);
  }
  const rows = ids(input).map((name, k) => {
    let loss = 0;
    let value = 0;
    let above = 0;
    for (const a of input.accounts) {
      const h = harvestsOf(a, k);
      loss += totalLoss(h);
      value += k === k0 ? hindsightValue(input, a) : harvestValue(input, a, h);
      if (totalLoss(h) > totalLoss(a.hindsight.harvests) + 0.005) above += 1;
    }
    return { strategy: name, harvested: loss, value, lossShare: k === k0 ? 1 : ratio(loss, boundLoss), valueShare: k === k0 ? 1 : ratio(value, boundValue), accountsAboveBound: above };
  });
  const thresholds = input.accounts[0]?.tuning.map((x) => x.fraction) ?? [];
  const chosen = thresholds.map(() => 0);
  const picks: number[] = [];
  let loss = 0;
  let value = 0;
  let above = 0;
  for (const a of input.accounts) {
    let best = -1;
    let bestValue = -Infinity;
    a.tuning.forEach((x, i) => {
      const v = harvestValue(input, a, x.harvests);
      if (v > bestValue) {
        best = i;
        bestValue = v;
      }
    });
    const pick = a.tuning[best];
    if (pick === undefined) continue;
    chosen[best] = (chosen[best] as number) + 1;
    picks.push(pick.fraction);
    loss += totalLoss(pick.harvests);
    value += bestValue;
    if (totalLoss(pick.harvests) > totalLoss(a.hindsight.harvests) + 0.005) above += 1;
  }
  if (thresholds.length > 0) rows.push({ strategy: TUNED, harvested: loss, value, lossShare: ratio(loss, boundLoss), valueShare: ratio(value, boundValue), accountsAboveBound: above });
  picks.sort((x, y) => x - y);
  return {
    capture: rows,
    yardsticks: { thresholds, chosen, medianThreshold: quantile(picks, 0.5), lossGap: thresholds.length === 0 ? 0 : ratio(boundLoss - loss, boundLoss), valueGap: thresholds.length === 0 ? 0 : ratio(boundValue - value, boundValue) },
  };
}

/** The bound on the value of harvests (hindsight.ts): every new low at the short-term rate the day it is set. */
function hindsightValue(input: MetricsInput, a: AccountRun): number {
  const days = input.data.days;
  const r = input.discountRate;
  const start = days[a.spec.start] as Day;
  const { st, lt } = ratesOf(input, a);
  // discountedLoss is discounted to the run's first day; move it to the account's start.
  const toStart = Math.pow(1 + r, yearsBetween(days[0] as Day, start));
  const dEnd = Math.pow(1 + r, -yearsBetween(start, days[input.end] as Day));
  return ((a.hindsight.discountedLoss * toStart * st - totalLoss(a.hindsight.harvests) * 100 * lt * dEnd) / 100);
}

function periods(input: MetricsInput): PeriodRow[] {
  const n = input.data.days.length;
  const split = firstIndexOnOrAfter(input.data, input.split);
  const spans: [PeriodRow['period'], number, number][] = [
    ['calibration', 0, Math.min(split - 1, input.end)],
    ['out_of_sample', split, input.end],
  ];
  const names = ids(input);
  const k0 = input.strategies.length;
  const rows: PeriodRow[] = [];
  const series = names.map((_, k) => {
    const s = new DailySeries(n);
    for (const a of input.accounts) s.addRun(runOf(a, k), harvestsOf(a, k));
    return s;
  });
  for (const [period, from, to] of spans) {
    if (to < from) continue;
    const w = period === 'calibration' ? 0 : 1;
    const bound = input.accounts.reduce((sum, a) => sum + (a.hindsight.windowLosses[w] ?? 0), 0) / 100;
    names.forEach((name, k) => {
      const harvested = k === k0 ? bound : input.accounts.reduce((sum, a) => sum + totalLoss(harvestsOf(a, k), from, to), 0);
      rows.push({
        period,
        from: input.data.days[from] as Day,
        to: input.data.days[to] as Day,
        strategy: name,
        // The bound has no dates inside a window: its loss over the window's balance-days.
        annualizedYield: k === k0 ? ratio(bound * TRADING_DAYS, (series[k] as DailySeries).balanceDays(from, to)) : (series[k] as DailySeries).annualized(from, to),
        harvested,
        lossShare: k === k0 ? 1 : ratio(harvested, bound),
      });
    });
  }
  return rows;
}

function washRows(input: MetricsInput): WashRow[] {
  return input.strategies.map((s, k) => {
    let verified = 0;
    let disallowed = 0;
    let washSales = 0;
    const mismatches: string[] = [];
    for (const a of input.accounts) {
      const v = (a.runs[k] as StrategyRun).verification;
      if (v === undefined) continue;
      verified += 1;
      disallowed += v.disallowed;
      washSales += v.washSales;
      for (const m of v.mismatches) if (mismatches.length < 10) mismatches.push(`${a.spec.id}: ${m}`);
    }
    return { strategy: s.id, runs: input.accounts.length, verified, disallowed: disallowed / 100, washSales, mismatches };
  });
}

function mean(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

function sd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (xs.length - 1));
}

/** Linear-interpolated quantile of a sorted array. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const i = Math.floor(pos);
  const f = pos - i;
  return (sorted[i] as number) * (1 - f) + (sorted[Math.min(i + 1, sorted.length - 1)] as number) * f;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/** One account under one strategy: the row of accounts.csv. Money in dollars. */
export interface AccountRow {
  readonly account: string;
  readonly vintage: number;
  readonly riskScore: number;
  readonly profile: string;
  readonly start: Day;
  readonly strategy: string;
  readonly deposits: number;
  readonly finalValue: number;
  readonly harvestedShortTerm: number;
  readonly harvestedLongTerm: number;
  readonly fees: number;
  /** The paper's estimate of the tax benefit: short-term losses x the short-term rate + long-term x long-term. */
  readonly taxBenefit: number;
  /** Tax saved against the baseline over the account's years (undiscounted; negative: more tax). */
  readonly taxSaved: number;
  readonly liquidationTax: number;
  readonly trades: number;
  readonly decisions: number;
  readonly washSales: number;
}

export function accountRows(input: Pick<MetricsInput, 'data' | 'strategies' | 'accounts' | 'profiles'>): AccountRow[] {
  const rows: AccountRow[] = [];
  for (const a of input.accounts) {
    const { st, lt } = ratesOf(input, a);
    const base = a.runs[0] as StrategyRun;
    const baseTax = base.years.reduce((s, y) => s + y.tax, 0);
    a.runs.forEach((r) => {
      const sum = (f: (y: StrategyRun['years'][number]) => number): number => r.years.reduce((s, y) => s + f(y), 0) / 100;
      rows.push({
        account: a.spec.id,
        vintage: a.spec.vintage,
        riskScore: a.spec.riskScore,
        profile: (input.profiles[a.spec.profile] as ProfileSituation).id,
        start: input.data.days[a.spec.start] as Day,
        strategy: r.strategy,
        deposits: sum((y) => y.deposits),
        finalValue: Math.round(r.finalValue * 100) / 100,
        harvestedShortTerm: sum((y) => y.harvestedShort),
        harvestedLongTerm: sum((y) => y.harvestedLong),
        fees: sum((y) => y.fees),
        taxBenefit: sum((y) => y.harvestedShort * st + y.harvestedLong * lt),
        taxSaved: (baseTax - r.years.reduce((s, y) => s + y.tax, 0)) / 100,
        liquidationTax: r.liquidationTax / 100,
        trades: r.trades,
        decisions: r.decisions,
        washSales: r.verification?.washSales ?? 0,
      });
    });
  }
  return rows;
}
