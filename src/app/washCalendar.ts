/**
 * A household's wash-sale calendar on a day: what the 30-day windows of IRC §1091 forbid, and why.
 *
 *  - After a loss sale in a taxable account, buying the security — or one substantially identical
 *    to it under the household's policy — in any account of the household (IRAs included) through
 *    the 30th day after the sale would wash the loss: those purchases are blocked until then.
 *  - After a purchase (or reinvested dividend) in any account, selling that security or an
 *    identical one at a loss in a taxable account through the 30th day after the purchase would
 *    be washed by it: loss sales are blocked until then.
 *
 * Read from the ledger as booked through the day; windows already over are not listed.
 */
import { addDays, formatDay, type Day } from '../core/kernel/calendar.js';
import type { Result } from '../core/kernel/errors.js';
import { format } from '../core/kernel/exact.js';
import { book } from '../core/ledger/booking.js';
import type { AccountId, Symbol } from '../core/ledger/household.js';
import { identicalRelation, WASH_WINDOW_DAYS } from '../core/ledger/washSales.js';
import { householdEvents } from './bookHousehold.js';
import type { BookStore, HouseholdId, TenantId } from './ports.js';

export interface WashBlock {
  readonly account: AccountId;
  readonly symbol: Symbol;
  /** What is blocked: buying the security, or selling it at a loss. */
  readonly blocks: 'purchase' | 'loss_sale';
  readonly blockedThrough: Day;
  readonly reason: string;
  /** The event that opened the window (the loss sale, or the purchase). */
  readonly eventId: string;
  readonly eventDate: Day;
}

export async function washCalendar(store: BookStore, tenant: TenantId, id: HouseholdId, date: Day): Promise<Result<{ readonly date: Day; readonly items: readonly WashBlock[] }>> {
  const found = await householdEvents(store, tenant, id);
  if (!found.ok) return found;
  const { household } = found.value.stored;
  const ledger = book(household, found.value.events, { through: date });
  if (!ledger.ok) return ledger;
  const from = addDays(date, -WASH_WINDOW_DAYS);
  const identical = identicalRelation(household);
  const symbols = new Set<Symbol>([...household.securities.map((s) => s.symbol), ...ledger.value.openLots.map((l) => l.symbol)]);
  for (const e of found.value.events) if ('symbol' in e) symbols.add(e.symbol);
  const taxable = household.accounts.filter((a) => a.type === 'taxable').map((a) => a.id);
  const blocks = new Map<string, WashBlock>();
  const put = (b: WashBlock): void => {
    const key = `${b.blocks}\u0000${b.account}\u0000${b.symbol}`;
    const had = blocks.get(key);
    if (had === undefined || had.blockedThrough < b.blockedThrough) blocks.set(key, b);
  };
  const lossBySale = new Map<string, { date: Day; account: AccountId; symbol: Symbol; loss: number }>();
  for (const d of ledger.value.dispositions) {
    if (!d.taxable || d.date < from || d.date > date || d.gain >= 0) continue;
    const had = lossBySale.get(d.saleId);
    lossBySale.set(d.saleId, { date: d.date, account: d.account, symbol: d.symbol, loss: (had?.loss ?? 0) - d.gain });
  }
  for (const [saleId, s] of lossBySale) {
    const through = addDays(s.date, WASH_WINDOW_DAYS);
    for (const other of symbols) {
      if (!identical(s.symbol, other, s.date)) continue;
      for (const a of household.accounts) {
        const what = other === s.symbol ? s.symbol : `${other} (substantially identical to ${s.symbol})`;
        put({
          account: a.id,
          symbol: other,
          blocks: 'purchase',
          blockedThrough: through,
          eventId: saleId,
          eventDate: s.date,
          reason: `${s.symbol} was sold at a loss of $${format('usd', s.loss)} in ${s.account} on ${formatDay(s.date)} (sale ${saleId}): buying ${what} in ${a.id} through ${formatDay(through)} would wash that loss`,
        });
      }
    }
  }
  for (const e of found.value.events) {
    if ((e.kind !== 'buy' && e.kind !== 'dividend_reinvest') || e.date < from || e.date > date) continue;
    const through = addDays(e.date, WASH_WINDOW_DAYS);
    for (const other of symbols) {
      if (!identical(e.symbol, other, e.date)) continue;
      for (const account of taxable) {
        put({
          account,
          symbol: other,
          blocks: 'loss_sale',
          blockedThrough: through,
          eventId: e.id,
          eventDate: e.date,
          reason: `${e.symbol} was ${e.kind === 'buy' ? 'bought' : 'bought with a reinvested dividend'} in ${e.account} on ${formatDay(e.date)} (event ${e.id}): a loss sale of ${other} in ${account} through ${formatDay(through)} would be washed by it`,
        });
      }
    }
  }
  const items = [...blocks.values()].sort((a, b) => a.account.localeCompare(b.account) || a.symbol.localeCompare(b.symbol) || a.blocks.localeCompare(b.blocks));
  return { ok: true, value: { date, items } };
}
