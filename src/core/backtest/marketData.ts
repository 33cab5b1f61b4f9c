/**
 * History as the backtester sees it: one trading calendar and, per security, its close, its
 * dividend and its total-return close aligned to that calendar — and `serve(t)`, the only way the
 * policy reads it (cvxportfolio's idea): a MarketView of day t built from rows on or before t.
 *
 * Alignment rules (no forward-looking fills):
 *  - The calendar is every trading day on which at least one of the securities has a row, within
 *    [from, to].
 *  - A security's value on calendar day t is its last row on or before t, if that row is at most
 *    `maxStaleDays` calendar days old (prices.ts); before its first row, across a longer gap, or
 *    after its series stops it has none (NaN), so a late starter is untradable until it starts.
 *  - A close that is unknown (the adj-only prefix of a mixed series) is none: such days are not
 *    tradable even though their total return is known.
 *  - A dividend belongs to its ex-date row only; an unknown dividend is taken as none.
 *
 * Example: VOO's closes start 2016-04-28 (prices/VOO.csv), so close(VOO) is NaN on every earlier
 * calendar day although prices_adj_only/VOO.csv has those days' total returns.
 *
 * Unless `totalReturnTrading` is on (the backtest's default): then a fund whose real closes do
 * not cover its history (total-return closes only, or an adj-only prefix) is traded on its
 * total-return series for the whole window, as an accumulating share class of the fund would be —
 * close = the total-return close, no dividends — so its units never change mid-run. Its economics
 * before tax are the fund's with dividends reinvested at no cost; its losses are understated by the
 * distributions since purchase (a lot's price includes them), so harvests of such funds are, if
 * anything, undercounted. Prices stay strictly backward-looking: the series is the file's.
 */
import { civilFromDay, type Day } from '../kernel/calendar.js';
import type { Symbol } from '../ledger/household.js';
import { DEFAULT_MAX_STALE_DAYS, indexOnOrBefore, type PriceBook, type PriceSeries } from '../market/prices.js';
import type { MarketView } from '../harvest/config.js';

export interface MarketData {
  /** Trading days, ascending. */
  readonly days: Int32Array;
  readonly symbols: readonly Symbol[];
  readonly symbolIndex: ReadonlyMap<Symbol, number>;
  /** Per symbol (in `symbols` order), per calendar day: the close known that day, or NaN. */
  readonly close: readonly Float64Array[];
  /** Per symbol, per calendar day: the dividend per share going ex that day (0 on other days). */
  readonly dividend: readonly Float64Array[];
  /** Per symbol, per calendar day: the total-return close known that day, or NaN. */
  readonly adjClose: readonly Float64Array[];
}

export interface MarketDataOptions {
  readonly from?: Day;
  readonly to?: Day;
  readonly maxStaleDays?: number;
  /** Trade funds without full real closes on their total-return series (see the module comment). */
  readonly totalReturnTrading?: boolean;
  /** Filled with the symbols traded on their total-return series. */
  readonly onTotalReturn?: (symbol: Symbol) => void;
}

