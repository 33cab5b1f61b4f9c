/**
 * CSV tables of a case (accounts, securities, and quoted transaction files) read with csv-parse,
 * each record keyed by canonical field names and carrying its line number. Empty cells are absent
 * fields. The large unquoted transactions file has its own decoder (transactionsCsv.ts).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { issue, type Result } from '../../core/kernel/errors.js';
import { canonicalField } from './eventRecord.js';

export interface TableRow {
  readonly record: Record<string, string>;
  /** 1-based line number in the file. */
  readonly line: number;
}

export function readText(path: string): Result<string> {
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
