/**
 * Where prices come from and how a directory of them becomes a PriceBook. Prices live outside the
 * repository; the directory is chosen in this order (docs/prices.md):
 *
 *   1. --prices DIR            2. $LOTSMITH_PRICES
 *   3. <cwd>/../shared/data/prices, then <package>/../shared/data/prices, when present
 *
 * An explicit choice (1 or 2) that does not exist is an error rather than a silent fall-through:
 * a typo must not quietly select other data. loadPriceBook reads TICKER.csv files, the sibling
 * prices_adj_only/ directory (earlier history or adj-only funds) and _ambiguous_days.csv.
 *
 * Example: resolvePriceDir({ env: { LOTSMITH_PRICES: '/data/px' }, cwd, packageRoot }) is
 * { ok: true, dir: '/data/px', from: 'env' } when /data/px is a directory.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDay } from '../../core/kernel/calendar.js';
import { issue, type Issue } from '../../core/kernel/errors.js';
import { symbol, type Symbol } from '../../core/ledger/household.js';
import { withEarlierHistory, type PriceBook, type PriceSeries } from '../../core/market/prices.js';
import { parsePriceCsv } from './priceFile.js';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const PRICES_ENV = 'LOTSMITH_PRICES';
/**
 * The compact sample of real prices in a clone of the repository (a subset of the shared data set,
 * 2020 to its end, with its provenance in the README beside it): the tests' fixture, and what
 * `npm start` runs on when no price directory is found. Not part of the published package.
 */
export const SAMPLE_PRICES = join(PACKAGE_ROOT, 'test', 'fixtures', 'market', 'prices');
const SHARED = join('..', 'shared', 'data', 'prices');
const ADJ_ONLY = 'prices_adj_only';
const AMBIGUOUS = '_ambiguous_days.csv';

export interface PriceDirQuery {
  readonly flag?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly packageRoot: string;
}

export type PriceDirResolution =
  | { readonly ok: true; readonly dir: string; readonly from: 'flag' | 'env' | 'cwd' | 'package' }
  | { readonly ok: false; readonly message: string };

export const PRICE_HELP = [
  'Daily prices come from a directory of CSV files you supply (a data vendor\'s or Yahoo Finance',
  'exports work; see docs/prices.md). The project\'s own data set (29 ETFs, 2010-2026, assembled from',
  'the public repositories listed in test/fixtures/market/README.md) is found by itself when it lies',
  'at ../shared/data/prices beside the clone. Otherwise supply a directory in one of two ways:',
  '  lotsmith <command> --prices DIR      (npm start -- --prices DIR)',
  `  export ${PRICES_ENV}=DIR`,
  'DIR holds one TICKER.csv per security with a header row, either',
  '  date,close,adj_close,dividend,split   (close split-adjusted, dividend per share on the ex-date), or',
  '  date,close  /  date,adj_close         (fewer columns; see docs/prices.md).',
].join('\n');

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

export function resolvePriceDir(q: PriceDirQuery): PriceDirResolution {
  if (q.flag !== undefined) {
    const dir = resolve(q.cwd, q.flag);
    return isDir(dir) ? { ok: true, dir, from: 'flag' } : { ok: false, message: `--prices: "${q.flag}" is not a directory.\n${PRICE_HELP}` };
  }
  const env = q.env[PRICES_ENV];
  if (env !== undefined && env !== '') {
    const dir = resolve(q.cwd, env);
    return isDir(dir) ? { ok: true, dir, from: 'env' } : { ok: false, message: `${PRICES_ENV}: "${env}" is not a directory.\n${PRICE_HELP}` };
  }
  const fromCwd = resolve(q.cwd, SHARED);
  if (isDir(fromCwd)) return { ok: true, dir: fromCwd, from: 'cwd' };
  const fromPackage = resolve(q.packageRoot, SHARED);
  if (isDir(fromPackage)) return { ok: true, dir: fromPackage, from: 'package' };
  const looked = fromCwd === fromPackage ? fromCwd : `${fromCwd} or ${fromPackage}`;
  return {
    ok: false,
    message: `No price directory found: no --prices, ${PRICES_ENV} is not set, and there is no ${looked}.\n${PRICE_HELP}`,
  };
}

export interface LoadOptions {
  /** Load only these tickers (faster); each must have a file in the directory or its adj-only sibling. */
  readonly symbols?: readonly string[];
}

export interface PriceBookLoad {
  readonly book: PriceBook;
  /** A ticker with any bad row (in either directory) is left out of the book; its problems are listed here. */
  readonly issues: readonly Issue[];
}

export function loadPriceBook(dir: string, options: LoadOptions = {}): PriceBookLoad {
  if (!isDir(dir)) return { book: emptyBook(), issues: [issue('PARSE', `price directory not found\n${PRICE_HELP}`, { file: dir })] };
  const sibling = join(dirname(resolve(dir)), ADJ_ONLY);
  const adjDir = isDir(sibling) && sibling !== resolve(dir) ? sibling : undefined;
  const files = priceFiles(dir);
  const adjFiles = adjDir === undefined ? new Map<string, string>() : priceFiles(adjDir);
  const wanted = options.symbols === undefined ? [...new Set([...files.keys(), ...adjFiles.keys()])].sort() : [...new Set(options.symbols.map((t) => t.toUpperCase()))];
  const issues: Issue[] = [];
  const series = new Map<Symbol, PriceSeries>();
  for (const ticker of wanted) {
    const main = readSeries(files.get(ticker), ticker, issues);
    const early = readSeries(adjFiles.get(ticker), ticker, issues);
    if (main === null || early === null) continue;
    const merged = main === undefined ? early : early === undefined ? main : withEarlierHistory(main, early);
    if (merged !== undefined) series.set(symbol(ticker), merged);
    else issues.push(issue('UNKNOWN_SECURITY', `no price file ${ticker}.csv in ${dir}${adjDir ? ` or ${adjDir}` : ''}`, { file: join(dir, `${ticker}.csv`) }));
  }
  return { book: { series, ambiguous: readAmbiguous(join(dir, AMBIGUOUS), issues) }, issues };
}

function emptyBook(): PriceBook {
  return { series: new Map(), ambiguous: new Map() };
}

/** Upper-case ticker to path of every TICKER.csv in a directory (names starting with _ are metadata). */
function priceFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir)) {
    if (f.toLowerCase().endsWith('.csv') && !f.startsWith('_')) out.set(f.slice(0, -4).toUpperCase(), join(dir, f));
  }
  return out;
}

/** undefined: no such file; null: the file exists but has problems (pushed to `issues`). */
function readSeries(path: string | undefined, ticker: string, issues: Issue[]): PriceSeries | undefined | null {
  if (path === undefined) return undefined;
  const parsed = parsePriceCsv(readFileSync(path, 'utf8'), path, symbol(ticker));
  issues.push(...parsed.issues);
  return parsed.series ?? null;
}

function readAmbiguous(path: string, issues: Issue[]): Map<Symbol, Set<number>> {
  const out = new Map<Symbol, Set<number>>();
  if (!existsSync(path)) return out;
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    const [ticker, date] = line.split(',');
    const day = parseDay((date ?? '').trim());
    if (ticker === undefined || ticker.trim() === '' || day === undefined) {
      issues.push(issue('BAD_VALUE', `expected ticker,date,...; got "${line}"`, { file: path, row: i + 1 }));
      continue;
    }
    const sym = symbol(ticker.trim().toUpperCase());
    const days = out.get(sym) ?? new Set<number>();
    days.add(day);
    out.set(sym, days);
  }
  return out;
}
