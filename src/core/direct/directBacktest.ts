/**
 * The direct-index backtest beside the ETF strategy, on the same simulated clients (start days,
 * deposits, tax profiles) and the same calendar:
 *
 *  - `direct_none` / `direct_cost_benefit`: the account holds the index's stocks (directRun.ts),
 *    never harvested (the baseline) or harvested daily by the cost-benefit rule;
 *  - `none` / `daily_cost_benefit`: the existing ETF day loop (simulation.ts) on a one-class
 *    universe, 100 % in one asset class of the universe file (US stocks: VTI, then SCHB, ITOT as
 *    alternates), no-harvest baseline and daily cost-benefit harvesting.
 *
 * With `targets` (a mixed allocation: `direct_index` beside ETF classes, e.g. 70 % direct index and
 * 30 % bond funds) every account of the direct family holds that mix in one account
 * (harvest/sleevePart.ts), and the ETF comparator holds the same mix with `etfClass` in the direct
 * index's place: the stock part held directly or as a fund, the rest the same funds.
 *
 * Each harvested strategy is measured against its own baseline with the ETF backtest's metrics
 * (metrics.ts: Harvesting Yield by vintage, economic value and after-tax alpha, liquidated and
 * kept), and every run by the same event replay (runMeasures.ts: realized tracking error against
 * the benchmark's total return, turnover, lots). The ledger re-books every history (wash sales).
 */
import { formatDay, type Day } from '../kernel/calendar.js';
import { issue, type Result } from '../kernel/errors.js';
import type { HarvestConfig } from '../harvest/config.js';
import { SLEEVE_TARGET } from '../harvest/sleevePart.js';
import type { Targets } from '../harvest/state.js';
import type { StoppingTables } from '../harvest/stopping/opportunityCost.js';
import type { Symbol } from '../ledger/household.js';
import type { PriceBook } from '../market/prices.js';
import type { AssetClass, Universe } from '../securities/universe.js';
import { rateToNumber } from '../tax/rate.js';
import { drawAccounts, type AccountSpec, type Population } from '../backtest/accounts.js';
import { periodWindows } from '../backtest/backtest.js';
import { calibrateVolatility } from '../backtest/calibration.js';
import { calendarFields, lastIndexOnOrBefore, marketData, type CalendarFields, type MarketData } from '../backtest/marketData.js';
import { computeMetrics, type BacktestMetrics } from '../backtest/metrics.js';
import { simulateAccount, type AccountRun, type ProfileSituation, type SimulationContext, type StrategyRun } from '../backtest/simulation.js';
import { DEFAULT_STRATEGIES, type Strategy } from '../backtest/strategies.js';
import { DirectModels, ModelError, type ModelSettings } from './directModels.js';
import { DIRECT_STRATEGIES, directRun, type DirectRun, type DirectRunContext } from './directRun.js';
import type { DirectConfig, HarvestReport } from './directSleeve.js';
import type { IndexUniverse } from './indexUniverse.js';
import type { QpSolver } from './qp.js';
import { marksOf, runMeasures, type RunMeasures } from './runMeasures.js';

export interface DirectBacktestSpec {
  readonly index: IndexUniverse;
  /** The index's stocks, the benchmark and the ETF comparator's funds. */
  readonly book: PriceBook;
  readonly benchmark: Symbol;
  /** The universe file; the comparator holds its class `etfClass` only. */
  readonly universe: Universe;
  readonly etfClass: string;
  /** The accounts' allocation, `direct_index` among ETF classes, summing to 1 (absent: all direct index). */
  readonly targets?: Targets;
  readonly population: Population;
  readonly profiles: readonly ProfileSituation[];
  readonly config: HarvestConfig;
  readonly feeRate: number;
  readonly taxFlows: 'external' | 'reinvest';
  readonly discountRate: number;
  readonly from?: Day;
  readonly to?: Day;
  readonly direct: DirectConfig;
  readonly model: ModelSettings;
  readonly verify: boolean;
}

