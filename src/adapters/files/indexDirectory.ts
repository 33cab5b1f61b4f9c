/**
 * A directory describing a stock index for direct indexing, read into an IndexUniverse and a
 * PriceBook. Layout (the shared data set's ../shared/data/sp500, docs/direct-indexing.md):
 *
 *   membership_intervals.csv   ticker,start_date,end_date   (empty end = still a member)
 *   gics_*.csv                 Symbol,Security,GICS Sector,GICS Sub-Industry,...  (the newest by name)
 *   prices/TICKER.csv          date,close,adj_close,dividend,split  (as the ETF prices)
 *
 * Chosen in this order: --index DIR, $LOTSMITH_INDEX, <cwd>/../shared/data/sp500, then
 * <package>/../shared/data/sp500. Every bad row is reported with its file, row and field; a
 * membership file with any bad row is refused as a whole (a partial membership would silently
 * change who is in the index).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { formatDay, parseDay } from '../../core/kernel/calendar.js';
import { issue, type Issue } from '../../core/kernel/errors.js';
import { symbol, type Symbol } from '../../core/ledger/household.js';
import { DEFAULT_SHARE_CLASSES, type IndexUniverse, type MembershipInterval, type SectorEntry } from '../../core/direct/indexUniverse.js';
import type { PriceBook } from '../../core/market/prices.js';
import { loadPriceBook, PACKAGE_ROOT } from './priceDirectory.js';

export const INDEX_ENV = 'LOTSMITH_INDEX';
const SHARED = join('..', 'shared', 'data', 'sp500');
const MEMBERSHIP = 'membership_intervals.csv';

/** The compact real sample in the clone (30 stocks, 2019-01 … 2020-12; provenance in its README). */
export const SAMPLE_INDEX = join(PACKAGE_ROOT, 'test', 'fixtures', 'sp500');

export const INDEX_HELP = [
  'A direct index reads a directory with membership_intervals.csv (ticker,start_date,end_date),',
  'a gics_*.csv sector file and prices/TICKER.csv (see docs/direct-indexing.md). Supply it with',
  `  --index DIR   or   export ${INDEX_ENV}=DIR`,
  'or place the project data set at ../shared/data/sp500 beside the clone.',
].join('\n');

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

export type IndexDirResolution = { readonly ok: true; readonly dir: string } | { readonly ok: false; readonly message: string };

export function resolveIndexDir(q: { flag?: string | undefined; env: Readonly<Record<string, string | undefined>>; cwd: string; packageRoot?: string }): IndexDirResolution {
  const explicit = q.flag ?? (q.env[INDEX_ENV] !== '' ? q.env[INDEX_ENV] : undefined);
  if (explicit !== undefined) {
    const dir = resolve(q.cwd, explicit);
    const name = q.flag !== undefined ? '--index' : INDEX_ENV;
    return isDir(dir) ? { ok: true, dir } : { ok: false, message: `${name}: "${explicit}" is not a directory.\n${INDEX_HELP}` };
  }
  for (const root of [q.cwd, q.packageRoot ?? PACKAGE_ROOT]) {
    const dir = resolve(root, SHARED);
    if (isDir(dir)) return { ok: true, dir };
  }
  return { ok: false, message: `No index directory found: no --index, ${INDEX_ENV} is not set, and there is no ../shared/data/sp500.\n${INDEX_HELP}` };
}

export interface IndexLoad {
  readonly universe?: IndexUniverse;
  readonly issues: readonly Issue[];
}

type Row = Record<string, string>;

function readCsv(path: string, required: readonly string[], issues: Issue[]): Row[] | undefined {
  let rows: Row[];
  try {
    rows = parse(readFileSync(path, 'utf8'), { columns: true, bom: true, skip_empty_lines: true, trim: true }) as Row[];
  } catch (e) {
    issues.push(issue('PARSE', `not a CSV file: ${(e as Error).message}`, { file: path }));
    return undefined;
  }
  const header = rows[0] === undefined ? [] : Object.keys(rows[0]);
  const missing = required.filter((c) => !header.includes(c));
  if (rows.length === 0 || missing.length > 0) {
    issues.push(issue('MISSING_FIELD', `expected columns ${required.join(',')}; missing ${missing.join(', ') || 'every row'}`, { file: path, row: 1 }));
    return undefined;
  }
  return rows;
}

