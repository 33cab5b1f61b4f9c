/**
 * The daily total returns a risk model is estimated from: the last `days` trading days of the
 * benchmark ending on or before the decision date, and every candidate stock's return on exactly
 * those days. Only the past: the window ends at the decision date's close.
 *
 * A stock is left out (with the reason) when it misses any day of the window, or when the window
 * reaches back before its trusted history (a recycled ticker: indexUniverse.trustedFrom). Nothing
 * is filled in: a stock without a full window has no estimate.
 */
import type { Day } from '../kernel/calendar.js';
import type { Symbol } from '../ledger/household.js';
import { indexOnOrBefore, type PriceBook } from '../market/prices.js';

export interface ReturnWindow {
  /** The window's trading days (the day of each return), ascending. */
  readonly days: Int32Array;
  readonly symbols: readonly Symbol[];
  /** Stock returns, column-major: returns[j * days.length + t] is stock j's return on day t. */
  readonly returns: Float64Array;
  readonly benchmark: Float64Array;
  readonly excluded: readonly { readonly symbol: Symbol; readonly reason: string }[];
}

export type WindowResult = { readonly ok: true; readonly window: ReturnWindow } | { readonly ok: false; readonly message: string };

export function returnWindow(book: PriceBook, benchmark: Symbol, candidates: readonly Symbol[], date: Day, days: number, trustedFrom: (s: Symbol) => number): WindowResult {
  const bench = book.series.get(benchmark);
  if (bench === undefined) return { ok: false, message: `no prices for the benchmark ${benchmark}` };
  const end = indexOnOrBefore(bench.days, date);
  if (end - days < 0) return { ok: false, message: `the benchmark ${benchmark} has ${Math.max(0, end)} daily returns up to the date; the risk model needs ${days}` };
  const first = end - days + 1;
  const windowDays = bench.days.slice(first, end + 1);
  const benchReturns = new Float64Array(days);
  for (let t = 0; t < days; t++) benchReturns[t] = (bench.adjClose[first + t] as number) / (bench.adjClose[first + t - 1] as number) - 1;
  const kept: Symbol[] = [];
  const excluded: { symbol: Symbol; reason: string }[] = [];
  const columns: Float64Array[] = [];
  const base = bench.days[first - 1] as number;
  for (const s of candidates) {
    const series = book.series.get(s);
    if (series === undefined) {
      excluded.push({ symbol: s, reason: 'no price file' });
      continue;
    }
    if (trustedFrom(s) > base) {
      excluded.push({ symbol: s, reason: 'history before the window may belong to another company (recycled ticker)' });
      continue;
    }
    const i0 = indexOnOrBefore(series.days, base as Day);
    if (i0 < 0 || series.days[i0] !== base || i0 + days >= series.days.length + 1) {
      excluded.push({ symbol: s, reason: `fewer than ${days} daily returns before the date` });
      continue;
    }
    const col = new Float64Array(days);
    let complete = true;
    for (let t = 0; t < days && complete; t++) {
      if (series.days[i0 + 1 + t] !== windowDays[t]) complete = false;
      else col[t] = (series.adjClose[i0 + 1 + t] as number) / (series.adjClose[i0 + t] as number) - 1;
    }
    if (!complete) {
      excluded.push({ symbol: s, reason: 'missing days in the window' });
      continue;
    }
    kept.push(s);
    columns.push(col);
  }
  const returns = new Float64Array(kept.length * days);
  columns.forEach((c, j) => returns.set(c, j * days));
  return { ok: true, window: { days: windowDays, symbols: kept, returns, benchmark: benchReturns, excluded } };
}
