/**
 * One price file (TICKER.csv) to a PriceSeries, with every bad row reported by file, line and
 * field. Accepted headers (docs/prices.md), extra columns such as open/high/low/volume ignored:
 *
 *   date,close,adj_close,dividend,split   the shared data set; split is informational only
 *   date,close[,dividend][,split]          adj_close derived from close and dividends
 *   date,adj_close                         total-return only: close and dividend unknown (NaN)
 *   date,raw_close,split[,dividend]        as-traded closes, declared raw: Lotsmith split-adjusts them
 *
 * `close` always means split-adjusted. A `close` that falls by the split ratio on a split row is
 * reported: the file is really raw and would create fake losses of 50-67 %.
 *
 * Example: "date,adj_close\n2012-10-24,31.83489\n" gives an adj_only series of one day whose
 * close is NaN.
 */
import { parseDay, formatDay, type Day } from '../../core/kernel/calendar.js';
import { issue, type Issue, type IssueCode } from '../../core/kernel/errors.js';
import type { Symbol } from '../../core/ledger/household.js';
import { totalReturnFromCloses, type PriceSeries } from '../../core/market/prices.js';
import { splitAdjust } from '../../core/market/shareUnits.js';

const ALIASES: Readonly<Record<string, string>> = {
  adjclose: 'adj_close',
  adjusted_close: 'adj_close',
  dividends: 'dividend',
  splits: 'split',
  stock_splits: 'split',
  unadjusted_close: 'raw_close',
  close_unadjusted: 'raw_close',
};

/** A file with more bad rows than this is misformatted as a whole; listing them all helps no one. */
const MAX_ISSUES_PER_FILE = 20;

function canonical(header: string): string {
  const k = header.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return ALIASES[k] ?? k;
}

interface Columns {
  readonly days: number[];
  /** 1-based line of each row, for messages about rows found after parsing. */
  readonly lines: number[];
  readonly values: Map<string, number[]>;
}

export interface ParsedPrices {
  readonly series?: PriceSeries;
  readonly issues: readonly Issue[];
}

const NUMERIC = ['close', 'raw_close', 'adj_close', 'dividend', 'split'] as const;

/** Parses the text of one price file; `series` is present only when there are no issues. */
export function parsePriceCsv(text: string, file: string, symbol: Symbol): ParsedPrices {
  const lines = text.split('\n');
  const header = (lines[0] ?? '').replace(/^\uFEFF/, '').replace(/\r$/, '').split(',').map(canonical);
  const layout = checkHeader(header, file);
  if (layout.length > 0) return { issues: layout };
  const issues: Issue[] = [];
  const cols = readRows(lines, header, file, issues);
  if (issues.length === 0 && cols.days.length === 0) issues.push(issue('MISSING_FIELD', 'no price rows after the header', { file }));
  if (issues.length > 0) return { issues: capped(issues, file) };
  return toSeries(cols, file, symbol);
}

function checkHeader(header: readonly string[], file: string): Issue[] {
  const has = (c: string): boolean => header.includes(c);
  const at = { file, row: 1 };
  if (header[0] !== 'date') return [issue('MISSING_FIELD', `the first column must be "date", found "${header[0] ?? ''}"`, { ...at, field: 'date' })];
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup !== undefined) return [issue('BAD_VALUE', `column "${dup}" appears twice`, { ...at, field: dup })];
  if (has('close') && has('raw_close')) {
    return [issue('BAD_VALUE', 'a file has either close (split-adjusted) or raw_close (as traded), not both', { ...at, field: 'raw_close' })];
  }
  if (has('raw_close') && !has('split')) {
    return [issue('MISSING_FIELD', 'raw_close needs a split column to be adjusted; if the closes are already split-adjusted, name the column close', { ...at, field: 'split' })];
  }
  if (!has('close') && !has('raw_close') && !has('adj_close')) {
    return [issue('MISSING_FIELD', 'a price file needs a close, raw_close or adj_close column (see docs/prices.md)', { ...at, field: 'close' })];
  }
  return [];
}

function readRows(lines: readonly string[], header: readonly string[], file: string, issues: Issue[]): Columns {
  const days: number[] = [];
  const rows: number[] = [];
  const values = new Map<string, number[]>(NUMERIC.filter((c) => header.includes(c)).map((c) => [c, []]));
  for (let i = 1; i < lines.length && issues.length <= MAX_ISSUES_PER_FILE; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    if (line.trim().length === 0) continue;
    const row = i + 1;
    const cells = line.split(',');
    if (cells.length !== header.length) {
      issues.push(issue('PARSE', `expected ${header.length} columns as in the header, found ${cells.length}`, { file, row }));
      continue;
    }
    const day = readDay(cells[0] as string, days, file, row, issues);
    if (day !== undefined) days.push(day);
    rows.push(row);
    for (const [c, out] of values) out.push(readNumber(c, cells[header.indexOf(c)] as string, file, row, issues));
  }
  return { days, lines: rows, values };
}