/** Aligns the book's series for `symbols` (those the book lacks are all NaN) to one calendar. */
export function marketData(book: PriceBook, symbols: readonly Symbol[], options: MarketDataOptions = {}): MarketData {
  const from = options.from ?? (-Infinity as Day);
  const to = options.to ?? (Infinity as Day);
  const stale = options.maxStaleDays ?? DEFAULT_MAX_STALE_DAYS;
  const seen = new Set<number>();
  for (const s of symbols) {
    const series = book.series.get(s);
    if (series === undefined) continue;
    for (const d of series.days) if (d >= from && d <= to) seen.add(d);
  }
  const days = Int32Array.from([...seen].sort((a, b) => a - b));
  const symbolIndex = new Map<Symbol, number>(symbols.map((s, i) => [s, i]));
  const empty = (): Float64Array => new Float64Array(days.length).fill(Number.NaN);
  const close: Float64Array[] = [];
  const dividend: Float64Array[] = [];
  const adjClose: Float64Array[] = [];
  for (const s of symbols) {
    const series = book.series.get(s);
    if (series === undefined) {
      close.push(empty());
      dividend.push(new Float64Array(days.length));
      adjClose.push(empty());
      continue;
    }
    const partial = series.close.some((c, i) => Number.isNaN(c) && Number.isFinite(series.adjClose[i] as number));
    adjClose.push(align(series, series.adjClose, days, stale));
    if (options.totalReturnTrading === true && partial) {
      close.push(align(series, series.adjClose, days, stale));
      dividend.push(new Float64Array(days.length));
      options.onTotalReturn?.(s);
    } else {
      close.push(align(series, series.close, days, stale));
      dividend.push(exDates(series, days));
    }
  }
  return { days, symbols, symbolIndex, close, dividend, adjClose };
}

function align(series: PriceSeries, field: Float64Array, days: Int32Array, stale: number): Float64Array {
  const out = new Float64Array(days.length);
  let row = days.length === 0 ? -1 : indexOnOrBefore(series.days, days[0] as Day);
  for (let t = 0; t < days.length; t++) {
    const day = days[t] as number;
    while (row + 1 < series.days.length && (series.days[row + 1] as number) <= day) row++;
    out[t] = row >= 0 && day - (series.days[row] as number) <= stale ? (field[row] as number) : Number.NaN;
  }
  return out;
}

function exDates(series: PriceSeries, days: Int32Array): Float64Array {
  const out = new Float64Array(days.length);
  let t = 0;
  for (let row = 0; row < series.days.length; row++) {
    const day = series.days[row] as number;
    while (t < days.length && (days[t] as number) < day) t++;
    if (t === days.length) break;
    const d = series.dividend[row] as number;
    if ((days[t] as number) === day && d > 0) out[t] = d;
  }
  return out;
}

/** The policy's view of calendar day t: closes known on that day, nothing later. */
export function serve(data: MarketData, t: number): MarketView {
  const date = data.days[t] as Day;
  return {
    date,
    close(symbol: Symbol): number | undefined {
      const i = data.symbolIndex.get(symbol);
      if (i === undefined) return undefined;
      const v = (data.close[i] as Float64Array)[t] as number;
      return Number.isNaN(v) ? undefined : v;
    },
  };
}

/** Index of the first calendar day on or after `day` (days.length when none). */
export function firstIndexOnOrAfter(data: MarketData, day: Day): number {
  return indexOnOrBefore(data.days, (day - 1) as Day) + 1;
}

/** Index of the last calendar day on or before `day` (-1 when none). */
export function lastIndexOnOrBefore(data: MarketData, day: Day): number {
  return indexOnOrBefore(data.days, day);
}

/** Civil year, month (1-12) and day of every calendar day, for schedules and reports. */
export interface CalendarFields {
  readonly year: Int16Array;
  readonly month: Int8Array;
  readonly day: Int8Array;
  /** 1 on the first trading day of a calendar month, else 0. */
  readonly monthStart: Uint8Array;
  /** 1 on the last trading day of a calendar month, else 0. */
  readonly monthEnd: Uint8Array;
}

export function calendarFields(data: MarketData): CalendarFields {
  const n = data.days.length;
  const year = new Int16Array(n);
  const month = new Int8Array(n);
  const day = new Int8Array(n);
  for (let t = 0; t < n; t++) {
    const c = civilFromDay(data.days[t] as Day);
    year[t] = c.year;
    month[t] = c.month;
    day[t] = c.day;
  }
  const monthStart = new Uint8Array(n);
  const monthEnd = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    monthStart[t] = t === 0 || month[t - 1] !== month[t] ? 1 : 0;
    monthEnd[t] = t === n - 1 || month[t + 1] !== month[t] ? 1 : 0;
  }
  return { year, month, day, monthStart, monthEnd };
}