export interface PreparedDirectBacktest {
  readonly spec: DirectBacktestSpec;
  readonly direct: DirectRunContext;
  readonly etf: SimulationContext;
  readonly accounts: readonly AccountSpec[];
  /** Stocks of the index with a price file. */
  readonly stocks: number;
}

/** The first ETF strategies' ids: the baseline and the harvester's default rule. */
const ETF_STRATEGIES: readonly Strategy[] = ['none', 'daily_cost_benefit'].map((id) => DEFAULT_STRATEGIES.find((s) => s.id === id) as Strategy);
/** Every account's risk score: the comparator's universe maps every score to its one class. */
const RISK_SCORE = 10;

/**
 * The comparator's universe: `classId` in the direct index's place in `targets` (100 % without
 * them), at every risk score; undefined when the universe lacks a class named.
 */
export function comparatorUniverse(universe: Universe, classId: string, targets?: Targets): Universe | undefined {
  const weights = new Map<string, number>();
  for (const [id, w] of targets ?? new Map([[SLEEVE_TARGET, 1]])) {
    const as = id === SLEEVE_TARGET ? classId : id;
    weights.set(as, (weights.get(as) ?? 0) + w);
  }
  const classes = [...weights.keys()].map((id) => universe.classes.find((c) => c.id === id));
  if (classes.some((c) => c === undefined)) return undefined;
  return { ...universe, classes: classes as AssetClass[], riskScores: [0.5, RISK_SCORE].map((riskScore) => ({ riskScore, weights })) };
}

/** The data's columns followed by `extra`'s (one calendar). */
function withColumns(data: MarketData, extra: MarketData): MarketData {
  const symbols = [...data.symbols, ...extra.symbols];
  return {
    days: data.days,
    symbols,
    symbolIndex: new Map(symbols.map((s, i) => [s, i])),
    close: [...data.close, ...extra.close],
    dividend: [...data.dividend, ...extra.dividend],
    adjClose: [...data.adjClose, ...extra.adjClose],
  };
}

