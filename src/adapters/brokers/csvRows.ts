/**
 * Broker CSV files as rows of cells with their line numbers, and headers found by content.
 *
 * Broker exports are not clean tables: title lines, blank lines, rows of bare commas and whole
 * other tables come before the header; trailers, totals and legal text come after the data; rows
 * have a trailing comma in some generations and not in others; line endings are mixed. So the file
 * is read with csv-parse leniently (any column count, any line ending, a BOM dropped), the header
 * is located by the names it must contain, and columns are looked up by name, never by position.
 */
import { parse } from 'csv-parse/sync';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';

export interface CsvRow {
  readonly cells: readonly string[];
  /** 1-based line where the row starts. */
  readonly line: number;
}

export function readCsvRows(text: string, file: string): Result<CsvRow[]> {
  try {
    const records = parse(text, {
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      record_delimiter: ['\r\n', '\n', '\r'],
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    const rows: CsvRow[] = [];
    let previousEnd = 0;
    for (const r of records) {
      rows.push({ cells: r.record, line: previousEnd + 1 });
      previousEnd = r.info.lines;
    }
    return { ok: true, value: rows };
  } catch (err) {
    const e = err as Error & { lines?: number };
    return { ok: false, issues: [issue('PARSE', `not valid CSV: ${e.message}`, { file, ...(e.lines !== undefined ? { row: e.lines } : {}) })] };
  }
}

export function isBlankRow(row: CsvRow): boolean {
  return row.cells.every((c) => c.trim() === '');
}

/** The non-empty cells of a row (a title line, an account label, a footer line). */
export function filledCells(row: CsvRow): string[] {
  return row.cells.map((c) => c.trim()).filter((c) => c !== '');
}

/** Lower case, `($)` and surrounding spaces dropped, inner spaces collapsed: "Price ($)" -> "price". */
export function normalizeName(name: string): string {
  return name.replace(/\(\$\)/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** A column a format reads: its names across generations (normalized spellings). */
export interface ColumnSpec<K extends string> {
  readonly key: K;
  readonly names: readonly string[];
  readonly required?: boolean;
}

export interface Header<K extends string> {
  /** Index of the header row in the rows. */
  readonly at: number;
  readonly line: number;
  readonly index: Readonly<Partial<Record<K, number>>>;
  /** The file's own spelling of each column, for issues. */
  readonly label: Readonly<Partial<Record<K, string>>>;
}

/** A header cell's names: itself, and for `Qty (Quantity)` both "qty" and "quantity". */
function cellNames(cell: string): string[] {
  const n = normalizeName(cell);
  const m = /^(.*?)\s*\((.*)\)$/.exec(n);
  return m === null ? [n] : [n, (m[1] ?? '').trim(), (m[2] ?? '').trim()];
}

export function matchHeader<K extends string>(row: CsvRow, specs: readonly ColumnSpec<K>[], at: number): Header<K> | undefined {
  const index: Partial<Record<K, number>> = {};
  const label: Partial<Record<K, string>> = {};
  const names = row.cells.map(cellNames);
  for (const spec of specs) {
    const k = names.findIndex((ns) => ns.some((n) => spec.names.includes(n)));
    if (k >= 0) {
      index[spec.key] = k;
      label[spec.key] = (row.cells[k] as string).trim();
    } else if (spec.required !== false) {
      return undefined;
    }
  }
  return { at, line: row.line, index, label };
}

/** The first row at or after `from` that holds every required column, by name. */
export function findHeader<K extends string>(rows: readonly CsvRow[], specs: readonly ColumnSpec<K>[], from = 0): Header<K> | undefined {
  for (let i = from; i < rows.length; i++) {
    const h = matchHeader(rows[i] as CsvRow, specs, i);
    if (h !== undefined) return h;
  }
  return undefined;
}

export function missingHeader(file: string, specs: readonly ColumnSpec<string>[]): Issue {
  const wanted = specs.filter((s) => s.required !== false).map((s) => `"${s.names[0] ?? s.key}"`);
  return issue('PARSE', `no header row with the columns ${wanted.join(', ')} was found`, { file });
}
