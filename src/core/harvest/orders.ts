/**
 * What the policy proposes: orders, each with the rule that produced it, in execution order (every
 * sell before any buy, so a purchase never follows a loss sale of its own class on the same day).
 * `ordersToEvents` turns accepted orders into ledger events, at the fill prices the caller gives.
 */
import type { Day } from '../kernel/calendar.js';
import { mulDivRound, SCALE, usdOf, type Price, type Shares, type Usd } from '../kernel/exact.js';
import type { LedgerEvent } from '../ledger/events.js';
import { eventId, type AccountId, type Symbol } from '../ledger/household.js';

export type Rule = 'harvest' | 'harvest_replacement' | 'switch_back' | 'withdrawal' | 'invest_cash' | 'rebalance';

export interface LotSale {
  readonly lotId: string;
  readonly shares: Shares;
}

export interface SellOrder {
  readonly side: 'sell';
  readonly account: AccountId;
  readonly symbol: Symbol;
  readonly shares: Shares;
  /** Specific lots relieved, so the sale realizes exactly the gains and losses proposed. */
  readonly lots: readonly LotSale[];
  /** The close the order was sized at. */
  readonly price: Price;
  readonly rule: Rule;
  /**
   * To be filled whole or not at all: the sale names two or more lots bought in the last 30 days,
   * and a partial fill that sold one of them at a loss would leave the other to wash it.
   */
  readonly allOrNone?: true;
}

export interface BuyOrder {
  readonly side: 'buy';
  readonly account: AccountId;
  readonly symbol: Symbol;
  readonly shares: Shares;
  readonly amount: Usd;
  readonly price: Price;
  readonly rule: Rule;
}

export type Order = SellOrder | BuyOrder;

/** The most whole micro-shares `amount` buys at `price` (never spending more than `amount`). */
export function sharesFor(amount: Usd, price: Price): Shares {
  if (amount <= 0 || price <= 0) return 0 as Shares;
  let shares = mulDivRound(amount, (SCALE.shares * SCALE.price) / SCALE.usd, price);
  while (shares > 0 && usdOf(shares as Shares, price) > amount) shares -= 1;
  return shares as Shares;
}

/** Fill price of an order (e.g. the close less half the spread for a sale). */
export type Fill = (order: Order) => Price;

/** Ledger events for the orders of one day, ids `${prefix}-${n}`, sells then buys as proposed. */
export function ordersToEvents(orders: readonly Order[], date: Day, prefix: string, fill: Fill = (o) => o.price): LedgerEvent[] {
  return orders.map((o, n) => {
    const id = eventId(`${prefix}-${n + 1}`);
    if (o.side === 'sell') {
      return {
        id,
        date,
        account: o.account,
        kind: 'sell',
        symbol: o.symbol,
        shares: o.shares,
        price: fill(o),
        fees: 0 as Usd,
        selection: { method: 'SPECIFIC', lots: o.lots.map((l) => ({ lot: l.lotId, shares: l.shares })) },
      };
    }
    return { id, date, account: o.account, kind: 'buy', symbol: o.symbol, shares: o.shares, price: fill(o), fees: 0 as Usd };
  });
}
