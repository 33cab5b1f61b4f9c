/**
 * A purchase or sale row of a broker history as a ledger Buy or Sell, checked against itself:
 * a positive quantity (sales may be signed either way: Schwab's generations differ), cash flowing
 * the right way (a purchase pays, a sale receives), fees not negative, and a price that reproduces
 * the amount (tradePrice.ts). Problems are reported on the row's own cells.
 */
import type { Day } from '../../core/kernel/calendar.js';
import { formatShares, formatUsd, type Price, type Shares, type Usd } from '../../core/kernel/exact.js';
import type { Buy, Sell } from '../../core/ledger/events.js';
import { accountId, eventId, symbol as toSymbol } from '../../core/ledger/household.js';
import type { Fields } from './fields.js';
import { tradePrice } from './tradePrice.js';

export interface TradeColumns<K extends string> {
  readonly quantity: K;
  readonly price: K;
  readonly amount: K;
  readonly fees: K;
}

export interface TradeRow {
  readonly side: 'buy' | 'sell';
  readonly id: string;
  readonly date: Day;
  readonly account: string;
  readonly symbol: string;
  readonly quantity: Shares | undefined;
  readonly price: Price | undefined;
  readonly fees: Usd;
  readonly amount: Usd | undefined;
}

export interface BookedTrade {
  readonly event: Buy | Sell;
  /** Whether the price was taken from the amount (the printed one did not reproduce it). */
  readonly fromAmount: boolean;
}

export function tradeEvent<K extends string>(f: Fields<K>, cols: TradeColumns<K>, t: TradeRow): BookedTrade | undefined {
  if (t.quantity === undefined) {
    f.problem('MISSING_FIELD', cols.quantity, `a ${t.side === 'buy' ? 'purchase' : 'sale'} needs a quantity`);
    return undefined;
  }
  if (t.quantity === 0) {
    f.problem('NOT_POSITIVE', cols.quantity, `a ${t.side === 'buy' ? 'purchase' : 'sale'} of 0 shares`);
    return undefined;
  }
  if (t.side === 'buy' && t.quantity < 0) {
    f.problem('BAD_VALUE', cols.quantity, `a purchase with a negative quantity (${formatShares(t.quantity)})`);
    return undefined;
  }
  if (t.fees < 0) {
    f.problem('BAD_VALUE', cols.fees, `negative fees (${formatUsd(t.fees)})`);
    return undefined;
  }
  if (t.amount !== undefined && (t.side === 'buy' ? t.amount > 0 : t.amount < 0)) {
    const expected = t.side === 'buy' ? 'a purchase pays cash (a negative amount)' : 'a sale receives cash (a positive amount)';
    f.problem('BAD_VALUE', cols.amount, `${expected}, got ${formatUsd(t.amount)}`);
    return undefined;
  }
  const shares = Math.abs(t.quantity) as Shares;
  const gross = t.amount === undefined ? undefined : ((t.side === 'buy' ? -t.amount - t.fees : t.amount + t.fees) as Usd);
  const p = tradePrice(shares, t.price, gross);
  if (!p.ok) {
    f.problem('BAD_VALUE', t.price === undefined ? cols.amount : cols.price, p.reason);
    return undefined;
  }
  const event = {
    kind: t.side,
    id: eventId(t.id),
    date: t.date,
    account: accountId(t.account),
    file: f.file,
    row: f.line,
    symbol: toSymbol(t.symbol),
    shares,
    price: p.price,
    fees: t.fees,
  } satisfies Buy | Sell;
  return { event, fromAmount: p.fromAmount };
}
