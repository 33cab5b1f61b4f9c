/**
 * The transactions CSV, decoded for size: a household's history can run to millions of rows.
 *
 * Rows of the common actions (buy, sell, reinvested dividend, cash dividend, deposit, withdrawal,
 * fee) with no lot selection are decoded straight from their cells into events. Every other row —
 * and any common row the direct path cannot decode cleanly — goes through the generic record
 * decoder, so both paths accept the same rows and report problems in the same words (a property
 * test holds them equal). Files with quoted fields are read by csv-parse first.
 *
 * Example row: `2025-01-06,brokerage,buy,X,100,10.00,0,,` -> Buy { shares 100, price 10, fees 0 }.
 */
import { parseDayAt } from '../../core/kernel/calendar.js';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';
import type { LedgerEvent } from '../../core/ledger/events.js';
import { tryExactAt, type Usd } from '../../core/kernel/exact.js';
import { accountId, eventId, symbol } from '../../core/ledger/household.js';
import { parseTableText } from './csvTables.js';
import { canonicalField, decodeEvent, type RawEvent } from './eventRecord.js';

export interface DecodedTransactions {
  readonly events: LedgerEvent[];
  readonly issues: Issue[];
}

export function decodeTransactionsText(text: string, file: string): Result<DecodedTransactions> {
  if (text.includes('"')) {
    const rows = parseTableText(text, file);
    if (!rows.ok) return rows;
    const out: DecodedTransactions = { events: [], issues: [] };
    for (const r of rows.value) generic(r.record, file, r.line, out);
    return { ok: true, value: out };
  }
  const headerEnd = lineEnd(text, 0);
  const header = text.slice(0, headerEnd).replace(/\r$/, '').split(',').map(canonicalField);
  const columns = Object.fromEntries(COLUMN_NAMES.map((n) => [n, header.indexOf(n)])) as Columns;
  const out: DecodedTransactions = { events: [], issues: [] };
  const starts = new Int32Array(header.length + 1);
  const cells = new Cells(text, starts, new Interner());
  let row = 1;
  for (let pos = headerEnd + 1; pos < text.length; ) {
    row++;
    let end = lineEnd(text, pos);
    const next = end + 1;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    if (end === pos || text.slice(pos, end).trim().length === 0) {
      pos = next;
      continue;
    }
    let commas = 0;
    starts[0] = pos;
    for (let c = text.indexOf(',', pos); c !== -1 && c < end && commas < header.length; c = text.indexOf(',', c + 1)) starts[++commas] = c + 1;
    if (commas !== header.length - 1) {
      const found = text.slice(pos, end).split(',').length;
      return { ok: false, issues: [issue('PARSE', `expected ${header.length} columns as in the header, found ${found}`, { file, row })] };
    }
    starts[header.length] = end + 1;
    const event = direct(cells, columns, file, row);
    if (event !== undefined) out.events.push(event);
    else generic(toRecord(header, cells), file, row, out);
    pos = next;
  }
  return { ok: true, value: out };
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i === -1 ? text.length : i;
}

const COLUMN_NAMES = ['id', 'date', 'account', 'action', 'symbol', 'shares', 'price', 'fees', 'amount', 'lotMethod', 'lots'] as const;
type Columns = Readonly<Record<(typeof COLUMN_NAMES)[number], number>>;

/**
 * Repeated cell values (accounts, symbols, actions) as one shared string each: no copy per row,
 * and map lookups keyed by them hash once. Keys are FNV-1a hashes of the characters, checked.
 */
class Interner {
  private readonly buckets = new Map<number, string[]>();

  get(text: string, start: number, end: number): string {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    const bucket = this.buckets.get(h);
    if (bucket !== undefined) {
      for (const s of bucket) if (s.length === end - start && text.startsWith(s, start)) return s;
    }
    const s = text.slice(start, end);
    if (bucket !== undefined) bucket.push(s);
    else this.buckets.set(h, [s]);
    return s;
  }
}

/** The cells of the current row as ranges of the file text; nothing is copied until asked for. */
class Cells {
  constructor(
    readonly text: string,
    private readonly starts: Int32Array,
    private readonly pool: Interner,
  ) {}

  start(k: number): number {
    return this.starts[k] as number;
  }

  end(k: number): number {
    return (this.starts[k + 1] as number) - 1;
  }

  empty(k: number): boolean {
    return k < 0 || this.end(k) === this.start(k);
  }

  /** The cell as a string shared with every equal cell of the file. */
  interned(k: number): string {
    return k < 0 ? '' : this.pool.get(this.text, this.start(k), this.end(k));
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

function toRecord(header: readonly string[], cells: Cells): RawEvent {
  const record: Record<string, string> = {};
  for (let k = 0; k < header.length; k++) record[header[k] as string] = cells.raw(k).trim();
  return record;
}

function generic(record: RawEvent, file: string, row: number, out: DecodedTransactions): void {
  const d = decodeEvent(record, { file, row }, `row${row}`);
  if (d.ok) out.events.push(d.event);
  else out.issues.push(...d.issues);
}

function number<U extends 'shares' | 'price' | 'usd'>(cells: Cells, k: number, unit: U) {
  return k < 0 ? undefined : tryExactAt(unit, cells.text, cells.start(k), cells.end(k));
}

/** The event for a clean row of a common action, or undefined to let the generic decoder judge it. */
function direct(cells: Cells, c: Columns, file: string, row: number): LedgerEvent | undefined {
  if (!cells.empty(c.lotMethod) || !cells.empty(c.lots) || c.date < 0 || c.account < 0 || c.action < 0) return undefined;
  const date = parseDayAt(cells.text, cells.start(c.date), cells.end(c.date));
  if (date === undefined || !cells.plain(c.account)) return undefined;
  const id = eventId(cells.empty(c.id) ? `row${row}` : cells.raw(c.id));
  const account = accountId(cells.interned(c.account));
  const action = cells.interned(c.action);
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