export function prepareDirectBacktest(spec: DirectBacktestSpec, solver: QpSolver, tables: StoppingTables): Result<PreparedDirectBacktest> {
  const fail = (message: string, field: string): Result<PreparedDirectBacktest> => ({ ok: false, issues: [issue('BAD_VALUE', message, { field })] });
  const etfUniverse = comparatorUniverse(spec.universe, spec.etfClass, spec.targets);
  if (etfUniverse === undefined) return fail(`no asset class "${spec.etfClass}" or of the targets in the universe (${spec.universe.classes.map((c) => c.id).join(', ')})`, spec.targets === undefined ? 'etf.assetClass' : 'targets');
  if (!spec.book.series.has(spec.benchmark)) return fail(`no prices for the benchmark ${spec.benchmark}`, 'benchmark');
  const stocks = [...spec.index.intervals.keys()].filter((s) => spec.book.series.has(s)).sort();
  if (stocks.length === 0) return fail('none of the index members has a price file', 'index');
  const window = { ...(spec.from !== undefined ? { from: spec.from } : {}), ...(spec.to !== undefined ? { to: spec.to } : {}) };
  const funds = etfUniverse.classes.flatMap((c) => c.securities.map((s) => s.symbol));
  const etfData = marketData(spec.book, [...funds, spec.benchmark], { ...window, totalReturnTrading: true });
  const stockData = marketData(spec.book, [...stocks, spec.benchmark], window);
  if (stockData.days.length < 2) return fail('the prices have fewer than two trading days in the window', 'window.from');
  if (!sameDays(stockData, etfData)) return fail(`the stocks' trading days and the ETF funds' (${funds.join(', ')}, ${spec.benchmark}) differ in the window: the two strategies need one calendar`, 'window');
  // A mixed account's funds: the ETF part's classes, traded as the ETF backtest trades them.
  const beside = spec.targets === undefined ? [] : spec.universe.classes.filter((c) => c.id !== SLEEVE_TARGET && spec.targets?.has(c.id) === true);
  const besideFunds = beside.flatMap((c) => c.securities.map((x) => x.symbol));
  const fundData = beside.length === 0 ? undefined : marketData(spec.book, besideFunds, { ...window, totalReturnTrading: true });
  if (fundData !== undefined && !sameDays(stockData, fundData)) return fail(`the stocks' trading days and the funds' beside the direct index (${besideFunds.join(', ')}) differ in the window: one account needs one calendar`, 'targets');
  const data = fundData === undefined ? stockData : withColumns(stockData, fundData);
  const calendar = calendarFields(data);
  const end = spec.to === undefined ? data.days.length - 1 : lastIndexOnOrBefore(data, spec.to);
  const accounts = drawAccounts({ ...spec.population, riskScores: [RISK_SCORE] }, data, calendar);
  if (accounts.length === 0) return fail('no vintage of the population has trading days in the window', 'accounts.vintages');
  const models = new DirectModels(spec.book, data, calendar, spec.index, spec.benchmark, spec.model, solver);
  const first = Math.min(...accounts.map((a) => a.start));
  try {
    models.at(first);
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    const bounds = e.message.startsWith('infeasible') || e.message.includes('bounds');
    return fail(`the first account opens ${day(data, first)}: ${e.message}`, bounds ? 'direct' : 'accounts.vintages');
  }
  // The comparator's volatilities are re-measured before any account opens (no peeking).
  const calibrated = calibrateVolatility(etfUniverse, spec.book, data.days[first] as Day);
  const mixedUniverse = { ...calibrated.universe, classes: calibrated.universe.classes.filter((c) => beside.some((b) => b.id === c.id)) };
  const direct: DirectRunContext = {
    ...(spec.targets !== undefined && beside.length > 0 ? { etf: { universe: mixedUniverse, targets: spec.targets } } : {}),
    data,
    calendar,
    marks: marksOf(data),
    models,
    direct: spec.direct,
    config: spec.config,
    tables,
    profiles: spec.profiles,
    feeRate: spec.feeRate,
    taxFlows: spec.taxFlows,
    end,
    verify: spec.verify,
    keepEvents: true,
  };
  const etf: SimulationContext = {
    data: etfData,
    calendar: calendarFields(etfData),
    universe: calibrated.universe,
    strategies: ETF_STRATEGIES,
    config: spec.config,
    tables,
    profiles: spec.profiles,
    feeRate: spec.feeRate,
    taxFlows: spec.taxFlows,
    end,
    verify: spec.verify,
    keepEvents: true,
    discountRate: spec.discountRate,
    windows: periodWindows(etfData, data.days[first] as Day, end),
    tuningThresholds: [],
  };
  return { ok: true, value: { spec, direct, etf, accounts, stocks: stocks.length } };
}

const day = (data: MarketData, t: number): string => formatDay(data.days[t] as Day);

function sameDays(a: MarketData, b: MarketData): boolean {
  if (a.days.length !== b.days.length) return false;
  for (let i = 0; i < a.days.length; i++) if (a.days[i] !== b.days[i]) return false;
  return true;
}

/** One client under the four strategies, each history measured and its events dropped. */
export interface DirectAccountResult {
  readonly spec: AccountSpec;
  /** direct_none, direct_cost_benefit. */
  readonly direct: readonly DirectRun[];
  /** The ETF loop's account run: none, daily_cost_benefit. */
  readonly etf: AccountRun;
  /** direct_none, direct_cost_benefit, none, daily_cost_benefit. */
  readonly measures: readonly RunMeasures[];
}

export function runDirectAccount(p: PreparedDirectBacktest, spec: AccountSpec): DirectAccountResult {
  const benchmark = p.spec.benchmark;
  const direct = DIRECT_STRATEGIES.map((s) => directRun(p.direct, spec, s));
  const etf = simulateAccount(p.etf, spec);
  const etfMarks = marksOf(p.etf.data);
  const measures = [
    ...direct.map((r) => runMeasures(r.events ?? [], p.direct.data, p.direct.marks, benchmark, spec.start, p.direct.end)),
    ...etf.runs.map((r) => runMeasures(r.events ?? [], p.etf.data, etfMarks, benchmark, spec.start, p.etf.end)),
  ];
  return { spec, direct: direct.map(withoutEvents), etf: { ...etf, runs: etf.runs.map(withoutEvents) }, measures };
}

