/**
 * The path of a transition over years: one account arrives on a day with a concentrated,
 * low-basis position and cash, and the direct backtest's day loop (directRun.ts) runs it with the
 * transition (transition.ts) under a yearly gain budget — once harvesting daily, once never, so the
 * pace the harvested losses buy is visible. Each year of each run is read back from what the loop
 * already computed: its year rows (realized gains, losses, harvests, the settled tax, the closing
 * value), its ledger events (the holdings at the year's last close, realized tracking error by
 * runMeasures) and the risk model in force that day (ex-ante tracking error).
 */
import { formatDay, type Day } from '../kernel/calendar.js';
import { issue, type Result } from '../kernel/errors.js';
import type { Shares, Usd } from '../kernel/exact.js';
import type { LedgerEvent } from '../ledger/events.js';
import type { Symbol } from '../ledger/household.js';
import { firstIndexOnOrAfter } from '../backtest/marketData.js';
import type { PreparedDirectBacktest } from './directBacktest.js';
import { ModelError } from './directModels.js';
import { DIRECT_STRATEGIES, directRun, type DirectAccountSpec, type DirectRun, type DirectRunContext } from './directRun.js';
import { membershipOn } from './indexUniverse.js';
import { trackingError } from './riskModel.js';
import type { TransitionReport, WithdrawalOverrun } from './transition.js';
import { runMeasures } from './runMeasures.js';

/** The account on arrival. */
export interface Arrival {
  readonly symbol: Symbol;
  /** The position's share of the account's value on arrival, (0, 1]. */
  readonly share: number;
  /** The position's basis over its value on arrival, [0, 1]. */
  readonly basisFraction: number;
  /** When the position was bought (its holding period); before the start day. */
  readonly acquired: Day;
  /** The account's value on arrival, cents: the position and cash. */
  readonly value: Usd;
  /** The arrival day (the first trading day on or after it). */
  readonly start: Day;
  /** Index into the run's tax profiles. */
  readonly profile: number;
}

export interface TransitionYear {
  readonly year: number;
  /** Last day of the account in the year. */
  readonly through: Day;
  /** The concentrated stock's shares held and its weight in the account at the year's last close. */
  readonly shares: number;
  readonly weight: number;
  /** Ex-ante tracking error of the holdings at the year's last close, under the risk model in force. */
  readonly exAnteTrackingError: number;
  /** Realized tracking error over the year against the benchmark's total return (annualized). */
  readonly realizedTrackingError: number;
  /** Cents: gains and losses realized (every sale), net of the two, the losses the harvests took. */
  readonly gains: number;
  readonly losses: number;
  readonly netRealized: number;
  readonly harvested: number;
  /** Gain of the transition's sales (transition.ts's reports of the year). */
  readonly transitionGain: number;
  /**
   * Net gain of the other sales — those raising the advisory fee's cash and of stocks whose prices
   * stopped — and of the spread (the transition counts its gains at the close; the fills are below it).
   */
  readonly otherRealized: number;
  /** Net realized gain beyond the budget (0 when within it). */
  readonly beyondBudget: number;
  /**
   * The part of it the fee's (withdrawals') sales realized on days the budget had no room left:
   * paid all the same. The rest of any excess comes from stocks sold when their prices stopped.
   */
  readonly withdrawalOverrun: number;
  /** The year's tax settlement (negative: saved). */
  readonly tax: number;
  /** Net realized gain over the budget. */
  readonly budgetUsed: number;
  readonly fees: number;
  readonly endValue: number;
}

export interface TransitionPath {
  readonly strategy: string;
  readonly harvest: boolean;
  readonly years: readonly TransitionYear[];
  /** The ledger's re-booking of the history (0 expected). */
  readonly washSales: number;
  readonly mismatches: readonly string[];
  /** The transition's sales, day by day. */
  readonly reports: readonly TransitionReport[];
  /** The days a withdrawal (the fee) realized gains beyond the budget, paid all the same. */
  readonly overruns: readonly WithdrawalOverrun[];
}

