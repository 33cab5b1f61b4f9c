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
 *      its orders execute at today's close with the spread charged (brokerage.ts), then the fee
 *      is paid from cash;
 *   4. on the year's last trading day (and the run's last day) the year's realized gains are
 *      settled with the tax model at the profile's marginal rates: the tax attributable to the
 *      account and the carryover it leaves. With `taxFlows: 'reinvest'` the saving is deposited
 *      (a tax owed is withdrawn), as in the seed paper's Scenario 2.
 *
 * Nothing here reads a price after the day it simulates; the tests prove it by changing the future.
 */
import type { Day } from '../kernel/calendar.js';
import type { Usd } from '../kernel/exact.js';
import type { LedgerEvent } from '../ledger/events.js';
import type { HarvestConfig } from '../harvest/config.js';
import type { StoppingTables } from '../harvest/stopping/opportunityCost.js';
import { decide, type PolicyContext } from '../harvest/policy.js';
import { screen, ScreenIndex } from '../harvest/bulk/screen.js';
import type { HouseholdState, TaxSituation, Targets } from '../harvest/state.js';
import { termOf } from '../ledger/holdingPeriod.js';
import { accountId, type Account, type Household, type Security, type SubstantiallyIdenticalPolicy, type Symbol } from '../ledger/household.js';
import { NO_CARRYOVER, type Carryover } from '../tax/capitalLoss.js';
import { capitalItemsTax, lossContext } from '../tax/lossValue.js';
import { identicalPeriods, targetWeights, type Universe } from '../securities/universe.js';
import type { AccountSpec } from './accounts.js';
import { Brokerage, type Realized } from './brokerage.js';
import { serve, type CalendarFields, type MarketData } from './marketData.js';
import { PhaseIn, type ClassFunds } from './phaseIn.js';
import { hindsightBound, hindsightIndex, TrancheBook, type HindsightBound, type HindsightIndex } from './hindsight.js';
import { dailyThreshold, harvestDays, thresholdStrategy, type Strategy } from './strategies.js';
import { verifyAgainstLedger, type Verification } from './verify.js';

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

interface Prepared {
  /** The strategies, then the tuning rules that are not among them. */
  readonly strategies: readonly Strategy[];
  readonly harvestOn: readonly Uint8Array[];
  readonly onConfig: readonly HarvestConfig[];
  readonly offConfig: HarvestConfig;
  readonly feeDay: Uint8Array;
  readonly halfSpreadPpm: ReadonlyMap<Symbol, number>;
  readonly hindsight: HindsightIndex;
  /** Every simulated household's wash-sale policy and securities: the universe's, with its index history. */
  readonly identical: SubstantiallyIdenticalPolicy;
  readonly securities: readonly Security[];
  /** Per asset class of the universe: its id and its funds' indices in the market data. */
  readonly classFunds: ClassFunds;
}

const prepared = new WeakMap<SimulationContext, Prepared>();

function prepare(ctx: SimulationContext): Prepared {
  let p = prepared.get(ctx);
  if (p !== undefined) return p;
  const feeDay = new Uint8Array(ctx.calendar.year.length);
  for (let t = 0; t < feeDay.length; t++) feeDay[t] = ctx.calendar.monthStart[t] === 1 && (ctx.calendar.month[t] as number) % 3 === 1 ? 1 : 0;
  const halfSpreadPpm = new Map<Symbol, number>();
  for (const c of ctx.universe.classes) {
    for (const s of c.securities) halfSpreadPpm.set(s.symbol, Math.round((ctx.config.halfSpreadBps.get(s.symbol) ?? s.halfSpreadBps) * 100));
  }
  const strategies = [...ctx.strategies, ...ctx.tuningThresholds.filter((f) => dailyThreshold(ctx.strategies, f) < 0).map(thresholdStrategy)];
  p = {
    strategies,
    harvestOn: strategies.map((s) => harvestDays(s.schedule, ctx.calendar)),
    onConfig: strategies.map((s) => ({ ...ctx.config, trigger: s.trigger })),
    offConfig: { ...ctx.config, trigger: { kind: 'off' } },
    feeDay,
    halfSpreadPpm,
    hindsight: hindsightIndex(ctx.data, ctx.end, ctx.discountRate),
    identical: { policy: 'groups', groups: [], periods: identicalPeriods(ctx.universe), matchCusip: false },
    securities: ctx.universe.classes.flatMap((c) => c.securities.map((x) => ({ symbol: x.symbol }))),
    classFunds: ctx.universe.classes.map((c) => ({ id: c.id, symbols: c.securities.flatMap((x) => (ctx.data.symbolIndex.has(x.symbol) ? [ctx.data.symbolIndex.get(x.symbol) as number] : [])) })),
  };
  prepared.set(ctx, p);
  return p;
}

