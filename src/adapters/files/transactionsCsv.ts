/**
 * The transactions CSV, decoded for size: a household's history can run to millions of rows.
 *
 * Rows of the common actions with no lot selection are decoded straight from their cells into
 * events (directEvent.ts). Every other row — and any common row the direct path cannot decode
 * cleanly — goes through the generic record decoder, so both paths accept the same rows and
 * report problems in the same words. Files with quoted fields are read by csv-parse first. The
 * header is checked first (csvTables.ts: known fields, the user's own x_ columns, the delimiter).
 *
 * Example row: `2025-01-06,brokerage,buy,X,100,10.00,0,,` -> Buy { shares 100, price 10, fees 0 }.
 */
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';
import type { LedgerEvent } from '../../core/ledger/events.js';
import { Interner } from './interner.js';
import { Cells, COLUMN_NAMES, direct, emptyColumnsByAction, type Columns } from './directEvent.js';
import { checkHeader, columnField, parseTableText, type ColumnSpec } from './csvTables.js';
import { EVENT_FIELD_ALIASES, EVENT_FIELDS } from './eventFields.js';
import { EventDecoder, type RawEvent } from './eventRecord.js';

export interface DecodedTransactions {
  readonly events: LedgerEvent[];
  readonly issues: Issue[];
}

/** The transactions file's columns: every event field, snake_case or camelCase, plus the user's own x_ columns. */
export const TRANSACTION_COLUMNS: ColumnSpec = {
  known: EVENT_FIELDS,
  aliases: EVENT_FIELD_ALIASES,
  required: ['date', 'account', 'action'],
  rowsAre: 'one row per transaction',
};

function noRows(file: string): Result<DecodedTransactions> {
  return { ok: false, issues: [issue('PARSE', 'no transactions: the header is followed by no rows (one row per transaction)', { file, row: 2 })] };
}

export function decodeTransactionsText(text: string, file: string): Result<DecodedTransactions> {
  const decoder = new EventDecoder();
  if (text.includes('"')) {
    const table = parseTableText(text, file, TRANSACTION_COLUMNS);
    if (!table.ok) return table;
    if (table.value.rows.length === 0) return noRows(file);
    const out: DecodedTransactions = { events: [], issues: [] };
    for (const r of table.value.rows) generic(decoder, r.record, file, r.line, out);
    return { ok: true, value: out };
  }
  const headerEnd = lineEnd(text, 0);
  const written = text.slice(0, headerEnd).replace(/\r$/, '').split(',').map((h) => h.trim());
  const problems = checkHeader(text, written, TRANSACTION_COLUMNS, file);
  if (problems.length > 0) return { ok: false, issues: problems };
  const fields = written.map((h) => columnField(h, TRANSACTION_COLUMNS));
  const columns = Object.fromEntries(COLUMN_NAMES.map((n) => [n, fields.indexOf(n)])) as Columns;
  const mustBeEmpty = emptyColumnsByAction(fields);
  const out: DecodedTransactions = { events: [], issues: [] };
  const cells = new Cells(text, written.length, new Interner());
  const { starts, ends } = cells;
  let row = 1;
  let rows = 0;
  for (let pos = headerEnd + 1; pos < text.length; ) {
    row++;
    let end = lineEnd(text, pos);
    const next = end + 1;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    if (end === pos || text.slice(pos, end).trim().length === 0) {
      pos = next;
      continue;
    }
    rows++;
    let commas = 0;
    starts[0] = pos;
    for (let c = text.indexOf(',', pos); c !== -1 && c < end && commas < written.length; c = text.indexOf(',', c + 1)) {
      ends[commas] = c;
      if (++commas < written.length) starts[commas] = c + 1;
    }
    if (commas !== written.length - 1) {
      const found = text.slice(pos, end).split(',').length;
      return { ok: false, issues: [issue('PARSE', `expected ${written.length} columns as in the header, found ${found}`, { file, row })] };
    }
    ends[commas] = end;
    const event = direct(cells, columns, mustBeEmpty, file, row);
    if (event !== undefined) out.events.push(event);
    else generic(decoder, toRecord(written, fields, cells), file, row, out);
    pos = next;
  }
  if (rows === 0) return noRows(file);
  return { ok: true, value: out };
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i === -1 ? text.length : i;
}

/** The row keyed by the header as written; the user's own x_ columns and empty cells left out. */
function toRecord(header: readonly string[], fields: readonly (string | undefined)[], cells: Cells): RawEvent {
  const record: Record<string, string> = {};
  for (let k = 0; k < header.length; k++) {
    if (fields[k] === undefined) continue;
    const v = cells.raw(k).trim();
    if (v !== '') record[header[k] as string] = v;
  }
  return record;
}

function generic(decoder: EventDecoder, record: RawEvent, file: string, row: number, out: DecodedTransactions): void {
  const d = decoder.decode(record, { file, row }, `row${row}`);
  if (d.ok) out.events.push(d.event);
  else out.issues.push(...d.issues);
}