function withoutEvents<R extends StrategyRun>(r: R): R {
  const { events: _events, ...rest } = r;
  return rest as R;
}

export interface StrategySummary {
  readonly id: string;
  readonly label: string;
  readonly family: 'direct' | 'etf';
  /** The strategy its value is measured against (undefined for a baseline). */
  readonly baseline?: string;
  readonly accounts: number;
  /** Harvesting Yield: the mean over vintages (metrics.ts, Table 5). */
  readonly harvestingYield: number;
  readonly harvestedPerYear: number;
  readonly economicValue: number;
  readonly economicValueKept: number;
  readonly afterTaxAlpha: number;
  readonly afterTaxAlphaKept: number;
  /**
   * Tax saved against the baseline a year (the yearly settlements' differences, undiscounted,
   * liquidation excluded) over the average balance: the tax part of the alpha alone, without the
   * two portfolios' different pre-tax returns.
   */
  readonly taxSavedPerYear: number;
  /**
   * The harvested losses at full use a year over the average balance: short-term losses x the
   * short-term rate + long-term x the long-term rate (the seed paper's benefit, and the published
   * tax alphas' assumption that every loss offsets a gain taxed at those rates).
   */
  readonly lossValuePerYear: number;
  /** Means over accounts of the event replay's measures. */
  readonly trackingError: number;
  readonly activeReturn: number;
  readonly turnover: number;
  readonly lots: number;
  readonly trades: number;
  readonly verified: number;
  readonly washSales: number;
  readonly disallowed: number;
  readonly mismatches: readonly string[];
}

export interface VintageSummary {
  readonly vintage: number;
  readonly accounts: number;
  /** By strategy id. */
  readonly yields: Readonly<Record<string, number>>;
  readonly afterTaxAlpha: Readonly<Record<string, number>>;
  readonly economicValue: Readonly<Record<string, number>>;
}

/** What the direct harvests did to ex-ante tracking error. */
export interface HarvestRisk {
  readonly harvestDays: number;
  readonly stocksSold: number;
  /** Harvests that left tracking error above max(budget, the tracking error before): 0 expected. */
  readonly beyondBudget: number;
  readonly budget: number;
  readonly meanBefore: number;
  readonly meanAfter: number;
  readonly maxAfter: number;
}

export interface DirectBacktestResults {
  readonly from: Day;
  readonly to: Day;
  readonly accounts: number;
  /** Account-days simulated, over the four strategies. */
  readonly accountDays: number;
  /** Account-days of the direct loop, and those on which it ran `decide`. */
  readonly directDays: number;
  readonly directDecideDays: number;
  readonly stocks: number;
  readonly benchmark: Symbol;
  readonly etfFunds: readonly Symbol[];
  /** A mixed allocation's weights (`direct_index` among ETF classes), and the comparator's class for the index. */
  readonly allocation?: { readonly targets: Readonly<Record<string, number>>; readonly etfClass: string };
  readonly strategies: readonly StrategySummary[];
  readonly vintages: readonly VintageSummary[];
  readonly harvestRisk: HarvestRisk;
  /** Risk-model periods estimated, and the mean ex-ante tracking error of their ideal portfolios. */
  readonly models: { readonly periods: number; readonly idealTrackingError: number; readonly names: number };
  readonly delisted: number;
  readonly reports: readonly HarvestReport[];
  readonly metrics: { readonly direct: BacktestMetrics; readonly etf: BacktestMetrics };
}

