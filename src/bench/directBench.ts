/**
 * The direct index's daily decision: `decide` with a `DirectSleeve` for one taxable account holding
 * every priced index member (up to ~500 stocks) in ~20 lots each, on real prices (the index
 * directory's stocks, the benchmark from the ETF prices). The lots are bought at real closes on 20
 * days spread over the ~20 months before the first decision day, sized from the optimized weights
 * with seeded noise, so on a given day some are at a loss and some are washed by recent purchases.
 *
 * - One account lives through `days` trading days: each day's orders are booked (untimed) and the
 *   next day decides on the result, so a harvest sells its lots and the guard blocks them after.
 * - N accounts (each with its own seeded lots) decide once each, account k on the (k mod days)-th
 *   day, from its initial lots.
 * Only `decide` is timed (booking the ledger and building the state are not). Days are split by
 * whether the sleeve harvested (which includes its buy-only re-optimization on HiGHS); the
 * construction solve over every priced member is timed on its own.
 */
import { parseDay, type Day } from '../core/kernel/calendar.js';
import { price, shares, usd, type Usd } from '../core/kernel/exact.js';
import { prng } from '../core/kernel/random.js';
import { book } from '../core/ledger/booking.js';
import type { LedgerEvent } from '../core/ledger/events.js';
import { accountId, eventId, symbol, type Symbol } from '../core/ledger/household.js';
import { closeOnOrBefore, indexOnOrBefore, type PriceBook, type PriceSeries } from '../core/market/prices.js';
import { ordersToEvents } from '../core/harvest/orders.js';
import { decide } from '../core/harvest/policy.js';
import { householdState } from '../core/harvest/state.js';
import { StoppingTables } from '../core/harvest/stopping/opportunityCost.js';
import type { MarketView } from '../core/harvest/config.js';
import { rate } from '../core/tax/rate.js';
import type { FederalTaxTable } from '../core/tax/taxTables.js';
import type { Universe } from '../core/securities/universe.js';
import { buildPortfolio } from '../core/direct/construction.js';
import { DEFAULT_DIRECT, DirectSleeve } from '../core/direct/directSleeve.js';
import { membersOn, sectorOf, trustedFrom, type IndexUniverse } from '../core/direct/indexUniverse.js';
import type { QpSolver } from '../core/direct/qp.js';
import { returnWindow } from '../core/direct/returnWindow.js';
import { estimateRiskModel, type RiskModel } from '../core/direct/riskModel.js';
import { withShareClasses } from '../core/direct/shareClasses.js';
import { describeIssue } from '../core/kernel/errors.js';
import { loadIndexPrices, loadIndexUniverse } from '../adapters/files/indexDirectory.js';
import { loadPriceBook } from '../adapters/files/priceDirectory.js';

export interface DirectBenchSpec {
  readonly index: IndexUniverse;
  /** The index's stocks and the benchmark. */
  readonly prices: PriceBook;
  readonly benchmark: Symbol;
  readonly universe: Universe;
  readonly federal: FederalTaxTable;
  /** The sleeve's solver (its re-optimizations) and construction's (one solve over every name: a longer time limit). */
  readonly solver: QpSolver;
  readonly constructionSolver: QpSolver;
  readonly accounts: number;
  /** Trading days decided after `start` (the single account's life; the accounts' days rotate). */
  readonly days: number;
  /** The day the lots end and the risk model is estimated; decisions start the next trading day. */
  readonly start: Day;
  /** At least this many lots per stock, more when the index has few priced names, to reach `lotsPerAccount`. */
  readonly lotsPerStock: number;
  readonly lotsPerAccount: number;
  readonly maxStocks: number;
  readonly accountValue: number;
}

export const DIRECT_BENCH_START = parseDay('2020-08-31') as Day;

export interface DayTimes {
  readonly count: number;
  readonly meanMs: number;
  readonly medianMs: number;
  readonly maxMs: number;
}

export interface DirectBenchResult {
  readonly stocks: number;
  readonly lotsPerAccount: number;
  readonly accounts: number;
  readonly lots: number;
  readonly window: number;
  readonly firstDay: Day;
  readonly lastDay: Day;
  readonly solveMs: number;
  readonly trackingError: number;
  /** The one account through `days` days. */
  readonly single: { readonly all: DayTimes; readonly quiet: DayTimes; readonly harvest: DayTimes; readonly harvestedStocks: number };
  /** N accounts, one day each. */
  readonly many: { readonly all: DayTimes; readonly quiet: DayTimes; readonly harvest: DayTimes; readonly seconds: number };
  readonly setupSeconds: number;
}

const ACCOUNT = accountId('direct');

