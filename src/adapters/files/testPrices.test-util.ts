/**
 * Real prices for tests: the directory the CLI would use ($LOTSMITH_PRICES, else
 * ../shared/data/prices). Without one, tests fail with the resolver's message rather than skip.
 */
import { describeIssue } from '../../core/kernel/errors.js';
import { symbol } from '../../core/ledger/household.js';
import type { PriceBook, PriceSeries } from '../../core/market/prices.js';
import { loadPriceBook, PACKAGE_ROOT, resolvePriceDir } from './priceDirectory.js';

export function testPriceDir(): string {
  const r = resolvePriceDir({ env: process.env, cwd: process.cwd(), packageRoot: PACKAGE_ROOT });
  if (!r.ok) throw new Error(r.message);
  return r.dir;
}

/** Loads only the given tickers; any problem in their files fails the test. */
export function testPrices(...tickers: string[]): PriceBook {
  const { book, issues } = loadPriceBook(testPriceDir(), { symbols: tickers });
  if (issues.length > 0) throw new Error(issues.map(describeIssue).join('\n'));
  return book;
}

export function seriesOf(book: PriceBook, ticker: string): PriceSeries {
  const s = book.series.get(symbol(ticker));
  if (s === undefined) throw new Error(`no series for ${ticker}`);
  return s;
}
