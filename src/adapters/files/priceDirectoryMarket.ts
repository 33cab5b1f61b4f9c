/**
 * The `MarketSource` port over a price directory (priceDirectory.ts). Each request loads the
 * symbols it has not loaded yet; the day's trading day is the latest row on or before the date
 * across the loaded series, within the lookup's staleness limit. A date after the data ends or
 * before it starts has no closes: that is an issue, never an empty market.
 */
import { formatDay, type Day } from '../../core/kernel/calendar.js';
import { issue, type Result } from '../../core/kernel/errors.js';
import type { Symbol } from '../../core/ledger/household.js';
import { closeOnOrBefore, DEFAULT_MAX_STALE_DAYS, indexOnOrBefore, marketOn, type PriceSeries } from '../../core/market/prices.js';
import type { MarketDay, MarketSource } from '../../app/ports.js';
import { loadPriceBook } from './priceDirectory.js';

export function priceDirectoryMarket(dir: string): MarketSource {
  const series = new Map<Symbol, PriceSeries>();
  const absent = new Set<Symbol>();
  const load = (symbols: readonly Symbol[]): void => {
    const wanted = symbols.filter((s) => !series.has(s) && !absent.has(s));
    if (wanted.length === 0) return;
    const loaded = loadPriceBook(dir, { symbols: wanted });
    for (const s of wanted) {
      const found = loaded.book.series.get(s);
      if (found !== undefined) series.set(s, found);
      else absent.add(s);
    }
  };
  return {
    async marketOn(date: Day, symbols: readonly Symbol[]): Promise<Result<MarketDay>> {
      load(symbols);
      const tradingDay = lastTradingDay([...series.values()], date);
      if (tradingDay === undefined) {
        const span = dataSpan([...series.values()]);
        const why = span === undefined ? 'the price directory has none of the symbols asked for' : `the price data runs from ${formatDay(span.first)} to ${formatDay(span.last)}`;
        return { ok: false, issues: [issue('BAD_DATE', `no closes for ${formatDay(date)}: ${why}`, { file: dir, field: 'date' })] };
      }
      const book = { series, ambiguous: new Map() };
      const view = marketOn(book, tradingDay);
      const missing = symbols.filter((s) => {
        const found = series.get(s);
        return found === undefined || !Number.isFinite(closeOnOrBefore(found, tradingDay)?.value ?? NaN);
      });
      return { ok: true, value: { view: { date, close: (s) => view.close(s) }, tradingDay, missing } };
    },
  };
}

/** The latest trading day on or before `date` in any series, within the staleness limit. */
function lastTradingDay(all: readonly PriceSeries[], date: Day): Day | undefined {
  let best: Day | undefined;
  for (const s of all) {
    const i = indexOnOrBefore(s.days, date);
    if (i < 0) continue;
    const d = s.days[i] as Day;
    if (date - d > DEFAULT_MAX_STALE_DAYS) continue;
    if (best === undefined || d > best) best = d;
  }
  return best;
}

function dataSpan(all: readonly PriceSeries[]): { first: Day; last: Day } | undefined {
  let first: Day | undefined;
  let last: Day | undefined;
  for (const s of all) {
    if (s.days.length === 0) continue;
    const a = s.days[0] as Day;
    const b = s.days[s.days.length - 1] as Day;
    if (first === undefined || a < first) first = a;
    if (last === undefined || b > last) last = b;
  }
  return first === undefined || last === undefined ? undefined : { first, last };
}
