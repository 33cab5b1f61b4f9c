/**
 * Daily prices as columns, lookups that cannot see the future, and the return statistics the
 * universe and the harvester's cost model use (monthly total returns, their correlation,
 * annualized volatility, maximum drawdown). Spec: docs/prices.md.
 *
 * Prices are binary floats on purpose: scans over thousands of days and lots run on typed arrays.
 * They are observations, never ledger state; the ledger turns a close into an exact Price with
 * `exact('price', close)` at trade time.
 *
 * Units: `close` and `dividend` are split-adjusted to the share units of the series' last row.
 * A household's lots are as traded, so anything that prices a ledger converts to the day's own
 * units first (shareUnits.ts: `closeInDayUnits`, `asTraded`, `marketOn(book, day, 'as_traded')`).
 *
 * Lookup policy (no look-ahead, no stale prices): the value "on" a day is the one of the last
 * trading day on or before it, provided that trading day is at most `maxStaleDays` calendar days
 * earlier (default 7, longer than any exchange closure since 2001). Before the first row, after a
 * longer gap, and more than `maxStaleDays` past the last row the answer is undefined: a series that
 * stopped is never carried forward.
 *
 * Example (VTI, prices/VTI.csv): Friday 2024-12-27 closed at 294.07 and the next row is Monday
 * 2024-12-30, so closeOnOrBefore(vti, Sunday 2024-12-29) is { day: 2024-12-27, value: 294.07 };
 * closeOnOrBefore(vti, 2010-01-01) is undefined (the file starts 2010-01-04).
 */
import { civilFromDay, dayFromCivil, daysInMonth, type Day } from '../kernel/calendar.js';
import type { Symbol } from '../ledger/household.js';

/** full: close, dividend and adjClose from one file; adj_only: adjClose only; mixed: adj_only rows, then full rows. */
export type PriceSource = 'full' | 'adj_only' | 'mixed';

export interface PriceSeries {
  readonly symbol: Symbol;
  /** Trading days, strictly ascending. */
  readonly days: Int32Array;
  /** Split-adjusted real close in USD; NaN where only adj_close is known. */
  readonly close: Float64Array;
  /** Cash dividend per share (split-adjusted) on its ex-date, 0 on other days; NaN where unknown. */
  readonly dividend: Float64Array;
  /** Split- and dividend-adjusted (total-return) close. */
  readonly adjClose: Float64Array;
  /**
   * The split ratio on the first trading day in new units (2 = 2-for-1), 1 on other days and where
   * unknown (adj-only rows). Already applied to close and dividend; `asTraded` (shareUnits.ts)
   * undoes it to give each day's own units.
   */
  readonly split: Float64Array;
  readonly source: PriceSource;
}

export interface PriceBook {
  readonly series: ReadonlyMap<Symbol, PriceSeries>;
  /** Ex-dates whose close could be either of two values (prices/_ambiguous_days.csv). */
  readonly ambiguous: ReadonlyMap<Symbol, ReadonlySet<number /* Day */>>;
}

export const DEFAULT_MAX_STALE_DAYS = 7;
export const TRADING_DAYS_PER_YEAR = 252;

export interface LookupOptions {
  readonly maxStaleDays?: number;
}

export interface Observation {
  readonly index: number;
  readonly day: Day;
  readonly value: number;
}

const num = (a: Float64Array | Int32Array, i: number): number => a[i] as number;