function readDay(cell: string, days: readonly number[], file: string, row: number, issues: Issue[]): Day | undefined {
  const d = parseDay(cell.trim());
  if (d === undefined) {
    issues.push(issue('BAD_DATE', `"${cell}" is not a date in YYYY-MM-DD form`, { file, row, field: 'date' }));
    return undefined;
  }
  const prev = days[days.length - 1];
  if (prev !== undefined && d <= prev) {
    issues.push(issue('OUT_OF_ORDER', `dates must be strictly ascending: ${formatDay(d)} follows ${formatDay(prev as Day)}`, { file, row, field: 'date' }));
    return undefined;
  }
  return d;
}

function readNumber(column: string, cell: string, file: string, row: number, issues: Issue[]): number {
  const text = cell.trim();
  const v = text === '' ? Number.NaN : Number(text);
  const bad = (code: IssueCode, message: string): number => {
    issues.push(issue(code, message, { file, row, field: column }));
    return Number.NaN;
  };
  if (!Number.isFinite(v)) return bad('BAD_NUMBER', `"${cell}" is not a finite number`);
  // Yahoo's "Stock Splits" column writes 0 on days without a split.
  if (column === 'split' && v === 0) return 1;
  if (column === 'dividend' ? v < 0 : v <= 0) return bad(column === 'dividend' ? 'BAD_VALUE' : 'NOT_POSITIVE', `must be ${column === 'dividend' ? 'zero or more' : 'positive'}, got ${text}`);
  return v;
}

function capped(issues: Issue[], file: string): Issue[] {
  if (issues.length <= MAX_ISSUES_PER_FILE) return issues;
  return [...issues.slice(0, MAX_ISSUES_PER_FILE), issue('PARSE', `more problems not listed; first ${MAX_ISSUES_PER_FILE} shown`, { file })];
}

function toSeries(cols: Columns, file: string, symbol: Symbol): ParsedPrices {
  const n = cols.days.length;
  const col = (c: string): Float64Array | undefined => {
    const v = cols.values.get(c);
    return v === undefined ? undefined : Float64Array.from(v);
  };
  const days = Int32Array.from(cols.days);
  const zeros = new Float64Array(n);
  const split = col('split') ?? new Float64Array(n).fill(1);
  const adj = col('adj_close');
  let close = col('close');
  let dividend = col('dividend');
  const raw = col('raw_close');
  if (raw !== undefined) ({ close, dividend } = splitAdjust(raw, dividend ?? zeros, split));
  if (close === undefined) {
    const unknown = new Float64Array(n).fill(Number.NaN);
    return { series: { symbol, days, close: unknown, dividend: unknown, adjClose: adj as Float64Array, split, source: 'adj_only' }, issues: [] };
  }
  const issues = raw === undefined ? unadjustedSplits(days, close, split, file, cols.lines) : [];
  if (issues.length > 0) return { issues };
  const div = dividend ?? zeros;
  return { series: { symbol, days, close, dividend: div, adjClose: adj ?? totalReturnFromCloses(close, div), split, source: 'full' }, issues: [] };
}

/** Rows where a split-adjusted close nevertheless moves by the split ratio: the file is raw. */
function unadjustedSplits(days: Int32Array, close: Float64Array, split: Float64Array, file: string, lines: readonly number[]): Issue[] {
  const out: Issue[] = [];
  for (let i = 1; i < close.length; i++) {
    const ratio = split[i] as number;
    if (ratio === 1) continue;
    const move = (close[i] as number) / (close[i - 1] as number);
    if (Math.abs(move * ratio - 1) < 0.25 && Math.abs(move - 1) > 0.25) {
      out.push(
        issue(
          'BAD_VALUE',
          `close moves by the split ratio ${ratio} on ${formatDay(days[i] as Day)} (${(move * 100 - 100).toFixed(1)} %): the closes look unadjusted. ` +
            'Lotsmith expects split-adjusted closes; name the column raw_close to have Lotsmith adjust them',
          { file, row: lines[i] as number, field: 'close' },
        ),
      );
    }
  }
  return out;
}