export function summarizeDirect(p: PreparedDirectBacktest, results: readonly DirectAccountResult[]): DirectBacktestResults {
  const directStrategies: Strategy[] = DIRECT_STRATEGIES.map((s) => ({ id: s.id, label: s.label, trigger: s.harvest ? { kind: 'cost_benefit' } : { kind: 'off' }, schedule: s.harvest ? 'daily' : 'never' }));
  const empty = { harvests: [], windowLosses: [], discountedLoss: 0, purchases: 0 };
  const common = { profiles: p.spec.profiles, discountRate: p.spec.discountRate, split: p.etf.data.days[p.etf.end] as Day, benchmark: p.spec.benchmark, focusRisk: RISK_SCORE, end: p.direct.end };
  const directMetrics = computeMetrics({
    ...common,
    data: p.direct.data,
    calendar: p.direct.calendar,
    strategies: directStrategies,
    accounts: results.map((r) => ({ spec: r.spec, runs: r.direct, tuning: [], hindsight: empty })),
  });
  const etfMetrics = computeMetrics({ ...common, data: p.etf.data, calendar: p.etf.calendar as CalendarFields, strategies: ETF_STRATEGIES, accounts: results.map((r) => r.etf) });
  const families: { family: 'direct' | 'etf'; strategies: readonly Strategy[]; metrics: BacktestMetrics; offset: number }[] = [
    { family: 'direct', strategies: directStrategies, metrics: directMetrics, offset: 0 },
    { family: 'etf', strategies: ETF_STRATEGIES, metrics: etfMetrics, offset: 2 },
  ];
  const meanOf = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  const strategies: StrategySummary[] = families.flatMap(({ family, strategies: list, metrics, offset }) =>
    list.map((s, k): StrategySummary => {
      const value = metrics.value[k];
      const wash = metrics.washSales[k];
      const m = results.map((r) => r.measures[offset + k] as RunMeasures);
      const runsOf = (r: DirectAccountResult): readonly StrategyRun[] => (family === 'direct' ? r.direct : r.etf.runs);
      return {
        id: s.id,
        label: s.label,
        family,
        ...(k > 0 ? { baseline: (list[0] as Strategy).id } : {}),
        accounts: results.length,
        harvestingYield: metrics.averages[0]?.yields[s.id] ?? 0,
        harvestedPerYear: value?.harvestedPerYear ?? 0,
        economicValue: value?.economicValue ?? 0,
        economicValueKept: value?.economicValueNoLiquidation ?? 0,
        afterTaxAlpha: value?.afterTaxAlpha ?? 0,
        afterTaxAlphaKept: value?.afterTaxAlphaNoLiquidation ?? 0,
        taxSavedPerYear: k === 0 ? 0 : meanOf(results.map((r) => taxSaved(runsOf(r)[0] as StrategyRun, runsOf(r)[k] as StrategyRun))),
        lossValuePerYear: meanOf(results.map((r) => lossValue(p.spec.profiles[r.spec.profile] as ProfileSituation, runsOf(r)[k] as StrategyRun))),
        trackingError: meanOf(m.map((x) => x.trackingError)),
        activeReturn: meanOf(m.map((x) => x.activeReturn)),
        turnover: meanOf(m.map((x) => x.turnover)),
        lots: meanOf(m.map((x) => x.lots)),
        trades: value?.trades ?? 0,
        verified: wash?.verified ?? 0,
        washSales: wash?.washSales ?? 0,
        disallowed: wash?.disallowed ?? 0,
        mismatches: wash?.mismatches ?? [],
      };
    }),
  );
  const vintages = [...new Set(results.map((r) => r.spec.vintage))].sort((a, b) => a - b).map((vintage): VintageSummary => {
    const yields: Record<string, number> = {};
    const afterTaxAlpha: Record<string, number> = {};
    const economicValue: Record<string, number> = {};
    for (const { metrics } of families) {
      const cohort = metrics.cohorts.find((c) => c.vintage === vintage);
      for (const [id, y] of Object.entries(cohort?.yields ?? {})) if (id !== 'hindsight') yields[id] = y;
      for (const v of metrics.vintageValue.filter((x) => x.vintage === vintage)) {
        afterTaxAlpha[v.strategy] = v.afterTaxAlpha;
        economicValue[v.strategy] = v.economicValue;
      }
    }
    return { vintage, accounts: results.filter((r) => r.spec.vintage === vintage).length, yields, afterTaxAlpha, economicValue };
  });
  const reports = results.flatMap((r) => r.direct[1]?.reports ?? []);
  const budget = p.spec.direct.trackingErrorBudget;
  const periods = [...new Set(results.flatMap((r) => periodStarts(p, r.spec.start)))].map((t) => p.direct.models.at(t));
  let accountDays = 0;
  let directDays = 0;
  let directDecideDays = 0;
  for (const r of results) {
    for (const d of r.direct) {
      directDays += d.days + 1;
      directDecideDays += d.decideDays;
    }
    for (const e of r.etf.runs) accountDays += e.days + 1;
  }
  return {
    from: p.direct.data.days[0] as Day,
    to: p.direct.data.days[p.direct.end] as Day,
    accounts: results.length,
    accountDays: accountDays + directDays,
    directDays,
    directDecideDays,
    stocks: p.stocks,
    benchmark: p.spec.benchmark,
    etfFunds: p.etf.universe.classes.flatMap((c) => c.securities.map((s) => s.symbol)),
    ...(p.spec.targets !== undefined ? { allocation: { targets: Object.fromEntries(p.spec.targets), etfClass: p.spec.etfClass } } : {}),
    strategies,
    vintages,
    harvestRisk: {
      harvestDays: reports.length,
      stocksSold: reports.reduce((n, r) => n + r.sold.length, 0),
      beyondBudget: reports.filter((r) => r.trackingError.after > Math.max(r.budget, r.trackingError.before) + 1e-6).length,
      budget,
      meanBefore: meanOf(reports.map((r) => r.trackingError.before)),
      meanAfter: meanOf(reports.map((r) => r.trackingError.after)),
      maxAfter: reports.reduce((m, r) => Math.max(m, r.trackingError.after), 0),
    },
    models: { periods: periods.length, idealTrackingError: meanOf(periods.map((x) => x.trackingError)), names: meanOf(periods.map((x) => x.ideal.size)) },
    delisted: results.reduce((n, r) => n + (r.direct[0]?.delisted ?? 0) + (r.direct[1]?.delisted ?? 0), 0),
    reports,
    metrics: { direct: directMetrics, etf: etfMetrics },
  };
}

