/**
 * What the policy knows about a household on its decision date: open lots (exact), the trades of
 * the last 30 days (for wash-sale and lock-out rules), cash, targets, withdrawals asked for today,
 * and the tax situation (profile with this year's realized gains). `householdState` builds it from
 * the exact ledger; the backtester maintains the same shape as it simulates.
 */
import { addDays, yearOf, type Day } from '../kernel/calendar.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Usd } from '../kernel/exact.js';
import type { LedgerEvent } from '../ledger/events.js';
import { taxableAccounts, type AccountId, type Household, type Symbol } from '../ledger/household.js';
import type { Lot } from '../ledger/lots.js';
import type { RateSet } from '../tax/marginalRates.js';
import type { TaxProfile } from '../tax/profile.js';
import type { FederalTaxTable } from '../tax/taxTables.js';
import { WASH_WINDOW_DAYS } from '../ledger/washSales.js';

export interface TradeRecord {
  readonly date: Day;
  readonly account: AccountId;
  readonly symbol: Symbol;
  readonly side: 'buy' | 'sell';
  /** A sale in a taxable account that realized a loss on any lot: buying its class again would wash it. */
  readonly lossSale: boolean;
  /** An approved order not yet filled (pending.ts), counted as traded on the decision date. */
  readonly pending?: true;
}

export interface TaxSituation {
  readonly table: FederalTaxTable;
  /** Includes this year's realized gains so far and the carryover in. */
  readonly profile: TaxProfile;
  readonly rates: RateSet;
}

/** Target weights by asset-class id, summing to 1. */
export type Targets = ReadonlyMap<string, number>;

export interface HouseholdState {
  readonly household: Household;
  readonly lots: readonly Lot[];
  /** Trades from 30 days before the decision date through it (events already booked today). */
  readonly trades: readonly TradeRecord[];
  readonly cash: ReadonlyMap<AccountId, Usd>;
  readonly targets: ReadonlyMap<AccountId, Targets>;
  /** Cash to raise today, per account. */
  readonly withdrawals: ReadonlyMap<AccountId, Usd>;
  readonly tax: TaxSituation;
  /**
   * Net gain realized this calendar year through the decision date in each taxable account, as
   * reported (wash-sale adjustments included), cents: what a budget on one account's realized gains
   * counts (the direct index's transition). Absent: the caller does not keep it per account.
   */
  readonly realizedByAccount?: ReadonlyMap<AccountId, Usd>;
  /**
   * Asset classes being phased in, per account: they became tradable after the account was
   * funded and are filled by cash flows, not by sales (allocation.ts). Absent: none.
   */
  readonly phaseIn?: ReadonlyMap<AccountId, ReadonlySet<string>>;
  /**
   * Micro-shares of the open lots per symbol, per account with targets, summed in lot order
   * (symbols in order of their first lot): what the policy would sum from `lots` itself, given by
   * a caller that keeps it across days (the backtest's screen index). Absent: summed from lots.
   */
  readonly held?: ReadonlyMap<AccountId, ReadonlyMap<Symbol, number>>;
}

export interface StateInputs {
  readonly date: Day;
  readonly events: readonly LedgerEvent[];
  /** The events booked (wash sales included) through `date`: what happened before the decision. */
  readonly ledger: Ledger;
  readonly targets: ReadonlyMap<AccountId, Targets>;
  readonly withdrawals?: ReadonlyMap<AccountId, Usd>;
  readonly tax: TaxSituation;
}

export function householdState(i: StateInputs): HouseholdState {
  const household = i.ledger.household;
  const from = addDays(i.date, -WASH_WINDOW_DAYS);
  const lossBySale = new Map<string, number>();
  const taxable = taxableAccounts(household);
  let shortTerm = 0;
  let longTerm = 0;
  const byAccount = new Map<AccountId, Usd>();
  const year = yearOf(i.date);
  for (const d of i.ledger.dispositions) {
    if (d.date >= from && d.taxable && d.gain < 0) lossBySale.set(d.saleId, d.gain);
    if (d.taxable && d.date <= i.date && yearOf(d.date) === year) {
      const reported = d.gain + d.disallowed;
      if (d.term === 'short') shortTerm += reported;
      else longTerm += reported;
      byAccount.set(d.account, ((byAccount.get(d.account) ?? 0) + reported) as Usd);
    }
  }
  const trades: TradeRecord[] = [];
  for (const e of i.events) {
    if (e.date < from || e.date > i.date) continue;
    if (e.kind === 'buy' || e.kind === 'dividend_reinvest') {
      trades.push({ date: e.date, account: e.account, symbol: e.symbol, side: 'buy', lossSale: false });
    } else if (e.kind === 'sell') {
      const lossSale = taxable.has(e.account) && (lossBySale.get(e.id) ?? 0) < 0;
      trades.push({ date: e.date, account: e.account, symbol: e.symbol, side: 'sell', lossSale });
    }
  }
  return {
    household,
    lots: i.ledger.openLots,
    trades,
    cash: i.ledger.cash,
    targets: i.targets,
    withdrawals: i.withdrawals ?? new Map(),
    tax: {
      ...i.tax,
      profile: { ...i.tax.profile, realized: { shortTerm: shortTerm as Usd, longTerm: longTerm as Usd } },
    },
    realizedByAccount: byAccount,
  };
}
