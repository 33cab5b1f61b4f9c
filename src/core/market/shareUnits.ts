/**
 * Share units. A price file's `close` and `dividend` are split-adjusted to the units of its last
 * row ("today's" shares); a household's ledger holds shares and prices as traded, in the units of
 * each trade's own day. The two meet only through this module:
 *
 *  - `splitAdjust` turns as-traded columns into today's units (files that declare `raw_close`);
 *  - `asTraded` turns today's units back into each day's own (what the store keeps, and what any
 *    price given to a ledger must be): a row's close and dividend times the product of the split
 *    ratios of every later row;
 *  - `closeInDayUnits` and `marketOn(book, day, 'as_traded')` answer a single day in that day's
 *    units, without converting the whole series.
 *
 * The `split` column holds the ratio on the first trading day in the new units (2 = 2-for-1,
 * 0.5 = 1-for-2) and 1 elsewhere; it is informational in a `close` file (already applied) and is
 * exactly what undoing the adjustment needs.
 *
 * Example (prices/SCHB.csv, 2:1 on 2022-03-11 and 3:1 on 2024-10-11): the split-adjusted close of
 * 2020-03-20 is 8.966667; that day's shares split into 2 × 3 = 6 of today's, so the as-traded close
 * is 8.966667 × 6 = 53.800002, i.e. $53.80. A lot of 100 shares bought at $80.88 on 2020-02-19 had
 * lost $2,708.00 that day, not the $7,191.33 the split-adjusted close would suggest.
 *
 * Restoring the cent: the shared data writes split-adjusted values with 6 decimals, some of them
 * from single-precision floats (13.419999 for 13.42), so multiplying back can miss the traded
 * price by the factor times half a unit of the 6th decimal plus a single-precision rounding
 * (about 6e-8 of the value, counted twice for safety). When a whole cent lies that close it is the
 * as-traded close (closes of US-listed funds are quoted in cents); otherwise the product is kept
 * as it is (a vendor's 4-decimal close stays). Either way the value moves by less than the data's
 * own precision. Rows that need no conversion (factor 1) are returned exactly as the file has them.
 * Dividends are declared to fractions of a cent and are not rounded.
 */
import type { Day } from '../kernel/calendar.js';
import type { Symbol } from '../ledger/household.js';
import { closeOnOrBefore, type LookupOptions, type Observation, type PriceBook, type PriceSeries } from './prices.js';

/** A split as a price file shows it: the first trading day in the new units and new shares per old. */
export interface SplitRow {
  readonly day: Day;
  readonly ratio: number;
}

/**
 * In which units a market view quotes closes: `as_traded`, each day's own (for a household's
 * ledger, whose lots are as traded); `split_adjusted`, today's (for a simulation that also bought
 * its lots at split-adjusted closes, where every amount comes out the same: docs/backtest.md).
 */
export type ShareUnits = 'as_traded' | 'split_adjusted';

/** Half a unit of the 6th decimal: the rounding of the shared data's split-adjusted values. */
const DECIMAL_ROUNDING = 0.5e-6;
/** Twice the relative rounding of a single-precision float (2^-24). */
const FLOAT32_ROUNDING = 1.2e-7;

const num = (a: Float64Array | Int32Array, i: number): number => a[i] as number;

/**
 * Split-adjusts raw (as-traded) closes and dividends: a row's values are divided by the product of
 * the split ratios of every later row (ratio 2 = 2-for-1 on the first day after the split), so
 * all rows are in today's share units. Only for files that declare raw closes (docs/prices.md).
 */
export function splitAdjust(raw: Float64Array, dividend: Float64Array, split: Float64Array): { close: Float64Array; dividend: Float64Array } {
  const n = raw.length;
  const close = new Float64Array(n);
  const div = new Float64Array(n);
  let factor = 1;
  for (let i = n - 1; i >= 0; i--) {
    close[i] = num(raw, i) / factor;
    div[i] = num(dividend, i) / factor;
    factor *= num(split, i);
  }
  return { close, dividend: div };
}

/**
 * The inverse of `splitAdjust`: split-adjusted closes and dividends in each day's own share units.
 * Unknown values (NaN) stay unknown. The closes get their cent back (see the module comment).
 */
export function asTraded(close: Float64Array, dividend: Float64Array, split: Float64Array): { close: Float64Array; dividend: Float64Array } {
  const n = close.length;
  const outClose = new Float64Array(n);
  const outDividend = new Float64Array(n);
  let factor = 1;
  for (let i = n - 1; i >= 0; i--) {
    outClose[i] = restoreCent(num(close, i), factor);
    outDividend[i] = num(dividend, i) * factor;
    factor *= num(split, i);
  }
  return { close: outClose, dividend: outDividend };
}

/** How many of today's shares one share of row `index`'s day became: the later rows' split ratios multiplied. */
export function splitFactorAfter(series: PriceSeries, index: number): number {
  let factor = 1;
  for (let i = series.split.length - 1; i > index; i--) factor *= num(series.split, i);
  return factor;
}

/** The as-traded close of row `index`. */
export function asTradedCloseAt(series: PriceSeries, index: number): number {
  return restoreCent(num(series.close, index), splitFactorAfter(series, index));
}

/** The close known on `day` (closeOnOrBefore's rules) in that day's share units. */
export function closeInDayUnits(series: PriceSeries, day: Day, options: LookupOptions = {}): Observation | undefined {
  const o = closeOnOrBefore(series, day, options);
  return o === undefined ? undefined : { ...o, value: asTradedCloseAt(series, o.index) };
}

/** Every split the series shows, in date order. */
export function splitsOf(series: PriceSeries): SplitRow[] {
  const out: SplitRow[] = [];
  for (let i = 0; i < series.split.length; i++) {
    const ratio = num(series.split, i);
    if (ratio !== 1 && Number.isFinite(ratio)) out.push({ day: num(series.days, i) as Day, ratio });
  }
  return out;
}

function restoreCent(adjusted: number, factor: number): number {
  if (factor === 1 || Number.isNaN(adjusted)) return adjusted;
  const value = adjusted * factor;
  const cent = Math.round(value * 100) / 100;
  return Math.abs(value - cent) <= DECIMAL_ROUNDING * factor + FLOAT32_ROUNDING * Math.abs(value) ? cent : value;
}

/** The market as of `day`: each security's close on or before it (within the stale limit), never after it. */
export interface MarketOn {
  readonly date: Day;
  close(symbol: Symbol): number | undefined;
}

/**
 * The market as of `day` in the given units: each security's close on or before it (within the
 * stale limit), never after it. The harvester's `MarketView`.
 */
export function marketOn(book: PriceBook, day: Day, units: ShareUnits, options: LookupOptions = {}): MarketOn {
  const cache = new Map<Symbol, number | undefined>();
  const lookup = units === 'as_traded' ? closeInDayUnits : closeOnOrBefore;
  return {
    date: day,
    close(symbol: Symbol): number | undefined {
      if (cache.has(symbol)) return cache.get(symbol);
      const s = book.series.get(symbol);
      const v = s === undefined ? undefined : lookup(s, day, options)?.value;
      cache.set(symbol, v);
      return v;
    },
  };
}
