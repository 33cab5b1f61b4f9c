/**
 * CSV tables of a case (accounts, securities, and quoted transaction files) read with csv-parse,
 * each record keyed by its column name as written and carrying its line number. Empty cells are
 * absent fields. The large unquoted transactions file has its own decoder (transactionsCsv.ts);
 * both check the header the same way (checkHeader): the delimiter is a comma, every column is a
 * known field (camelCase or snake_case) or the user's own `x_` column, none is given twice, and
 * the columns a row cannot do without are there.
 */
import { parse } from 'csv-parse/sync';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';
import { camelField, isExtraField, unknownFieldIssue } from './fieldNames.js';
import { readInputText } from './inputText.js';

export interface TableRow {
  /** Cells by column name as written in the header (user's own x_ columns left out). */
  readonly record: Record<string, string>;
  /** 1-based line number in the file. */
  readonly line: number;
}

export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly TableRow[];
}

/** What a table's columns may be: known fields (camelCase), aliases, and the ones every row needs. */
export interface ColumnSpec {
  readonly known: readonly string[];
  readonly aliases?: Readonly<Record<string, string>>;
  readonly required?: readonly string[];
  /** What one row is, for messages: "one row per transaction". */
  readonly rowsAre: string;
}

/** A column's canonical field name, or undefined when the column is the user's own. */
export function columnField(name: string, spec: ColumnSpec): string | undefined {
  if (isExtraField(name.trim())) return undefined;
  const camel = camelField(name);
  return spec.aliases?.[camel] ?? camel;
}

/** The first line of a file that is not empty. */
function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return (end === -1 ? text : text.slice(0, end)).replace(/\r$/, '');
}

/** A header written with semicolons or tabs: said once, instead of one "is required" per cell. */
export function delimiterIssue(header: string, file: string): Issue | undefined {
  if (header.includes(',')) return undefined;
  const found = header.includes(';') ? 'semicolons' : header.includes('\t') ? 'tabs' : undefined;
  if (found === undefined) return undefined;
  return issue('PARSE', `the columns are separated by ${found}; Lotsmith reads comma-separated files (export or save the file as CSV with commas)`, { file, row: 1 });
}

/**
 * The header's problems: an empty file, unknown columns (with a suggestion), a column given twice
 * under two spellings, a missing required column. Row 1 is the header.
 */
export function checkHeader(text: string, header: readonly string[], spec: ColumnSpec, file: string): Issue[] {
  if (text.trim().length === 0) {
    return [issue('PARSE', `the file is empty: expected a header row (${[...(spec.required ?? spec.known)].join(',')}) and ${spec.rowsAre}`, { file })];
  }
  const delimiter = delimiterIssue(firstLine(text), file);
  if (delimiter !== undefined) return [delimiter];
  const out: Issue[] = [];
  const seen = new Map<string, string>();
  for (const written of header) {
    const field = columnField(written, spec);
    if (field === undefined) continue;
    const name = written.trim();
    if (!spec.known.includes(field)) {
      out.push(unknownFieldIssue(name, spec.known, { file, row: 1, field: name }));
      continue;
    }
    const first = seen.get(field);
    if (first !== undefined) out.push(issue('BAD_VALUE', `the column is given twice, as "${first}" and "${name}"`, { file, row: 1, field: name }));
    seen.set(field, name);
  }
  for (const r of spec.required ?? []) {
    if (!seen.has(r)) out.push(issue('MISSING_FIELD', `missing column: the header must name ${[...(spec.required ?? [])].join(', ')}`, { file, row: 1, field: r }));
  }
  return out;
}

/** The line of the quote that opens a field never closed (csv-parse reports the end of the file). */
function unclosedQuoteLine(text: string): number | undefined {
  let line = 1;
  let open: number | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 34) {
      if (open === undefined) open = line;
      else if (text.charCodeAt(i + 1) === 34) i++;
      else open = undefined;
    }
  }
  return open;
}

export function parseTableText(text: string, file: string, spec: ColumnSpec): Result<Table> {
  let header: string[] = [];
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(text, {
      columns: (h: string[]) => {
        header = h;
        return h.map((c) => c.trim());
      },
      skip_empty_lines: true,
      trim: true,
      info: true,
      relax_column_count: false,
    }) as typeof rows;
  } catch (err) {
    const e = err as Error & { lines?: number; code?: string };
    const delimiter = delimiterIssue(firstLine(text), file);
    if (delimiter !== undefined) return { ok: false, issues: [delimiter] };
    const row = e.code === 'CSV_QUOTE_NOT_CLOSED' ? unclosedQuoteLine(text) : e.lines;
    const message = e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is opened on this line and never closed' : e.message;
    return { ok: false, issues: [issue('PARSE', `not valid CSV: ${message}`, { file, ...(row !== undefined ? { row } : {}) })] };
  }
  const problems = checkHeader(text, header, spec, file);
  if (problems.length > 0) return { ok: false, issues: problems };
  const keep = header.map((h) => columnField(h, spec) !== undefined);
  return {
    ok: true,
    value: { header: header.map((h) => h.trim()), rows: rows.map((r) => ({ record: withoutEmpty(r.record, header, keep), line: r.info.lines })) },
  };
}

/** An empty cell means the field is absent, as in the transactions file. */
function withoutEmpty(record: Record<string, string>, header: readonly string[], keep: readonly boolean[]): Record<string, string> {
  const out: Record<string, string> = {};
  header.forEach((h, k) => {
    const name = h.trim();
    const v = record[name];
    if (keep[k] === true && v !== undefined && v !== '') out[name] = v;
  });
  return out;
}

/** The rows keyed by canonical field name (`fill_id` and `fillId` both read as `fillId`). */
export function rowsByField(table: Table, spec: ColumnSpec): TableRow[] {
  const fields = table.header.map((h) => columnField(h, spec));
  return table.rows.map((r) => {
    const record: Record<string, string> = {};
    table.header.forEach((h, k) => {
      const field = fields[k];
      const v = r.record[h];
      if (field !== undefined && v !== undefined) record[field] = v;
    });
    return { record, line: r.line };
  });
}

export function readTable(path: string, spec: ColumnSpec): Result<Table> {
  const text = readInputText(path);
  return text.ok ? parseTableText(text.value, path, spec) : text;
}