/** Index of the last element <= day in an ascending array, or -1 when every element is later. */
export function indexOnOrBefore(days: Int32Array, day: Day): number {
  let lo = 0;
  let hi = days.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (num(days, mid) <= day) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function observe(series: PriceSeries, field: Float64Array, day: Day, options: LookupOptions): Observation | undefined {
  const i = indexOnOrBefore(series.days, day);
  if (i < 0) return undefined;
  const at = num(series.days, i) as Day;
  if (day - at > (options.maxStaleDays ?? DEFAULT_MAX_STALE_DAYS)) return undefined;
  const value = num(field, i);
  return Number.isNaN(value) ? undefined : { index: i, day: at, value };
}

/** Split-adjusted close known on `day`; undefined on adj-only days of a mixed series. */
export function closeOnOrBefore(series: PriceSeries, day: Day, options: LookupOptions = {}): Observation | undefined {
  return observe(series, series.close, day, options);
}

export function adjCloseOnOrBefore(series: PriceSeries, day: Day, options: LookupOptions = {}): Observation | undefined {
  return observe(series, series.adjClose, day, options);
}

export function isAmbiguous(book: PriceBook, symbol: Symbol, day: Day): boolean {
  return book.ambiguous.get(symbol)?.has(day) ?? false;
}

/** Months as year * 12 + (month - 1), so consecutive months differ by 1. */
export function monthKey(day: Day): number {
  const c = civilFromDay(day);
  return c.year * 12 + c.month - 1;
}

export function formatMonth(key: number): string {
  const month = (key % 12) + 1;
  return `${Math.floor(key / 12)}-${month < 10 ? '0' : ''}${month}`;
}

function lastDayOfMonthKey(key: number): Day {
  const year = Math.floor(key / 12);
  const month = (key % 12) + 1;
  return dayFromCivil(year, month, daysInMonth(year, month));
}

export interface MonthlyReturns {
  /** monthKey of each return's month, ascending. */
  readonly months: Int32Array;
  /** Total return from the previous month's last adjClose to this month's last adjClose. */
  readonly returns: Float64Array;
}

/**
 * Monthly total returns from adjClose over complete months ending on or before `through`. A month
 * counts when it has ended by `through` and its last row is within maxStaleDays of its last
 * calendar day (so a series that stops mid-month yields no partial month). The first month only
 * serves as the base of the second.
 */
export function monthlyReturns(series: PriceSeries, through: Day, options: LookupOptions = {}): MonthlyReturns {
  const stale = options.maxStaleDays ?? DEFAULT_MAX_STALE_DAYS;
  const ends: { key: number; value: number }[] = [];
  const n = indexOnOrBefore(series.days, through) + 1;
  for (let i = 0; i < n; i++) {
    const day = num(series.days, i) as Day;
    const next = i + 1 < n ? monthKey(num(series.days, i + 1) as Day) : -1;
    const key = monthKey(day);
    if (key === next) continue;
    const monthEnd = lastDayOfMonthKey(key);
    if (monthEnd <= through && monthEnd - day <= stale) ends.push({ key, value: num(series.adjClose, i) });
  }
  const months: number[] = [];
  const returns: number[] = [];
  for (let k = 1; k < ends.length; k++) {
    const prev = ends[k - 1] as { key: number; value: number };
    const cur = ends[k] as { key: number; value: number };
    if (cur.key !== prev.key + 1) continue;
    months.push(cur.key);
    returns.push(cur.value / prev.value - 1);
  }
  return { months: Int32Array.from(months), returns: Float64Array.from(returns) };
}

export interface Correlation {
  readonly value: number;
  readonly months: number;
  readonly firstMonth: number;
  readonly lastMonth: number;
}

/** Pearson correlation over the months both series have; undefined with fewer than 3 or no variance. */
export function correlation(a: MonthlyReturns, b: MonthlyReturns): Correlation | undefined {
  const x: number[] = [];
  const y: number[] = [];
  const keys: number[] = [];
  for (let i = 0, j = 0; i < a.months.length && j < b.months.length; ) {
    const ka = num(a.months, i);
    const kb = num(b.months, j);
    if (ka < kb) i++;
    else if (kb < ka) j++;
    else {
      x.push(num(a.returns, i++));
      y.push(num(b.returns, j++));
      keys.push(ka);
    }
  }
  const n = x.length;
  if (n < 3) return undefined;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    const dx = (x[k] as number) - mx;
    const dy = (y[k] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return undefined;
  const value = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  return { value, months: n, firstMonth: keys[0] as number, lastMonth: keys[n - 1] as number };
}

/** Correlation of monthly total returns over the two series' common complete months through `through`. */
export function monthlyCorrelation(a: PriceSeries, b: PriceSeries, through: Day): Correlation | undefined {
  return correlation(monthlyReturns(a, through), monthlyReturns(b, through));
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const v of xs) s += v;
  return s / xs.length;
}

export interface Window {
  readonly from?: Day;
  readonly through: Day;
}

function rowsIn(series: PriceSeries, window: Window): { start: number; end: number } {
  const start = window.from === undefined ? 0 : indexOnOrBefore(series.days, (window.from - 1) as Day) + 1;
  return { start, end: indexOnOrBefore(series.days, window.through) + 1 };
}

export interface Volatility {
  readonly value: number;
  readonly returns: number;
  readonly from: Day;
  readonly through: Day;
}

/** Sample standard deviation of daily log returns of adjClose, times sqrt(252); undefined with < 2 returns. */
export function annualizedVolatility(series: PriceSeries, window: Window): Volatility | undefined {
  const { start, end } = rowsIn(series, window);
  const v = volatilityOver(series.adjClose, start, end - 1);
  if (v === undefined) return undefined;
  return { value: v.value, returns: v.returns, from: num(series.days, start) as Day, through: num(series.days, end - 1) as Day };
}

/**
 * The annualized volatility of daily log returns of `values[from..to]` (inclusive), skipping
 * missing (NaN) entries: the kernel of `annualizedVolatility`, also for calendar-aligned arrays.
 */
export function volatilityOver(values: Float64Array, from: number, to: number): { value: number; returns: number } | undefined {
  const r: number[] = [];
  let previous = Number.NaN;
  for (let i = from; i <= to; i++) {
    const v = num(values, i);
    if (Number.isNaN(v)) continue;
    if (!Number.isNaN(previous)) r.push(Math.log(v / previous));
    previous = v;
  }
  if (r.length < 2) return undefined;
  const m = mean(r);
  let ss = 0;
  for (const x of r) ss += (x - m) * (x - m);
  return { value: Math.sqrt(ss / (r.length - 1)) * Math.sqrt(TRADING_DAYS_PER_YEAR), returns: r.length };
}

export interface Drawdown {
  /** Largest fall from a running peak of adjClose, as a positive fraction (0.34 = -34 %). */
  readonly depth: number;
  readonly peak: Day;
  readonly trough: Day;
}

export function maxDrawdown(series: PriceSeries, window: Window): Drawdown | undefined {
  const { start, end } = rowsIn(series, window);
  if (end <= start) return undefined;
  const d = drawdownOver(series.adjClose, start, end - 1);
  return { depth: d.depth, peak: num(series.days, d.peak) as Day, trough: num(series.days, d.trough) as Day };
}

/**
 * The largest fall from a running peak of `values[from..to]` (inclusive), with the indices of
 * that peak and trough, skipping missing (NaN) entries: the kernel of `maxDrawdown`.
 */
export function drawdownOver(values: Float64Array, from: number, to: number): { depth: number; peak: number; trough: number } {
  let peakAt = -1;
  let best = { depth: 0, peak: from, trough: from };
  for (let i = from; i <= to; i++) {
    const v = num(values, i);
    if (Number.isNaN(v)) continue;
    if (peakAt < 0 || v > num(values, peakAt)) peakAt = i;
    const depth = 1 - v / num(values, peakAt);
    if (depth > best.depth) best = { depth, peak: peakAt, trough: i };
  }
  return best;
}

/**
 * Prepends the earlier rows of an adj-only series to a full one (VOO, SCHE, SCHD, SCHH, SCHP start
 * 2016-04-28 in prices/ but years earlier in prices_adj_only/). The earlier adjClose is rescaled
 * so both chain on the full series' first day; close and dividend stay NaN there (unknown), and
 * the result is 'mixed'. Without a row on that junction day the series cannot be chained safely
 * and `full` is returned unchanged.
 */
export function withEarlierHistory(full: PriceSeries, adjOnly: PriceSeries): PriceSeries {
  if (full.days.length === 0) return full;
  const first = num(full.days, 0) as Day;
  const junction = indexOnOrBefore(adjOnly.days, first);
  if (junction <= 0 || num(adjOnly.days, junction) !== first) return full;
  const scale = num(full.adjClose, 0) / num(adjOnly.adjClose, junction);
  const before = (early: Float64Array, late: Float64Array): Float64Array => {
    const out = new Float64Array(junction + late.length);
    out.set(early.subarray(0, junction));
    out.set(late, junction);
    return out;
  };
  const unknown = new Float64Array(junction).fill(Number.NaN);
  const days = new Int32Array(junction + full.days.length);
  days.set(adjOnly.days.subarray(0, junction));
  days.set(full.days, junction);
  return {
    symbol: full.symbol,
    days,
    close: before(unknown, full.close),
    dividend: before(unknown, full.dividend),
    adjClose: before(adjOnly.adjClose.map((v) => v * scale), full.adjClose),
    split: before(new Float64Array(junction).fill(1), full.split),
    source: 'mixed',
  };
}

/**
 * A total-return series from closes and per-share dividends (for files without adj_close):
 * tr[i] = tr[i-1] * (close[i] + dividend[i]) / close[i-1], scaled so the last value equals the
 * last close, as adjusted closes are quoted. Without dividends it is the close itself.
 */
export function totalReturnFromCloses(close: Float64Array, dividend: Float64Array): Float64Array {
  const n = close.length;
  const tr = new Float64Array(n);
  if (n === 0) return tr;
  tr[0] = 1;
  for (let i = 1; i < n; i++) tr[i] = num(tr, i - 1) * ((num(close, i) + num(dividend, i)) / num(close, i - 1));
  const scale = num(close, n - 1) / num(tr, n - 1);
  return tr.map((v) => v * scale);
}
