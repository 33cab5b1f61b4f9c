/**
 * The `MarketSource` port over a price directory (priceDirectory.ts). Each request loads the
 * symbols it has not loaded yet. The directory's closes are split-adjusted to the units of each
 * file's last row; they are handed out in the requested day's own units (shareUnits.ts), with the
 * files' splits so the use case can check them against the ledger.
 *
 * Which closes stand for a date: those of the latest row with a close on or before it across the
 * requested series (total-return-only rows do not count), when every day in between had no
 * trading (weekends and holidays by the exchange calendar, or days the data itself passes over)
 * and that row is at most `DEFAULT_MAX_STALE_DAYS` old. A date
 * after the data ends (a weekday past the last row) or before it starts has no closes: that is a
 * NO_CLOSES issue, never an empty market.
 */
import { formatDay, type Day } from '../../core/kernel/calendar.js';
import { issue, type Result } from '../../core/kernel/errors.js';
import type { Symbol } from '../../core/ledger/household.js';
import { closeOnOrBefore, DEFAULT_MAX_STALE_DAYS, indexOnOrBefore, type PriceSeries } from '../../core/market/prices.js';
import { marketOn, splitsOf, type SplitRow } from '../../core/market/shareUnits.js';
import { standsFor, weekdayName } from '../../core/market/tradingCalendar.js';
import type { MarketDay, MarketSource } from '../../app/ports.js';
import { loadPriceBook } from './priceDirectory.js';

/** `more`: further directories of the same layout (a direct index's stock prices) asked in turn for what `dir` lacks. */
export function priceDirectoryMarket(dir: string, ...more: readonly string[]): MarketSource {
  const series = new Map<Symbol, PriceSeries>();
  const absent = new Set<Symbol>();
  const load = (symbols: readonly Symbol[]): void => {
    let wanted = symbols.filter((s) => !series.has(s) && !absent.has(s));
    for (const from of [dir, ...more]) {
      if (wanted.length === 0) return;
      const loaded = loadPriceBook(from, { symbols: wanted });
      for (const s of wanted) {
        const found = loaded.book.series.get(s);
        if (found !== undefined) series.set(s, found);
      }
      wanted = wanted.filter((s) => !series.has(s));
    }
    for (const s of wanted) absent.add(s);
  };
  return {
    async marketOn(date: Day, symbols: readonly Symbol[]): Promise<Result<MarketDay>> {
      load(symbols);
      const wanted = symbols.flatMap((s) => series.get(s) ?? []);
      const span = dataSpan(wanted);
      const latest = latestRowOnOrBefore(wanted, date);
      const named = (d: Day): string => `${weekdayName(d)} ${formatDay(d)}`;
      const noCloses = (why: string): Result<MarketDay> => ({ ok: false, issues: [issue('NO_CLOSES', `no closes for ${named(date)}: ${why}`, { file: dir })] });
      if (span === undefined) return noCloses('the price directory has no closes for any of the symbols asked for');
      if (latest === undefined) return noCloses(`the price data starts on ${named(span.first)}`);
      const continues = span.last > date;
      if (!standsFor(latest, date, continues)) return noCloses(`the price data ends on ${named(span.last)}`);
      if (date - latest > DEFAULT_MAX_STALE_DAYS) return noCloses(`the price data has no rows after ${named(latest)} until ${named(firstRowAfter(wanted, date) as Day)}`);
      const book = { series, ambiguous: new Map() };
      const view = marketOn(book, latest, 'as_traded');
      const missing = symbols.filter((s) => {
        const found = series.get(s);
        return found === undefined || closeOnOrBefore(found, latest) === undefined;
      });
      const splits = new Map<Symbol, readonly SplitRow[]>(wanted.map((s) => [s.symbol, splitsOf(s)]));
      return { ok: true, value: { view: { date, close: (s) => view.close(s) }, tradingDay: latest, missing, splits } };
    },
  };
}

/** The rows of a series that have a close (a mixed series has none in its adj-only prefix, an adj-only one none at all). */
function closeRows(s: PriceSeries): { first: number; last: number } | undefined {
  let first = 0;
  while (first < s.days.length && Number.isNaN(s.close[first] as number)) first++;
  let last = s.days.length - 1;
  while (last >= first && Number.isNaN(s.close[last] as number)) last--;
  return first <= last ? { first, last } : undefined;
}

/** The latest row with a close on or before `date` in any series. */
function latestRowOnOrBefore(all: readonly PriceSeries[], date: Day): Day | undefined {
  let best: Day | undefined;
  for (const s of all) {
    const rows = closeRows(s);
    if (rows === undefined) continue;
    const i = Math.min(indexOnOrBefore(s.days, date), rows.last);
    if (i < rows.first) continue;
    const d = s.days[i] as Day;
    if (best === undefined || d > best) best = d;
  }
  return best;
}

/** The earliest row with a close after `date` in any series. */
function firstRowAfter(all: readonly PriceSeries[], date: Day): Day | undefined {
  let best: Day | undefined;
  for (const s of all) {
    const rows = closeRows(s);
    if (rows === undefined) continue;
    const i = Math.max(indexOnOrBefore(s.days, date) + 1, rows.first);
    if (i > rows.last) continue;
    const d = s.days[i] as Day;
    if (best === undefined || d < best) best = d;
  }
  return best;
}

/** The first and last day with a close in any series. */
function dataSpan(all: readonly PriceSeries[]): { first: Day; last: Day } | undefined {
  let first: Day | undefined;
  let last: Day | undefined;
  for (const s of all) {
    const rows = closeRows(s);
    if (rows === undefined) continue;
    const a = s.days[rows.first] as Day;
    const b = s.days[rows.last] as Day;
    if (first === undefined || a < first) first = a;
    if (last === undefined || b > last) last = b;
  }
  return first === undefined || last === undefined ? undefined : { first, last };
}
