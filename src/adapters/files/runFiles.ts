/**
 * Files of the daily run: a day's closes (`symbol,close[,dividend,split]`, for one date given on
 * the command line) and a custodian's fills (`proposal,line,date,shares,price[,fees][,fill_id]`).
 * Every bad cell is reported with file, line and column; nothing is returned unless all parsed.
 */
import { createHash } from 'node:crypto';
import type { FillReport } from '../../app/proposals.js';
import type { PriceRecord } from '../../app/runPorts.js';
import { parseDay, type Day } from '../../core/kernel/calendar.js';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';
import { exact, type Unit } from '../../core/kernel/exact.js';
import { symbol } from '../../core/ledger/household.js';
import { readTable, rowsByField, type ColumnSpec, type TableRow } from './csvTables.js';

/** The file's rows keyed by field; its header checked by the rule of every CSV input (csvTables.ts). */
function table(path: string, required: readonly string[], optional: readonly string[]): Result<TableRow[]> {
  const spec: ColumnSpec = { known: [...required, ...optional], required, rowsAre: 'one row per line' };
  const t = readTable(path, spec);
  if (!t.ok) return t;
  if (t.value.rows.length === 0) return { ok: false, issues: [issue('PARSE', `no rows: the file needs a header (${required.join(',')}) and one row per line`, { file: path, row: 2 })] };
  return { ok: true, value: rowsByField(t.value, spec) };
}

function cell<U extends Unit>(row: TableRow, file: string, field: string, unit: U, issues: Issue[], fallback?: string) {
  const text = row.record[field] ?? fallback;
  if (text === undefined || text === '') {
    issues.push(issue('MISSING_FIELD', 'is required', { file, row: row.line, field }));
    return undefined;
  }
  const r = exact(unit, text);
  if (!r.ok) issues.push(issue('BAD_NUMBER', r.reason, { file, row: row.line, field }));
  return r.ok ? r.value : undefined;
}

export function readDayPrices(path: string, date: Day): Result<PriceRecord[]> {
  const rows = table(path, ['symbol', 'close'], ['dividend', 'split']);
  if (!rows.ok) return rows;
  const issues: Issue[] = [];
  const out: PriceRecord[] = [];
  const seen = new Set<string>();
  for (const row of rows.value) {
    const sym = (row.record['symbol'] ?? '').trim().toUpperCase();
    if (sym === '') issues.push(issue('MISSING_FIELD', 'is required', { file: path, row: row.line, field: 'symbol' }));
    else if (seen.has(sym)) issues.push(issue('DUPLICATE_ID', `${sym} is listed twice`, { file: path, row: row.line, field: 'symbol' }));
    seen.add(sym);
    const close = cell(row, path, 'close', 'price', issues);
    const dividend = cell(row, path, 'dividend', 'price', issues, '0');
    const split = row.record['split'] ?? '1';
    if (!/^\d+(\.\d+)?$/.test(split) || Number(split) <= 0) issues.push(issue('BAD_NUMBER', `"${split}" is not a positive ratio`, { file: path, row: row.line, field: 'split' }));
    if (close !== undefined && close <= 0) issues.push(issue('NOT_POSITIVE', 'must be positive', { file: path, row: row.line, field: 'close' }));
    if (sym !== '' && close !== undefined && dividend !== undefined) out.push({ symbol: symbol(sym), date, close, dividend, split });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: out };
}

export function readFills(path: string): Result<FillReport[]> {
  const rows = table(path, ['proposal', 'line', 'date', 'shares', 'price'], ['fees', 'fillId']);
  if (!rows.ok) return rows;
  const issues: Issue[] = [];
  const out: FillReport[] = [];
  const occurrences = new Map<string, number>();
  for (const row of rows.value) {
    const r = row.record;
    const at = { file: path, row: row.line };
    const proposal = (r['proposal'] ?? '').trim();
    if (proposal === '') issues.push(issue('MISSING_FIELD', 'is required', { ...at, field: 'proposal' }));
    const line = Number(r['line']);
    if (!Number.isInteger(line) || line < 0) issues.push(issue('BAD_NUMBER', `"${r['line'] ?? ''}" is not a line number`, { ...at, field: 'line' }));
    const date = parseDay((r['date'] ?? '').trim());
    if (date === undefined) issues.push(issue('BAD_DATE', `"${r['date'] ?? ''}" is not a date in YYYY-MM-DD form`, { ...at, field: 'date' }));
    const shares = cell(row, path, 'shares', 'shares', issues);
    const price = cell(row, path, 'price', 'price', issues);
    const fees = cell(row, path, 'fees', 'usd', issues, '0');
    if (shares !== undefined && shares <= 0) issues.push(issue('NOT_POSITIVE', 'must be positive', { ...at, field: 'shares' }));
    if (proposal === '' || date === undefined || shares === undefined || price === undefined || fees === undefined || !Number.isInteger(line)) continue;
    // Without the custodian's execution id, a fill is known by its content and its occurrence.
    const content = `${proposal}|${line}|${r['date']}|${r['shares']}|${r['price']}|${r['fees'] ?? ''}`;
    const n = (occurrences.get(content) ?? 0) + 1;
    occurrences.set(content, n);
    const key = r['fillId'] !== undefined && r['fillId'] !== '' ? `id:${r['fillId']}` : `row:${createHash('sha256').update(`${content}|${n}`).digest('hex').slice(0, 16)}`;
    out.push({ key, proposal, line, date, shares, price, fees, source: at });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: out };
}
