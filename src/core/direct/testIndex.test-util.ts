/** The compact real sample (test/fixtures/sp500 with SPY from test/fixtures/market) as a risk model. */
import type { Day } from '../kernel/calendar.js';
import { describeIssue } from '../kernel/errors.js';
import { symbol, type Symbol } from '../ledger/household.js';
import type { PriceBook, PriceSeries } from '../market/prices.js';
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
