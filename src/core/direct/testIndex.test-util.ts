/** The compact real sample (test/fixtures/sp500 with SPY from test/fixtures/market) as a risk model. */
import type { Day } from '../kernel/calendar.js';
import { describeIssue } from '../kernel/errors.js';
import { symbol, type Symbol } from '../ledger/household.js';
import { closeOnOrBefore, indexOnOrBefore, type PriceBook, type PriceSeries } from '../market/prices.js';
import type { MarketView } from '../harvest/config.js';
import { day } from '../harvest/testHousehold.test-util.js';
import { loadIndexPrices, loadIndexUniverse, SAMPLE_INDEX } from '../../adapters/files/indexDirectory.js';
import { loadPriceBook, SAMPLE_PRICES } from '../../adapters/files/priceDirectory.js';
import { membersOn, trustedFrom, type IndexUniverse } from './indexUniverse.js';
import { returnWindow } from './returnWindow.js';
import { estimateRiskModel, type RiskModel } from './riskModel.js';

export const BENCHMARK = symbol('SPY');

let cached: { universe: IndexUniverse; book: PriceBook } | undefined;

/** The sample's universe and one price book holding its stocks and SPY. */
export function sampleIndex(): { universe: IndexUniverse; book: PriceBook } {
  if (cached !== undefined) return cached;
  const u = loadIndexUniverse(SAMPLE_INDEX);
  const stocks = loadIndexPrices(SAMPLE_INDEX);
  const etf = loadPriceBook(SAMPLE_PRICES, { symbols: ['SPY'] });
  const problems = [...u.issues, ...stocks.issues, ...etf.issues];
  if (u.universe === undefined || problems.length > 0) throw new Error(problems.map(describeIssue).join('\n'));
  const series = new Map<Symbol, PriceSeries>([...stocks.book.series, ...etf.book.series]);
  cached = { universe: u.universe, book: { series, ambiguous: new Map() } };
  return cached;
}

export function sampleModel(date: Day, days: number): { model: RiskModel; universe: IndexUniverse; book: PriceBook } {
  const { universe, book } = sampleIndex();
  const w = returnWindow(book, BENCHMARK, membersOn(universe, date), date, days, (s) => trustedFrom(universe, s, date));
  if (!w.ok) throw new Error(w.message);
  return { model: estimateRiskModel(w.window), universe, book };
}

/** The market as the policy sees it on `date`: each symbol's close on or before it in `book`. */
export function marketOn(book: PriceBook, date: Day): MarketView {
  return {
    date,
    close: (s) => {
      const series = book.series.get(s);
      return series === undefined ? undefined : closeOnOrBefore(series, date)?.value;
    },
  };
}

/** The sample's trading days after `from` through `to` (SPY's days). */
export function sampleTradingDays(from: string, to: string): Day[] {
  const spy = sampleIndex().book.series.get(BENCHMARK) as PriceSeries;
  return [...spy.days.slice(indexOnOrBefore(spy.days, day(from)) + 1, indexOnOrBefore(spy.days, day(to)) + 1)] as Day[];
}