export function runDirectBench(spec: DirectBenchSpec): DirectBenchResult {
  const t0 = performance.now();
  const bench = spec.prices.series.get(spec.benchmark);
  if (bench === undefined) throw new Error(`no prices for the benchmark ${spec.benchmark}`);
  const startAt = indexOnOrBefore(bench.days, spec.start);
  const days = [...bench.days.slice(startAt + 1, startAt + 1 + spec.days)] as Day[];
  if (startAt < 20 || days.length === 0) throw new Error(`the benchmark's prices do not cover ${spec.days} trading days after the start day`);
  const start = bench.days[startAt] as Day;
  const { model, window } = riskModel(spec, start, startAt);
  const weights = startingWeights(spec, model);
  const household = withShareClasses(
    { settings: { filingStatus: 'married_filing_jointly', lotMethod: 'FIFO', substantiallyIdentical: { policy: 'same_symbol', groups: [], matchCusip: false } }, accounts: [{ id: ACCOUNT, type: 'taxable', owner: 'self' }], securities: [] },
    spec.index,
  );
  const purchaseDays = spreadDays(spec.prices, model.symbols, start, Math.max(spec.lotsPerStock, Math.round(spec.lotsPerAccount / model.symbols.length)));
  const tables = new StoppingTables();
  const context = (sleeve: DirectSleeve) => ({ universe: spec.universe, tables, sleeves: [sleeve], explain: false });
  const decideOn = (events: LedgerEvent[], date: Day, sleeve: DirectSleeve) => {
    const ledger = book(household, events);
    if (!ledger.ok) throw new Error(JSON.stringify(ledger.issues.slice(0, 3)));
    const state = householdState({ date, events, ledger: ledger.value, targets: new Map(), tax: taxOf(spec.federal) });
    const market = marketOn(spec.prices, date);
    const before = sleeve.reports.length;
    const t = performance.now();
    const p = decide(date, state, market, context(sleeve));
    const ms = performance.now() - t;
    const harvested = sleeve.reports.slice(before).reduce((n, r) => n + r.sold.length, 0);
    return { ms, harvested, orders: p.orders, lots: ledger.value.openLots.length };
  };
  const sleeveFor = () => new DirectSleeve({ account: ACCOUNT, universe: spec.index, model, solver: spec.solver, config: DEFAULT_DIRECT });

  // Warm-up (JIT, the stopping tables the day needs): one decision, untimed.
  decideOn(accountEvents(spec, model, weights, purchaseDays, 0), days[0] as Day, sleeveFor());

  const solveRuns = [0, 1, 2].map(() => {
    const t = performance.now();
    const built = buildPortfolio(model, DEFAULT_DIRECT.construction, (s) => sectorOf(spec.index, s), spec.constructionSolver);
    if (!built.ok) throw new Error(built.message);
    return { ms: performance.now() - t, te: built.trackingError };
  });
  const setupSeconds = (performance.now() - t0) / 1000;

  const events = accountEvents(spec, model, weights, purchaseDays, 1);
  const sleeve = sleeveFor();
  const single: Timed[] = [];
  let lotsPerAccount = 0;
  let harvestedStocks = 0;
  for (const [n, date] of days.entries()) {
    const d = decideOn(events, date, sleeve);
    if (n === 0) lotsPerAccount = d.lots;
    harvestedStocks += d.harvested;
    single.push({ ms: d.ms, harvest: d.harvested > 0 });
    events.push(...ordersToEvents(d.orders, date, `bench-${n}`));
  }

  const many: Timed[] = [];
  let lots = 0;
  const tMany = performance.now();
  for (let k = 0; k < spec.accounts; k++) {
    const d = decideOn(accountEvents(spec, model, weights, purchaseDays, 100 + k), days[k % days.length] as Day, sleeveFor());
    lots += d.lots;
    many.push({ ms: d.ms, harvest: d.harvested > 0 });
  }
  const seconds = (performance.now() - tMany) / 1000;
  return {
    stocks: model.symbols.length,
    lotsPerAccount,
    accounts: spec.accounts,
    lots,
    window,
    firstDay: days[0] as Day,
    lastDay: days[days.length - 1] as Day,
    solveMs: median(solveRuns.map((r) => r.ms)),
    trackingError: solveRuns[0]?.te ?? 0,
    single: { ...split(single), harvestedStocks },
    many: { ...split(many), seconds },
    setupSeconds,
  };
}

interface Timed {
  readonly ms: number;
  readonly harvest: boolean;
}

function split(t: readonly Timed[]): { all: DayTimes; quiet: DayTimes; harvest: DayTimes } {
  return { all: stats(t), quiet: stats(t.filter((x) => !x.harvest)), harvest: stats(t.filter((x) => x.harvest)) };
}