export function simulateAccount(ctx: SimulationContext, spec: AccountSpec): AccountRun {
  const tranches = new TrancheBook();
  const runs = ctx.strategies.map((s, k) => runStrategy(ctx, spec, k, k === 0 ? tranches : undefined));
  const all = prepare(ctx).strategies;
  const tuning = ctx.tuningThresholds.map((fraction): TuningRun => {
    const k = dailyThreshold(ctx.strategies, fraction);
    if (k >= 0) return { fraction, harvests: (runs[k] as StrategyRun).harvests, days: 0 };
    const run = runStrategy(ctx, spec, dailyThreshold(all, fraction), undefined);
    return { fraction, harvests: run.harvests, days: run.days + 1 };
  });
  return { spec, runs, tuning, hindsight: hindsightBound(tranches.all(ctx.end), ctx.data, prepare(ctx).hindsight, ctx.windows) };
}

function householdFor(ctx: SimulationContext, spec: AccountSpec, account: Account): Household {
  const profile = (ctx.profiles[spec.profile] as ProfileSituation).tax.profile;
  const status = profile.filingStatus === 'qualifying_surviving_spouse' ? 'married_filing_jointly' : profile.filingStatus;
  const p = prepare(ctx);
  return { settings: { filingStatus: status, lotMethod: 'FIFO', substantiallyIdentical: p.identical }, accounts: [account], securities: p.securities };
}

const NO_WITHDRAWALS = new Map();