export interface TransitionOutcome {
  readonly spec: DirectAccountSpec;
  readonly from: Day;
  readonly to: Day;
  readonly symbol: Symbol;
  readonly shares: number;
  readonly budget: Usd;
  /** Harvested daily, never. */
  readonly paths: readonly TransitionPath[];
}

const fail = <T>(message: string, field: string): Result<T> => ({ ok: false, issues: [issue('BAD_VALUE', message, { field })] });

/** The account spec of an arrival: the position as one lot moved in, the rest as the initial deposit. */
export function arrivalSpec(ctx: DirectRunContext, a: Arrival): Result<DirectAccountSpec> {
  if (!(a.share > 0 && a.share <= 1)) return fail(`the position's share of the account must be in (0, 1], not ${a.share}`, 'position');
  if (!(a.basisFraction >= 0 && a.basisFraction <= 1)) return fail(`the basis fraction must be in [0, 1], not ${a.basisFraction}`, 'basisFraction');
  if (!(a.value > 0)) return fail('the account value must be positive', 'value');
  const { data } = ctx;
  const start = firstIndexOnOrAfter(data, a.start);
  if (start > ctx.end) return fail(`no trading day in the prices on or after ${formatDay(a.start)} through the window's end`, 'from');
  const day = data.days[start] as Day;
  if (!ctx.models.index.intervals.has(a.symbol)) return fail(`unknown ticker ${a.symbol}: never a member of the index`, 'position');
  if (membershipOn(ctx.models.index, a.symbol, day) === undefined) return fail(`${a.symbol} is not a member of the index on ${formatDay(day)}`, 'position');
  const column = data.symbolIndex.get(a.symbol);
  const price = column === undefined ? Number.NaN : ((data.close[column] as Float64Array)[start] as number);
  if (!(price > 0)) return fail(`no price of ${a.symbol} on ${formatDay(day)}`, 'position');
  if (a.acquired >= day) return fail(`the position must be acquired before the arrival day ${formatDay(day)}`, 'acquired');
  const whole = Math.floor((a.value / 100) * a.share / price);
  if (whole < 1) return fail(`${(a.share * 100).toFixed(2)} % of the account buys no whole share of ${a.symbol} at $${price.toFixed(2)}`, 'position');
  const positionCents = Math.round(whole * price * 100);
  try {
    ctx.models.at(start);
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    return fail(`the account arrives ${formatDay(day)}: ${e.message}`, 'from');
  }
  return {
    ok: true,
    value: {
      id: 'transition',
      start,
      vintage: ctx.calendar.year[start] as number,
      riskScore: 10,
      initialDeposit: Math.max(0, a.value - positionCents) as Usd,
      monthlyDeposit: 0 as Usd,
      yearlyDeposit: 0 as Usd,
      profile: a.profile,
      initialLots: [{ symbol: a.symbol, shares: (whole * 1e6) as Shares, basis: Math.round(positionCents * a.basisFraction) as Usd, acquired: a.acquired }],
    },
  };
}

/** The arrival run with the transition, harvested daily and never; each run's path by year. */
export function runTransition(p: PreparedDirectBacktest, a: Arrival, budget: Usd, targetTrackingError?: number): Result<TransitionOutcome> {
  const ctx: DirectRunContext = {
    ...p.direct,
    direct: { ...p.direct.direct, transition: { yearlyGainBudget: budget, ...(targetTrackingError !== undefined ? { targetTrackingError } : {}) } },
    keepEvents: true,
    verify: true,
  };
  const spec = arrivalSpec(ctx, a);
  if (!spec.ok) return spec;
  const order = [...DIRECT_STRATEGIES].sort((x, y) => Number(y.harvest) - Number(x.harvest));
  const paths = order.map((strategy): TransitionPath => {
    const run = directRun(ctx, spec.value, strategy);
    return {
      strategy: strategy.id,
      harvest: strategy.harvest,
      years: transitionYears(ctx, spec.value, run, a.symbol, budget, p.spec.benchmark),
      washSales: run.verification?.washSales ?? 0,
      mismatches: run.verification?.mismatches ?? [],
      reports: run.transitions,
      overruns: run.overruns,
    };
  });
  const lot = spec.value.initialLots?.[0];
  return { ok: true, value: { spec: spec.value, from: ctx.data.days[spec.value.start] as Day, to: ctx.data.days[ctx.end] as Day, symbol: a.symbol, shares: (lot?.shares ?? 0) / 1e6, budget, paths } };
}

