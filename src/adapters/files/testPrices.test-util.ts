/**
 * Real prices for tests. Every test reads the compact fixture in the repository
 * (test/fixtures/market: the shared data set's files cut to 2020 onward, provenance in its
 * README), so `npm test` passes the same way on a fresh clone without ../shared. Tests of facts
 * about the full data set itself (every file loads, the universe's recorded statistics, the
 * fixture is an unchanged subset) run where the full set is found — $LOTSMITH_PRICES or
 * ../shared/data/prices, as CI lays it out — and say so in their names.
 */
import { describeIssue } from '../../core/kernel/errors.js';
import { symbol } from '../../core/ledger/household.js';
import type { PriceBook, PriceSeries } from '../../core/market/prices.js';
import { loadPriceBook, PACKAGE_ROOT, resolvePriceDir, SAMPLE_PRICES } from './priceDirectory.js';

/** The fixture's price directory (its prices_adj_only/ sibling is read with it). */
export const FIXTURE_PRICES = SAMPLE_PRICES;

/** Loads only the given tickers from the fixture; any problem in their files fails the test. */
export function testPrices(...tickers: string[]): PriceBook {
  const { book, issues } = loadPriceBook(FIXTURE_PRICES, { symbols: tickers });
  if (issues.length > 0) throw new Error(issues.map(describeIssue).join('\n'));
  return book;
}

export function seriesOf(book: PriceBook, ticker: string): PriceSeries {
  const s = book.series.get(symbol(ticker));
  if (s === undefined) throw new Error(`no series for ${ticker}`);
  return s;
}

/** The full shared data set when this machine has it, found as the CLI finds it; else undefined. */
export function fullPriceDir(): string | undefined {
  const r = resolvePriceDir({ env: process.env, cwd: process.cwd(), packageRoot: PACKAGE_ROOT });
  return r.ok ? r.dir : undefined;
}
