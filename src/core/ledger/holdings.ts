/**
 * Holdings at a date: open lots valued at given prices, with unrealized gain and the term a sale
 * on that date would have. Prices are inputs (the core never fetches them); lots whose security
 * has no price are reported without a value rather than guessed.
 *
 * Example: 100 sh bought for $1,050.00, price $9.00 -> value $900.00, unrealized -$150.00.
 */
import type { Day } from '../kernel/calendar.js';
import { usdOf, type Price, type Usd } from '../kernel/exact.js';
import { termOf, type Term } from './holdingPeriod.js';
import type { Symbol } from './household.js';
import type { Lot } from './lots.js';

export interface ValuedLot {
  readonly lot: Lot;
  readonly price: Price | undefined;
  readonly marketValue: Usd | undefined;
  readonly unrealizedGain: Usd | undefined;
  readonly term: Term;
}

export function valueLots(lots: readonly Lot[], date: Day, prices: ReadonlyMap<Symbol, Price>): ValuedLot[] {
  return lots.map((lot) => {
    const price = prices.get(lot.symbol);
    const marketValue = price === undefined ? undefined : usdOf(lot.shares, price);
    return {
      lot,
      price,
      marketValue,
      unrealizedGain: marketValue === undefined ? undefined : ((marketValue - lot.basis) as Usd),
      term: termOf(lot.heldFrom, date),
    };
  });
}