/** Membership intervals: dates valid, end not before start, intervals of one ticker not overlapping. */
export function readMembership(path: string): { intervals?: Map<Symbol, MembershipInterval[]>; issues: Issue[] } {
  const issues: Issue[] = [];
  if (!existsSync(path)) return { issues: [issue('NOT_FOUND', `no ${MEMBERSHIP}\n${INDEX_HELP}`, { file: path })] };
  const rows = readCsv(path, ['ticker', 'start_date', 'end_date'], issues);
  if (rows === undefined) return { issues };
  const intervals = new Map<Symbol, MembershipInterval[]>();
  rows.forEach((r, i) => {
    const at = (field: string) => ({ file: path, row: i + 2, field });
    const ticker = (r.ticker ?? '').toUpperCase();
    if (!/^[A-Z][A-Z0-9.-]*$/.test(ticker)) return void issues.push(issue('BAD_VALUE', `not a ticker: "${r.ticker ?? ''}"`, at('ticker')));
    const start = parseDay(r.start_date ?? '');
    if (start === undefined) return void issues.push(issue('BAD_DATE', `expected YYYY-MM-DD, got "${r.start_date ?? ''}"`, at('start_date')));
    const endText = r.end_date ?? '';
    const end = endText === '' ? undefined : parseDay(endText);
    if (endText !== '' && end === undefined) return void issues.push(issue('BAD_DATE', `expected YYYY-MM-DD or empty, got "${endText}"`, at('end_date')));
    if (end !== undefined && end < start) return void issues.push(issue('BAD_VALUE', `end ${endText} is before start ${r.start_date ?? ''}`, at('end_date')));
    const s = symbol(ticker);
    const list = intervals.get(s) ?? [];
    list.push(end === undefined ? { symbol: s, start } : { symbol: s, start, end });
    intervals.set(s, list);
  });
  for (const [s, list] of intervals) {
    list.sort((a, b) => a.start - b.start);
    for (let k = 1; k < list.length; k++) {
      const prev = list[k - 1] as MembershipInterval;
      const cur = list[k] as MembershipInterval;
      if (prev.end === undefined || prev.end >= cur.start) {
        issues.push(issue('CONFLICT', `${s}: interval from ${formatDay(cur.start)} overlaps the one from ${formatDay(prev.start)}`, { file: path, field: 'start_date' }));
      }
    }
  }
  return issues.length > 0 ? { issues } : { intervals, issues };
}

/** Sectors from the newest gics_*.csv (absent: no sectors, replacements fall back to correlation). */
export function readSectors(dir: string, issues: Issue[]): Map<Symbol, SectorEntry> {
  const out = new Map<Symbol, SectorEntry>();
  const file = readdirSync(dir).filter((f) => /^gics.*\.csv$/i.test(f)).sort().pop();
  if (file === undefined) return out;
  const path = join(dir, file);
  const rows = readCsv(path, ['Symbol', 'Security', 'GICS Sector', 'GICS Sub-Industry'], issues);
  rows?.forEach((r, i) => {
    const ticker = (r.Symbol ?? '').toUpperCase();
    const sector = r['GICS Sector'] ?? '';
    if (ticker === '' || sector === '') return void issues.push(issue('MISSING_FIELD', 'empty symbol or sector', { file: path, row: i + 2, field: ticker === '' ? 'Symbol' : 'GICS Sector' }));
    out.set(symbol(ticker), { symbol: symbol(ticker), name: r.Security ?? '', sector, subIndustry: r['GICS Sub-Industry'] ?? '' });
  });
  return out;
}

export function loadIndexUniverse(dir: string, shareClasses: readonly (readonly string[])[] = DEFAULT_SHARE_CLASSES): IndexLoad {
  if (!isDir(dir)) return { issues: [issue('NOT_FOUND', `index directory not found\n${INDEX_HELP}`, { file: dir })] };
  const membership = readMembership(join(dir, MEMBERSHIP));
  const issues: Issue[] = [...membership.issues];
  const sectors = readSectors(dir, issues);
  if (membership.intervals === undefined || issues.length > 0) return { issues };
  return { universe: { intervals: membership.intervals, sectors, shareClasses: shareClasses.map((g) => g.map((s) => symbol(s.toUpperCase()))) }, issues };
}

/** Stock prices of the index directory (prices/), optionally only some tickers. */
export function loadIndexPrices(dir: string, symbols?: readonly string[]): { book: PriceBook; issues: readonly Issue[] } {
  const pricesDir = join(dir, 'prices');
  if (!isDir(pricesDir)) return { book: { series: new Map(), ambiguous: new Map() }, issues: [issue('NOT_FOUND', `no prices/ directory\n${INDEX_HELP}`, { file: pricesDir })] };
  const have = new Set(readdirSync(pricesDir).filter((f) => f.endsWith('.csv')).map((f) => f.slice(0, -4).toUpperCase()));
  const wanted = symbols === undefined ? [...have] : symbols.filter((s) => have.has(s.toUpperCase()));
  return loadPriceBook(pricesDir, { symbols: wanted });
}