/** Tax saved a year over the average balance (see StrategySummary.taxSavedPerYear). */
function taxSaved(base: StrategyRun, run: StrategyRun): number {
  let saved = 0;
  let balance = 0;
  let days = 0;
  run.years.forEach((y, i) => {
    saved += ((base.years[i]?.tax ?? 0) - y.tax) / 100;
    const n = y.last - y.first + 1;
    balance += y.averageBalance * n;
    days += n;
  });
  return balance > 0 ? (saved / (balance / days)) * (252 / days) : 0;
}

/** Harvested losses at full use a year over the average balance (see StrategySummary.lossValuePerYear). */
function lossValue(profile: ProfileSituation, run: StrategyRun): number {
  const st = rateToNumber(profile.tax.rates.shortTerm);
  const lt = rateToNumber(profile.tax.rates.longTerm);
  let value = 0;
  let balance = 0;
  let days = 0;
  for (const y of run.years) {
    value += (y.harvestedShort * st + y.harvestedLong * lt) / 100;
    const n = y.last - y.first + 1;
    balance += y.averageBalance * n;
    days += n;
  }
  return balance > 0 ? (value / (balance / days)) * (252 / days) : 0;
}

/** The first days of the model periods an account opened at `start` lived through. */
function periodStarts(p: PreparedDirectBacktest, start: number): number[] {
  const out: number[] = [];
  let last = -1;
  for (let t = start; t <= p.direct.end; t++) {
    const s = p.direct.models.periodStart(t);
    if (s !== last) out.push(Math.max(s, start));
    last = s;
  }
  return out;
}