function runStrategy(ctx: SimulationContext, spec: AccountSpec, k: number, tranches: TrancheBook | undefined): StrategyRun {
  const p = prepare(ctx);
  const { data, calendar: cal } = ctx;
  const strategy = p.strategies[k] as Strategy;
  const account: Account = { id: accountId(spec.id), type: 'taxable', owner: 'self' };
  const household = householdFor(ctx, spec, account);
  const situation = (ctx.profiles[spec.profile] as ProfileSituation).tax;
  const base = situation.profile;
  const other = base.realized ?? { shortTerm: 0 as Usd, longTerm: 0 as Usd };
  const weights = targetWeights(ctx.universe, spec.riskScore);
  if (weights === undefined) throw new Error(`risk score ${spec.riskScore} is outside the universe's mapping`);
  const targets = new Map<typeof account.id, Targets>([[account.id, weights]]);
  const fills = { halfSpreadPpm: (s: Symbol) => p.halfSpreadPpm.get(s) ?? 500, commission: ctx.config.commission };
  const broker = new Brokerage(account, 'e', fills, ctx.verify || ctx.keepEvents === true);
  const policyOn: PolicyContext = { universe: ctx.universe, config: p.onConfig[k] as HarvestConfig, tables: ctx.tables, explain: false };
  const policyOff: PolicyContext = { universe: ctx.universe, config: p.offConfig, tables: ctx.tables, explain: false };
  const harvestOn = p.harvestOn[k] as Uint8Array;
  const symbols = data.symbols;
  const closeOf = (t: number) => (s: Symbol): number => markOn(data.close[data.symbolIndex.get(s) as number] as Float64Array, t);

  const years: YearResult[] = [];
  const harvests: HarvestEvent[] = [];
  let carry: Carryover = NO_CARRYOVER;
  let year = -1;
  let row = blankYear();
  let feeAccrued = 0;
  let previousValue = 0;
  let logReturn = 0;
  let days = 0;
  let trades = 0;
  let decisions = 0;
  let ytd = { shortTerm: 0, longTerm: 0 };
  let lastCarryIn: Carryover = NO_CARRYOVER;
  let index: ScreenIndex | undefined;
  let indexedLots: Brokerage['lots'] | undefined;
  const phase = new PhaseIn(p.classFunds, data, weights, ctx.config.driftBand, spec.start);

  for (let t = spec.start; t <= ctx.end; t++) {
    const date = data.days[t] as Day;
    if (cal.year[t] !== year) {
      year = cal.year[t] as number;
      row = blankYear();
      row.first = t;
      ytd = { shortTerm: 0, longTerm: 0 };
    }
    broker.forget(date);
    let flow = 0;
    const deposit = t === spec.start ? spec.initialDeposit : scheduledDeposit(spec, cal, t);
    if (deposit > 0) {
      broker.deposit(date, deposit as Usd);
      row.deposits += deposit;
      flow += deposit;
    }
    for (let s = 0; s < symbols.length; s++) {
      const d = (data.dividend[s] as Float64Array)[t] as number;
      if (d > 0) row.dividends += broker.payDividend(date, symbols[s] as Symbol, d);
    }
    if (row.first === t) row.beginningBalance = broker.value(closeOf(t));
    const phasing = phase.update(t, broker);
    const feeDue = p.feeDay[t] === 1 && t > spec.start ? Math.round(feeAccrued * 100) : 0;
    const state: HouseholdState = {
      household,
      lots: broker.lots,
      trades: broker.trades,
      cash: new Map([[account.id, broker.cash as Usd]]),
      targets,
      withdrawals: feeDue > 0 ? new Map([[account.id, feeDue as Usd]]) : NO_WITHDRAWALS,
      tax: {
        ...situation,
        profile: { ...base, realized: { shortTerm: (other.shortTerm + ytd.shortTerm) as Usd, longTerm: (other.longTerm + ytd.longTerm) as Usd }, carryoverIn: carry },
      },
      ...(phasing === undefined ? {} : { phaseIn: new Map([[account.id, phasing]]) }),
    };
    const market = serve(data, t);
    const policy = harvestOn[t] === 1 ? policyOn : policyOff;
    if (index === undefined || indexedLots !== broker.lots) {
      index = new ScreenIndex(state, ctx.universe, policyOn.config as HarvestConfig);
      indexedLots = broker.lots;
    }
    if (screen(date, state, market, policy, index)) {
      decisions += 1;
      const proposals = decide(date, state, market, policy);
      if (proposals.orders.length > 0) {
        trades += proposals.orders.length;
        const heldBefore = tranches === undefined ? undefined : new Map(broker.held);
        const r = broker.execute(date, proposals.orders, feeDue as Usd);
        addRealized(row, r);
        ytd = { shortTerm: ytd.shortTerm + r.shortTerm, longTerm: ytd.longTerm + r.longTerm };
        if (r.harvestedShort + r.harvestedLong > 0) harvests.push({ t, short: r.harvestedShort, long: r.harvestedLong });
        if (tranches !== undefined && heldBefore !== undefined) noteTranches(broker, heldBefore, date, t, data, tranches);
      }
    }
    if (feeDue > 0) {
      const paid = broker.charge(date, feeDue as Usd, 'fee');
      row.fees += paid;
      feeAccrued -= paid / 100;
    }
    const yearEnds = t === ctx.end || (cal.monthEnd[t] === 1 && cal.month[t] === 12);
    if (yearEnds) {
      lastCarryIn = carry;
      const settled = settleYear(situation, ytd, carry);
      row.tax = settled.tax;
      row.carryoverOut = settled.carryoverOut;
      carry = settled.carryoverOut;
      if (ctx.taxFlows === 'reinvest' && settled.tax !== 0) {
        if (settled.tax < 0) broker.deposit(date, -settled.tax as Usd);
        else broker.charge(date, settled.tax as Usd, 'withdrawal');
        flow -= settled.tax;
      }
    }
    const value = broker.value(closeOf(t));
    if (t > spec.start && previousValue > 0) {
      logReturn += Math.log((value - flow / 100) / previousValue);
      days += 1;
    }
    previousValue = value;
    feeAccrued += (value * ctx.feeRate) / 252;
    row.averageBalance += (value - row.averageBalance) / (t - row.first + 1);
    if (yearEnds) {
      row.last = t;
      row.endValue = value;
      years.push({ ...row, year });
    }
  }
  const end = data.days[ctx.end] as Day;
  let unrealizedShort = 0;
  let unrealizedLong = 0;
  for (const lot of broker.lots) {
    const close = closeOf(ctx.end)(lot.symbol);
    const gain = Math.round((lot.shares * close) / 1e4) - lot.basis;
    if (termOf(lot.heldFrom, end) === 'short') unrealizedShort += gain;
    else unrealizedLong += gain;
  }
  const withSale = settleYear(situation, { shortTerm: ytd.shortTerm + unrealizedShort, longTerm: ytd.longTerm + unrealizedLong }, lastCarryIn);
  const without = settleYear(situation, ytd, lastCarryIn);
  return {
    strategy: strategy.id,
    years,
    harvests,
    finalValue: previousValue,
    unrealizedShort,
    unrealizedLong,
    liquidationTax: withSale.tax - without.tax,
    logReturn,
    days,
    trades,
    decisions,
    ...(ctx.verify ? { verification: verifyAgainstLedger(household, broker, years) } : {}),
    ...(ctx.keepEvents === true ? { events: broker.events } : {}),
  };
}

