/**
 * The parts of one strategy's run that do not depend on how its days are stepped through: the
 * simulated household, the yearly rows, the year's tax settlement, the scheduled deposits, the
 * hindsight tranches and the closing figures. The fast day loop (strategyRun.ts) and the
 * reference loop (referenceRun.ts) share them, so they cannot differ here.
 */
import type { Day } from '../kernel/calendar.js';
import type { Usd } from '../kernel/exact.js';
import { termOf } from '../ledger/holdingPeriod.js';
import type { Account, Household, Symbol } from '../ledger/household.js';
import type { TaxSituation } from '../harvest/state.js';
import { NO_CARRYOVER, type Carryover } from '../tax/capitalLoss.js';
import { capitalItemsTax, lossContext } from '../tax/lossValue.js';
import type { AccountSpec } from './accounts.js';
import type { Brokerage, Realized } from './brokerage.js';
import type { CalendarFields, MarketData } from './marketData.js';
import { prepare } from './prepared.js';
import type { TrancheBook } from './hindsight.js';
import type { HarvestEvent, ProfileSituation, SimulationContext, StrategyRun, YearResult } from './simulation.js';
import { verifyAgainstLedger } from './verify.js';

export function householdFor(ctx: SimulationContext, spec: AccountSpec, account: Account): Household {
  const profile = (ctx.profiles[spec.profile] as ProfileSituation).tax.profile;
  const status = profile.filingStatus === 'qualifying_surviving_spouse' ? 'married_filing_jointly' : profile.filingStatus;
  const p = prepare(ctx);
  return { settings: { filingStatus: status, lotMethod: 'FIFO', substantiallyIdentical: p.identical }, accounts: [account], securities: p.securities };
}

/** The monthly and yearly deposits due on a day after the first. */
export function scheduledDeposit(spec: AccountSpec, cal: CalendarFields, t: number): number {
  if (cal.monthStart[t] !== 1) return 0;
  const newYear = cal.month[t] === 1;
  return spec.monthlyDeposit + (newYear ? spec.yearlyDeposit : 0);
}

export type YearRow = { -readonly [K in keyof YearResult]: YearResult[K] };

export function blankYear(): YearRow {
  return {
    year: 0,
    first: 0,
    last: 0,
    beginningBalance: 0,
    averageBalance: 0,
    endValue: 0,
    harvestedShort: 0,
    harvestedLong: 0,
    realizedShort: 0,
    realizedLong: 0,
    lossesShort: 0,
    lossesLong: 0,
    deposits: 0,
    dividends: 0,
    fees: 0,
    tax: 0,
    carryoverOut: NO_CARRYOVER,
  };
}

export function addRealized(row: YearRow, r: Realized): void {
  row.harvestedShort += r.harvestedShort;
  row.harvestedLong += r.harvestedLong;
  row.realizedShort += r.shortTerm;
  row.realizedLong += r.longTerm;
  row.lossesShort += r.lossesShort;
  row.lossesLong += r.lossesLong;
}

/** The year's tax attributable to the account: with its items less without them. */
export function settleYear(s: TaxSituation, items: { shortTerm: number; longTerm: number }, carryIn: Carryover): { tax: number; carryoverOut: Carryover } {
  const other = s.profile.realized ?? { shortTerm: 0 as Usd, longTerm: 0 as Usd };
  const withItems = capitalItemsTax(
    lossContext(s.table, { ...s.profile, realized: { shortTerm: (other.shortTerm + items.shortTerm) as Usd, longTerm: (other.longTerm + items.longTerm) as Usd }, carryoverIn: carryIn }, s.rates),
  );
  const alone = capitalItemsTax(lossContext(s.table, { ...s.profile, realized: other, carryoverIn: NO_CARRYOVER }, s.rates));
  return { tax: withItems.tax - alone.tax, carryoverOut: withItems.carryoverOut };
}

/** Opens a tranche for each of the day's purchases and retires the shares of its sales. */
export function noteTranches(broker: Brokerage, before: ReadonlyMap<Symbol, number>, date: Day, t: number, data: MarketData, book: TrancheBook): void {
  for (const symbol of new Set([...before.keys(), ...broker.held.keys()])) {
    const change = (broker.held.get(symbol) ?? 0) - (before.get(symbol) ?? 0);
    if (change < 0) book.sell(t, data.symbolIndex.get(symbol) as number, -change);
  }
  for (const lot of broker.lots) if (lot.acquired === date) book.buy(t, data.symbolIndex.get(lot.symbol) as number, lot.shares, lot.basis);
}

/** What a run's day loop hands over at the end. */
export interface RunEnd {
  readonly strategy: string;
  readonly household: Household;
  readonly broker: Brokerage;
  readonly situation: TaxSituation;
  readonly years: readonly YearResult[];
  readonly harvests: readonly HarvestEvent[];
  readonly ytd: { readonly shortTerm: number; readonly longTerm: number };
  readonly lastCarryIn: Carryover;
  readonly finalValue: number;
  readonly logReturn: number;
  readonly days: number;
  readonly trades: number;
  readonly decisions: number;
}

/**
 * The closing figures: unrealized gains by term at the last marks, the tax a liquidation would
 * add, and (when asked) the ledger's re-booking of the history.
 */
export function finishRun(ctx: Pick<SimulationContext, 'data' | 'end' | 'verify' | 'keepEvents' | 'phases'>, r: RunEnd, markAtEnd: (symbol: Symbol) => number): StrategyRun {
  const end = ctx.data.days[ctx.end] as Day;
  let unrealizedShort = 0;
  let unrealizedLong = 0;
  for (const lot of r.broker.lots) {
    const gain = Math.round((lot.shares * markAtEnd(lot.symbol)) / 1e4) - lot.basis;
    if (termOf(lot.heldFrom, end) === 'short') unrealizedShort += gain;
    else unrealizedLong += gain;
  }
  const withSale = settleYear(r.situation, { shortTerm: r.ytd.shortTerm + unrealizedShort, longTerm: r.ytd.longTerm + unrealizedLong }, r.lastCarryIn);
  const without = settleYear(r.situation, r.ytd, r.lastCarryIn);
  const clock = ctx.phases?.clock;
  const t0 = clock?.() ?? 0;
  const verification = ctx.verify ? verifyAgainstLedger(r.household, r.broker, r.years) : undefined;
  if (clock !== undefined && ctx.phases !== undefined) ctx.phases.verify += clock() - t0;
  return {
    strategy: r.strategy,
    years: r.years,
    harvests: r.harvests,
    finalValue: r.finalValue,
    unrealizedShort,
    unrealizedLong,
    liquidationTax: withSale.tax - without.tax,
    logReturn: r.logReturn,
    days: r.days,
    trades: r.trades,
    decisions: r.decisions,
    ...(verification !== undefined ? { verification } : {}),
    ...(ctx.keepEvents === true ? { events: r.broker.events } : {}),
  };
}