/** Each year of one run of the transition: what the loop computed, read back. */
export function transitionYears(ctx: DirectRunContext, spec: DirectAccountSpec, run: DirectRun, symbol: Symbol, budget: Usd, benchmark: Symbol): TransitionYear[] {
  const events = run.events ?? [];
  const holdings = holdingsAt(events, run.years.map((y) => ctx.data.days[y.last] as Day));
  return run.years.map((y, k): TransitionYear => {
    const shares = holdings[k] as ReadonlyMap<Symbol, number>;
    const mark = (s: Symbol): number => {
      const i = ctx.data.symbolIndex.get(s);
      return i === undefined ? 0 : ((ctx.marks[i] as Float64Array)[y.last] as number);
    };
    const model = ctx.models.at(y.last).model;
    const weights = new Float64Array(model.symbols.length);
    for (const [s, n] of shares) {
      const i = model.index.get(s);
      if (i !== undefined && y.endValue > 0) weights[i] = ((n / 1e6) * mark(s)) / y.endValue;
    }
    const measured = runMeasures(events, ctx.data, ctx.marks, benchmark, spec.start, y.last, y.first);
    const losses = y.lossesShort + y.lossesLong;
    const netRealized = y.realizedShort + y.realizedLong;
    const through = ctx.data.days[y.last] as Day;
    const yearStart = ctx.data.days[y.first] as Day;
    const harvested = y.harvestedShort + y.harvestedLong;
    const inYear = (r: { readonly date: Day }): boolean => r.date >= yearStart && r.date <= through;
    const transitionGain = run.transitions.filter(inYear).reduce((s, r) => s + r.gain, 0);
    const held = shares.get(symbol) ?? 0;
    return {
      year: y.year,
      through,
      shares: held / 1e6,
      weight: y.endValue > 0 ? ((held / 1e6) * mark(symbol)) / y.endValue : 0,
      exAnteTrackingError: trackingError(model, weights),
      realizedTrackingError: measured.trackingError,
      gains: netRealized + losses,
      losses,
      netRealized,
      harvested,
      transitionGain,
      otherRealized: netRealized - transitionGain + harvested,
      beyondBudget: Math.max(0, netRealized - budget),
      withdrawalOverrun: run.overruns.filter(inYear).reduce((s, r) => s + r.beyond, 0),
      tax: y.tax,
      budgetUsed: (budget as number) > 0 ? netRealized / budget : 0,
      fees: y.fees,
      endValue: y.endValue,
    };
  });
}

/** Shares held (micro-shares, by symbol) at the end of each of `days` (ascending), from the events. */
function holdingsAt(events: readonly LedgerEvent[], days: readonly Day[]): Map<Symbol, number>[] {
  const held = new Map<Symbol, number>();
  const out: Map<Symbol, number>[] = [];
  let e = 0;
  for (const day of days) {
    for (; e < events.length && (events[e] as LedgerEvent).date <= day; e++) {
      const ev = events[e] as LedgerEvent;
      if (ev.kind === 'transfer_in' || ev.kind === 'buy') held.set(ev.symbol, (held.get(ev.symbol) ?? 0) + ev.shares);
      else if (ev.kind === 'sell') held.set(ev.symbol, (held.get(ev.symbol) ?? 0) - ev.shares);
    }
    out.push(new Map([...held].filter(([, n]) => n > 0)));
  }
  return out;
}
