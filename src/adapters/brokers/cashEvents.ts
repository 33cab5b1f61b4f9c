/**
 * Cash rows as ledger events. The ledger's cash events carry positive amounts and say the
 * direction in their kind, so a broker's signed amount picks the kind: money in is a deposit (or a
 * dividend when a security paid it), money out a withdrawal or a fee.
 */
import type { Day } from '../../core/kernel/calendar.js';
import type { Usd } from '../../core/kernel/exact.js';
import type { CashMovement, Dividend } from '../../core/ledger/events.js';
import { accountId, eventId, symbol as toSymbol } from '../../core/ledger/household.js';

export interface RowOrigin {
  readonly id: string;
  readonly date: Day;
  readonly account: string;
  readonly file: string;
  readonly row: number;
}

export function cashEvent(kind: CashMovement['kind'], o: RowOrigin, amount: Usd): CashMovement {
  return { kind, id: eventId(o.id), date: o.date, account: accountId(o.account), file: o.file, row: o.row, amount: Math.abs(amount) as Usd };
}

export function dividendEvent(o: RowOrigin, symbol: string, amount: Usd): Dividend {
  return { kind: 'dividend', id: eventId(o.id), date: o.date, account: accountId(o.account), file: o.file, row: o.row, symbol: toSymbol(symbol), amount };
}

/** How a cash-only row books, by what kind of row the broker says it is. */
export type CashCategory = 'income' | 'interest' | 'cash' | 'fee' | 'cashInLieu';

export interface BookedCash {
  readonly event?: CashMovement | Dividend;
  /** For the batch's notes: "booked as deposit (interest ...)". */
  readonly how: string;
}

/**
 * Income with a security is a dividend (capital-gain distributions included: the ledger has one
 * income kind); income naming none, interest and cash in lieu of a fractional share are deposits;
 * negative income or interest is a withdrawal or a fee; a positive fee is a refund.
 */
export function bookCash(category: CashCategory, o: RowOrigin, amount: Usd, symbol: string, capitalGain = false): BookedCash {
  if (amount === 0) return { how: 'not booked (zero amount)' };
  const inflow = amount > 0;
  switch (category) {
    case 'income':
      if (!inflow) return { event: cashEvent('withdrawal', o, amount), how: 'booked as withdrawal (income reversed)' };
      if (symbol === '') return { event: cashEvent('deposit', o, amount), how: 'booked as deposit (income that names no security)' };
      return { event: dividendEvent(o, symbol, amount), how: capitalGain ? 'booked as dividend (a capital-gain distribution)' : 'booked as dividend' };
    case 'interest':
      return inflow
        ? { event: cashEvent('deposit', o, amount), how: 'booked as deposit (interest)' }
        : { event: cashEvent('fee', o, amount), how: 'booked as fee (interest charged)' };
    case 'cash':
      return inflow ? { event: cashEvent('deposit', o, amount), how: 'booked as deposit' } : { event: cashEvent('withdrawal', o, amount), how: 'booked as withdrawal' };
    case 'fee':
      return inflow ? { event: cashEvent('deposit', o, amount), how: 'booked as deposit (a refund)' } : { event: cashEvent('fee', o, amount), how: 'booked as fee' };
    case 'cashInLieu':
      return inflow
        ? { event: cashEvent('deposit', o, amount), how: "booked as deposit (cash for a fractional share: the fraction's shares and basis stay in the lots; a positions file shows the difference)" }
        : { event: cashEvent('withdrawal', o, amount), how: 'booked as withdrawal' };
  }
}
