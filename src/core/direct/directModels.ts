/**
 * The risk models and ideal portfolios a direct-index backtest shares across its accounts: one per
 * re-estimation period (a month by default), each estimated from the returns of the `window`
 * trading days ending the trading day before the period's first day — only the past — over the
 * members of the index on that day that have a close that day (point in time: membership on the
 * estimation day, a trusted full window of returns, indexUniverse.ts).
 *
 * With `construction.names` set, the period's ideal portfolio is the construction over every
 * candidate (`buildPortfolio`: the N largest weights re-solved), and an account's sleeve works over
 * those names plus the ones it already holds (`forAccount`): index additions enter through the
 * ideal names, deletions stay held (and harvestable) until the sleeve sells them.
 */
import { formatDay, type Day } from '../kernel/calendar.js';
import type { Symbol } from '../ledger/household.js';
import { indexOnOrBefore, type PriceBook } from '../market/prices.js';
import type { CalendarFields, MarketData } from '../backtest/marketData.js';
import { buildPortfolio, type ConstructionConfig } from './construction.js';
import { membersOn, sectorOf, trustedFrom, type IndexUniverse } from './indexUniverse.js';
import type { QpSolver } from './qp.js';
import { returnWindow } from './returnWindow.js';
import { DEFAULT_RISK_OPTIONS, estimateRiskModel, type RiskModel } from './riskModel.js';

export interface ModelSettings {
  /** Trading days of returns per estimate. */
  readonly window: number;
  readonly factors: number;
  /** Months between re-estimations (1: every month's first trading day). */
  readonly everyMonths: number;
  readonly construction: ConstructionConfig;
}

export interface PeriodModel {
  /** Calendar index of the period's first trading day; the model is used from it on. */
  readonly from: number;
  /** The last day whose returns the model saw (the trading day before `from`). */
  readonly estimatedOn: Day;
  readonly model: RiskModel;
  /** The construction's names (every candidate without a name limit). */
  readonly ideal: ReadonlySet<Symbol>;
  /** Ex-ante tracking error of the ideal portfolio. */
  readonly trackingError: number;
}

export class ModelError extends Error {}

export class DirectModels {
  private readonly periods = new Map<number, PeriodModel>();
  private readonly restricted = new Map<string, RiskModel>();

  constructor(
    readonly book: PriceBook,
    readonly data: MarketData,
    readonly calendar: CalendarFields,
    readonly index: IndexUniverse,
    readonly benchmark: Symbol,
    readonly settings: ModelSettings,
    readonly solver: QpSolver,
  ) {}

  /** First calendar index of the re-estimation period holding day t. */
  periodStart(t: number): number {
    const cal = this.calendar;
    const every = this.settings.everyMonths;
    const slot = (i: number): number => (cal.year[i] as number) * 12 + Math.floor(((cal.month[i] as number) - 1) / every);
    let i = t;
    while (i > 0 && slot(i - 1) === slot(t)) i--;
    return i;
  }

  /** The model in force on day t (estimated on first use; throws ModelError when it cannot be). */
  at(t: number): PeriodModel {
    const from = this.periodStart(t);
    const known = this.periods.get(from);
    if (known !== undefined) return known;
    const made = this.estimate(from);
    this.periods.set(from, made);
    return made;
  }

  private estimate(from: number): PeriodModel {
    const bench = this.book.series.get(this.benchmark);
    const before = bench === undefined ? -1 : indexOnOrBefore(bench.days, ((this.data.days[from] as number) - 1) as Day);
    if (bench === undefined || before < 0) throw new ModelError(`no prices of ${this.benchmark} before ${formatDay(this.data.days[from] as Day)}: the risk model needs ${this.settings.window} trading days of returns before an account opens`);
    const on = bench.days[before] as Day;
    // A member without a close on the estimation day has no full window: returnWindow leaves it out.
    const priced = membersOn(this.index, on);
    const w = returnWindow(this.book, this.benchmark, priced, on, this.settings.window, (s) => trustedFrom(this.index, s, on));
    if (!w.ok) throw new ModelError(`${w.message} (estimating on ${formatDay(on)})`);
    if (w.window.symbols.length < 2) throw new ModelError(`fewer than two index members have ${this.settings.window} days of returns before ${formatDay(on)}`);
    const model = estimateRiskModel(w.window, { ...DEFAULT_RISK_OPTIONS, factors: this.settings.factors });
    const c = this.settings.construction;
    const built = buildPortfolio(model, { ...c, excludeSymbols: (c.excludeSymbols ?? []).filter((s) => model.index.has(s)) }, (s) => sectorOf(this.index, s), this.solver);
    if (!built.ok) throw new ModelError(built.message);
    const ideal = new Set(model.symbols.filter((_, i) => (built.weights[i] as number) > 1e-6));
    return { from, estimatedOn: on, model, ideal, trackingError: built.trackingError };
  }

  /**
   * The period's model over an account's names: the ideal ones and those it holds (still
   * candidates). Shared between accounts holding the same names.
   */
  forAccount(p: PeriodModel, held: Iterable<Symbol>): RiskModel {
    if (p.ideal.size === p.model.symbols.length) return p.model;
    const keep = new Set(p.ideal);
    for (const s of held) if (p.model.index.has(s)) keep.add(s);
    const order = [...keep].map((s) => p.model.index.get(s) as number).sort((a, b) => a - b);
    const key = `${p.from}|${order.join(',')}`;
    const known = this.restricted.get(key);
    if (known !== undefined) return known;
    const made = restrict(p.model, order);
    this.restricted.set(key, made);
    return made;
  }
}

/** The model over some of its stocks (rows `keep`, ascending): the same factors and benchmark. */
export function restrict(model: RiskModel, keep: readonly number[]): RiskModel {
  const k = model.factors;
  const loadings = new Float64Array(keep.length * k);
  const specific = new Float64Array(keep.length);
  const symbols = keep.map((i, j) => {
    loadings.set(model.loadings.subarray(i * k, i * k + k), j * k);
    specific[j] = model.specific[i] as number;
    return model.symbols[i] as Symbol;
  });
  return { ...model, symbols, index: new Map(symbols.map((s, j) => [s, j])), loadings, specific };
}
