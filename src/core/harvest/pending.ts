/**
 * Orders approved but not yet filled are part of the household's state: until they fill, the next
 * day's decision must see them, or approving yesterday's proposals and running today could wash a
 * loss (§1091 looks at the trade dates, whenever they are booked).
 *
 *  - A pending buy counts as bought today: no loss sale of its class anywhere in the household today
 *    (the fill, days later, would be the replacement), and it holds the account lock.
 *  - A pending sale counts as sold today (a loss sale when it realizes a loss): no purchase of its
 *    class for 30 days from today, and its lots are reserved — they cannot be sold twice.
 *  - Cash a pending buy will spend is not invested again; a pending sale's proceeds are not
 *    counted until they arrive.
 *
 * Example: VTI approved for purchase in the IRA yesterday, not yet filled; today VTI's taxable lot
 * is at a loss. `withPendingOrders` makes the wash guard answer `bought_today` for it: no harvest.
 */
import type { Day } from '../kernel/calendar.js';
import type { Shares, Usd } from '../kernel/exact.js';
import type { AccountId, Symbol } from '../ledger/household.js';
import { splitLot, type Lot } from '../ledger/lots.js';
import type { HouseholdState, TradeRecord } from './state.js';

export type PendingOrder =
  | {
      readonly side: 'buy';
      readonly account: AccountId;
      readonly symbol: Symbol;
      /** Shares not yet filled. */
      readonly shares: Shares;
      /** Cash the unfilled part will spend. */
      readonly amount: Usd;
    }
  | {
      readonly side: 'sell';
      readonly account: AccountId;
      readonly symbol: Symbol;
      readonly shares: Shares;
      /** The lots the sale relieves (unfilled shares of each). */
      readonly lots: readonly { readonly lotId: string; readonly shares: Shares }[];
      /** Whether the sale realizes a loss on any lot (as proposed). */
      readonly lossSale: boolean;
    };

export function withPendingOrders(state: HouseholdState, pending: readonly PendingOrder[], date: Day): HouseholdState {
  if (pending.length === 0) return state;
  const reserved = new Map<string, number>();
  const cash = new Map(state.cash);
  const trades: TradeRecord[] = [...state.trades];
  for (const o of pending) {
    if (o.side === 'sell') {
      for (const l of o.lots) reserved.set(`${o.account}\u0000${l.lotId}`, (reserved.get(`${o.account}\u0000${l.lotId}`) ?? 0) + l.shares);
      trades.push({ date, account: o.account, symbol: o.symbol, side: 'sell', lossSale: o.lossSale, pending: true });
    } else {
      cash.set(o.account, ((cash.get(o.account) ?? 0) - o.amount) as Usd);
      trades.push({ date, account: o.account, symbol: o.symbol, side: 'buy', lossSale: false, pending: true });
    }
  }
  const lots: Lot[] = [];
  for (const lot of state.lots) {
    const held = reserved.get(`${lot.account}\u0000${lot.id}`) ?? 0;
    if (held <= 0) lots.push(lot);
    else if (held < lot.shares) lots.push(splitLot(lot, (lot.shares - held) as Shares)[0]);
  }
  return { ...state, lots, trades, cash };
}
