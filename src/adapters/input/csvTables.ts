/**
 * CSV reading for case files. Small tables (accounts, securities) go through csv-parse. The
 * transactions file can hold millions of rows, so files without quoted fields — what ledgers
 * and our own exports write — take a direct line/comma split, which is several times faster;
 * any file with a quote character goes through csv-parse. Both paths yield the same records
 * (a test holds them equal).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { issue, type Result } from '../../core/errors.js';
import { canonicalField, type RawEvent } from './eventRecord.js';

export interface TableRow {
  readonly record: Record<string, string>;
  /** 1-based line number in the file. */
  readonly line: number;
}

function readText(path: string): Result<string> {
  try {
    const text = readFileSync(path, 'utf8');
    return { ok: true, value: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (err) {
    return { ok: false, issues: [issue('PARSE', `cannot read: ${(err as Error).message}`, { file: path })] };
  }
}

export function parseTableText(text: string, file: string): Result<TableRow[]> {
  try {
    const rows = parse(text, { columns: (h: string[]) => h.map(canonicalField), skip_empty_lines: true, trim: true, info: true, relax_column_count: false }) as {
      record: Record<string, string>;
      info: { lines: number };
    }[];
    return { ok: true, value: rows.map((r) => ({ record: withoutEmpty(r.record), line: r.info.lines })) };
  } catch (err) {
    const e = err as Error & { lines?: number };
    return { ok: false, issues: [issue('PARSE', `not valid CSV: ${e.message}`, { file, ...(e.lines !== undefined ? { row: e.lines } : {}) })] };
  }
}

/** An empty cell means the field is absent, as in the transactions file. */
function withoutEmpty(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) if (v !== '') out[k] = v;
  return out;
}

export function readTableCsv(path: string): Result<TableRow[]> {
  const text = readText(path);
  return text.ok ? parseTableText(text.value, path) : text;
}

export interface TransactionRows {
  readonly records: RawEvent[];
  readonly lines: number[];
}

export function parseTransactionsText(text: string, file: string): Result<TransactionRows> {
  if (text.includes('"')) {
    const rows = parseTableText(text, file);
    if (!rows.ok) return rows;
    return { ok: true, value: { records: rows.value.map((r) => r.record), lines: rows.value.map((r) => r.line) } };
  }
  const lines = text.split('\n');
  const header = (lines[0] ?? '').replace(/\r$/, '').split(',').map(canonicalField);
  const records: RawEvent[] = [];
  const lineNumbers: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    let line = lines[i] as string;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim().length === 0) continue;
    const cells = line.split(',');
    if (cells.length !== header.length) {
      return {
        ok: false,
        issues: [issue('PARSE', `expected ${header.length} columns as in the header, found ${cells.length}`, { file, row: i + 1 })],
      };
    }
    const record: Record<string, string> = {};
    for (let c = 0; c < header.length; c++) record[header[c] as string] = (cells[c] as string).trim();
    records.push(record);
    lineNumbers.push(i + 1);
  }
  return { ok: true, value: { records, lines: lineNumbers } };
}

export function readTransactionsCsv(path: string): Result<TransactionRows> {
  const text = readText(path);
  return text.ok ? parseTransactionsText(text.value, path) : text;
}