/**
 * A holding's mark for valuing the account: the day's close, or the last close before it when the
 * fund has none that day (a gap, a series that stopped). Only values use it; the policy sees the
 * day's closes (serve).
 */
function markOn(close: Float64Array, t: number): number {
  for (let i = t; i >= 0; i--) {
    const v = close[i] as number;
    if (!Number.isNaN(v)) return v;
  }
  return 0;
}

/** The monthly and yearly deposits due on a day after the first. */
function scheduledDeposit(spec: AccountSpec, cal: CalendarFields, t: number): number {
  if (cal.monthStart[t] !== 1) return 0;
  const newYear = cal.month[t] === 1;
  return spec.monthlyDeposit + (newYear ? spec.yearlyDeposit : 0);
}

type YearRow = { -readonly [K in keyof YearResult]: YearResult[K] };

function blankYear(): YearRow {
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

function addRealized(row: YearRow, r: Realized): void {
  row.harvestedShort += r.harvestedShort;
  row.harvestedLong += r.harvestedLong;
  row.realizedShort += r.shortTerm;
  row.realizedLong += r.longTerm;
  row.lossesShort += r.lossesShort;
  row.lossesLong += r.lossesLong;
}

/** The year's tax attributable to the account: with its items less without them. */
function settleYear(s: TaxSituation, items: { shortTerm: number; longTerm: number }, carryIn: Carryover): { tax: number; carryoverOut: Carryover } {
  const other = s.profile.realized ?? { shortTerm: 0 as Usd, longTerm: 0 as Usd };
  const withItems = capitalItemsTax(
    lossContext(s.table, { ...s.profile, realized: { shortTerm: (other.shortTerm + items.shortTerm) as Usd, longTerm: (other.longTerm + items.longTerm) as Usd }, carryoverIn: carryIn }, s.rates),
  );
  const alone = capitalItemsTax(lossContext(s.table, { ...s.profile, realized: other, carryoverIn: NO_CARRYOVER }, s.rates));
  return { tax: withItems.tax - alone.tax, carryoverOut: withItems.carryoverOut };
}

/** Opens a tranche for each of the day's purchases and retires the shares of its sales. */
function noteTranches(broker: Brokerage, before: ReadonlyMap<Symbol, number>, date: Day, t: number, data: MarketData, book: TrancheBook): void {
  for (const symbol of new Set([...before.keys(), ...broker.held.keys()])) {
    const change = (broker.held.get(symbol) ?? 0) - (before.get(symbol) ?? 0);
    if (change < 0) book.sell(t, data.symbolIndex.get(symbol) as number, -change);
  }
  for (const lot of broker.lots) if (lot.acquired === date) book.buy(t, data.symbolIndex.get(lot.symbol) as number, lot.shares, lot.basis);
}
