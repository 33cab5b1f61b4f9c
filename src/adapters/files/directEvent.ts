/**
 * The common events — buy, sell, reinvested dividend, cash dividend, deposit, withdrawal, fee,
 * with no lot selection — decoded straight from ranges of the file text, for the large files of
 * both formats (transactionsCsv.ts, caseJson.ts). `direct` returns undefined for anything it
 * does not decode cleanly and the caller hands that record to the generic decoder
 * (eventRecord.ts), which accepts the same records and reports the problems, so both paths give
 * the same events (a property test holds them equal).
 */
import { parseDayAt } from '../../core/kernel/calendar.js';
import type { LedgerEvent } from '../../core/ledger/events.js';
import { tryExactAt, type Usd } from '../../core/kernel/exact.js';
import { accountId, eventId, symbol } from '../../core/ledger/household.js';
import { FIELDS_OF } from './eventFields.js';
import type { Interner } from './interner.js';

export const COLUMN_NAMES = ['id', 'date', 'account', 'action', 'symbol', 'shares', 'price', 'fees', 'amount', 'lotMethod', 'lots'] as const;
export const DIRECT_ACTIONS = ['buy', 'sell', 'dividend_reinvest', 'deposit', 'withdrawal', 'fee', 'dividend'] as const;
export type Columns = Readonly<Record<(typeof COLUMN_NAMES)[number], number>>;

/**
 * The fields of the current record as ranges [start, end) of the file text, by column (CSV) or
 * by field slot (JSON); nothing is copied until asked for. An absent field has an empty range.
 */
export class Cells {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  private readonly last: (string | undefined)[];

  constructor(
    readonly text: string,
    size: number,
    private readonly pool: Interner,
  ) {
    this.starts = new Int32Array(size);
    this.ends = new Int32Array(size);
    this.last = new Array<string | undefined>(size).fill(undefined);
  }

  start(k: number): number {
    return this.starts[k] as number;
  }

  end(k: number): number {
    return this.ends[k] as number;
  }

  empty(k: number): boolean {
    return k < 0 || this.end(k) === this.start(k);
  }

  /** The cell as a string shared with every equal cell of the file (the column's last value tried first). */
  interned(k: number): string {
    if (k < 0) return '';
    const start = this.start(k);
    const length = this.end(k) - start;
    const last = this.last[k];
    if (last !== undefined && last.length === length && this.text.startsWith(last, start)) return last;
    const s = this.pool.get(this.text, start, start + length);
    this.last[k] = s;
    return s;
  }

  raw(k: number): string {
    return k < 0 ? '' : this.text.slice(this.start(k), this.end(k));
  }

  /** No surrounding spaces: the direct path leaves trimming to the generic decoder. */
  plain(k: number): boolean {
    const s = this.start(k);
    const e = this.end(k);
    return e > s && this.text.charCodeAt(s) !== 32 && this.text.charCodeAt(e - 1) !== 32;
  }
}

/**
 * Per action of the direct path, the columns that must be empty for a row to be decoded there (a
 * value in one is an error the generic decoder reports: e.g. an `amount` on a buy).
 */
export function emptyColumnsByAction(fields: readonly (string | undefined)[]): ReadonlyMap<string, readonly number[]> {
  const out = new Map<string, number[]>();
  for (const action of DIRECT_ACTIONS) {
    const allowed = new Set<string>(['id', 'date', 'account', 'action', ...FIELDS_OF[action]]);
    out.set(action, fields.flatMap((f, k) => (f !== undefined && !allowed.has(f) ? [k] : [])));
  }
  return out;
}

function number<U extends 'shares' | 'price' | 'usd'>(cells: Cells, k: number, unit: U) {
  return k < 0 ? undefined : tryExactAt(unit, cells.text, cells.start(k), cells.end(k));
}

/** The event for a clean record of a common action, or undefined to let the generic decoder judge it. */
export function direct(cells: Cells, c: Columns, mustBeEmpty: ReadonlyMap<string, readonly number[]>, file: string, row: number): LedgerEvent | undefined {
  if (!cells.empty(c.lotMethod) || !cells.empty(c.lots) || c.date < 0 || c.account < 0 || c.action < 0) return undefined;
  const date = parseDayAt(cells.text, cells.start(c.date), cells.end(c.date));
  if (date === undefined || !cells.plain(c.account) || (!cells.empty(c.id) && !cells.plain(c.id))) return undefined;
  const action = cells.interned(c.action);
  const empty = mustBeEmpty.get(action);
  if (empty === undefined) return undefined;
  for (const k of empty) if (!cells.empty(k)) return undefined;
  const id = eventId(cells.empty(c.id) ? `row${row}` : cells.raw(c.id));
  const account = accountId(cells.interned(c.account));
  const fees = cells.empty(c.fees) ? (0 as Usd) : number(cells, c.fees, 'usd');
  if (fees === undefined) return undefined;
  switch (action) {
    case 'buy':
    case 'sell':
    case 'dividend_reinvest': {
      const shares = number(cells, c.shares, 'shares');
      const price = number(cells, c.price, 'price');
      if (c.symbol < 0 || !cells.plain(c.symbol) || shares === undefined || price === undefined) return undefined;
      return { id, date, account, file, row, kind: action, symbol: symbol(cells.interned(c.symbol)), shares, price, fees };
    }
    case 'deposit':
    case 'withdrawal':
    case 'fee': {
      const amount = number(cells, c.amount, 'usd');
      if (amount === undefined) return undefined;
      return { id, date, account, file, row, kind: action, amount };
    }
    case 'dividend': {
      const amount = number(cells, c.amount, 'usd');
      if (c.symbol < 0 || !cells.plain(c.symbol) || amount === undefined) return undefined;
      return { id, date, account, file, row, kind: 'dividend', symbol: symbol(cells.interned(c.symbol)), amount };
    }
    default:
      return undefined;
  }
}