function stats(t: readonly Timed[]): DayTimes {
  if (t.length === 0) return { count: 0, meanMs: 0, medianMs: 0, maxMs: 0 };
  const ms = t.map((x) => x.ms);
  return { count: t.length, meanMs: ms.reduce((a, b) => a + b, 0) / t.length, medianMs: median(ms), maxMs: Math.max(...ms) };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** A year of returns (or as many as the data has before the start day), every priced member with a full window, at most `maxStocks` of them. */
function riskModel(spec: DirectBenchSpec, start: Day, startAt: number): { model: RiskModel; window: number } {
  const members = membersOn(spec.index, start).filter((s) => spec.prices.series.has(s));
  const firstStockDay = Math.min(...members.map((s) => (spec.prices.series.get(s) as PriceSeries).days[0] as number));
  const available = startAt - indexOnOrBefore((spec.prices.series.get(spec.benchmark) as PriceSeries).days, firstStockDay as Day) - 1;
  const window = Math.max(20, Math.min(252, available));
  const w = returnWindow(spec.prices, spec.benchmark, members.slice(0, spec.maxStocks), start, window, (s) => trustedFrom(spec.index, s, start));
  if (!w.ok) throw new Error(w.message);
  return { model: estimateRiskModel(w.window), window };
}

/** Every name held: the optimized weights blended half and half with equal weights. */
function startingWeights(spec: DirectBenchSpec, model: RiskModel): Float64Array {
  const built = buildPortfolio(model, DEFAULT_DIRECT.construction, (s) => sectorOf(spec.index, s), spec.constructionSolver);
  if (!built.ok) throw new Error(built.message);
  const n = model.symbols.length;
  return built.weights.map((w) => 0.5 * w + 0.5 / n);
}

/** `count` trading days spread evenly over the ~20 months (or the data's days) before `start`. */
function spreadDays(prices: PriceBook, symbols: readonly Symbol[], start: Day, count: number): Day[] {
  const series = prices.series.get(symbols[0] as Symbol) as PriceSeries;
  const end = indexOnOrBefore(series.days, start);
  const begin = Math.max(0, indexOnOrBefore(series.days, (start - 610) as Day));
  const out: Day[] = [];
  for (let k = 0; k < count; k++) out.push(series.days[begin + Math.floor(((end - begin) * k) / count)] as Day);
  return out;
}

/** One account: a deposit, then each stock bought in `purchaseDays.length` lots at that day's close. */
function accountEvents(spec: DirectBenchSpec, model: RiskModel, weights: Float64Array, purchaseDays: readonly Day[], seed: number): LedgerEvent[] {
  const rand = prng(seed);
  const buys: LedgerEvent[] = [];
  let spent = 0;
  let n = 0;
  for (const date of purchaseDays) {
    model.symbols.forEach((s, i) => {
      const series = spec.prices.series.get(s);
      const close = series === undefined ? undefined : closeOnOrBefore(series, date)?.value;
      if (close === undefined || !(close > 0)) return;
      const dollars = (spec.accountValue * (weights[i] as number) * (0.5 + rand())) / purchaseDays.length;
      const qty = Math.floor((dollars / close) * 1000) / 1000;
      if (qty <= 0) return;
      const px = Number(close.toFixed(4));
      spent += Math.ceil(qty * px * 100) / 100;
      buys.push({ id: eventId(`b${++n}`), date, account: ACCOUNT, kind: 'buy', symbol: s, shares: shares(qty.toFixed(3)), price: price(px.toFixed(4)), fees: 0 as Usd });
    });
  }
  const deposit: LedgerEvent = { id: eventId('deposit'), date: purchaseDays[0] as Day, account: ACCOUNT, kind: 'deposit', amount: usd((Math.ceil(spent) + 1000).toFixed(2)) };
  return [deposit, ...buys];
}

function taxOf(federal: FederalTaxTable) {
  return {
    table: federal,
    profile: { filingStatus: 'married_filing_jointly' as const, income: { kind: 'taxable' as const, ordinaryTaxableIncome: usd('400000') } },
    rates: { ordinary: rate('0.37'), shortTerm: rate('0.37'), longTerm: rate('0.238') },
  };
}

function marketOn(prices: PriceBook, date: Day): MarketView {
  return {
    date,
    close: (s) => {
      const series = prices.series.get(s);
      return series === undefined ? undefined : closeOnOrBefore(series, date)?.value;
    },
  };
}

/** The index directory's universe and stocks with the benchmark from the ETF price directory; bad files refused. */
export function loadDirectBenchData(indexDir: string, pricesDir: string, benchmark = 'SPY'): { index: IndexUniverse; prices: PriceBook; benchmark: Symbol } {
  const u = loadIndexUniverse(indexDir);
  const stocks = loadIndexPrices(indexDir);
  const etf = loadPriceBook(pricesDir, { symbols: [benchmark] });
  const problems = [...u.issues, ...stocks.issues, ...etf.issues];
  if (u.universe === undefined || problems.length > 0) throw new Error(problems.map(describeIssue).join('\n'));
  const b = symbol(benchmark);
  if (!etf.book.series.has(b)) throw new Error(`no prices for the benchmark ${benchmark} in ${pricesDir}`);
  return { index: u.universe, prices: { series: new Map<Symbol, PriceSeries>([...stocks.book.series, ...etf.book.series]), ambiguous: new Map() }, benchmark: b };
}
