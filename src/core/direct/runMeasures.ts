/**
 * Measures of one simulated history read back from its ledger events, so the direct index and the
 * ETF strategy (whose day loop keeps no daily values) are measured by one definition:
 *
 *  - realized tracking error: the annualized standard deviation of the account's daily return
 *    (value change less that day's deposits and transfers in, so fees and spreads count and cash
 *    waiting to be placed is a real drag) minus the benchmark's daily total return;
 *  - active return: the mean of those differences x 252;
 *  - turnover: sale proceeds a year over the average daily value;
 *  - lots: open lots at the end.
 *
 * Values use each holding's last close on or before the day (`marks`), as the loops value accounts.
 */
import type { Day } from '../kernel/calendar.js';
import { usdOf } from '../kernel/exact.js';
import type { LedgerEvent } from '../ledger/events.js';
import type { Symbol } from '../ledger/household.js';
import { TRADING_DAYS_PER_YEAR } from '../market/prices.js';
import type { MarketData } from '../backtest/marketData.js';

export interface RunMeasures {
  readonly trackingError: number;
  readonly activeReturn: number;
  readonly turnover: number;
  readonly lots: number;
}

/** Per symbol of the data, per calendar day: its close, else the last one before it, else 0. */
export function marksOf(data: MarketData): Float64Array[] {
  return data.close.map((close) => {
    const mark = new Float64Array(close.length);
    let last = 0;
    for (let t = 0; t < close.length; t++) {
      const v = close[t] as number;
      if (!Number.isNaN(v)) last = v;
      mark[t] = last;
    }
    return mark;
  });
}

/**
 * The measures of the history from `start` (its first day) through `end`; with `from`, the
 * returns, values and sales of days `from`..`end` only (one year of a longer history), the
 * holdings still replayed from `start`.
 */
export function runMeasures(events: readonly LedgerEvent[], data: MarketData, marks: readonly Float64Array[], benchmark: Symbol, start: number, end: number, from = start): RunMeasures {
  const b = data.symbolIndex.get(benchmark);
  if (b === undefined) throw new Error(`the benchmark ${benchmark} is not in the market data`);
  const bench = data.adjClose[b] as Float64Array;
  const held = new Map<Symbol, number>();
  const lots = new Map<string, number>();
  let cash = 0;
  let sales = 0;
  let sumValue = 0;
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  let previous = 0;
  let e = 0;
  while (e < events.length && (events[e] as LedgerEvent).date < (data.days[start] as Day)) e++;
  const markOf = (s: Symbol, t: number): number => {
    const i = data.symbolIndex.get(s);
    return i === undefined ? 0 : ((marks[i] as Float64Array)[t] as number);
  };
  for (let t = start; t <= end; t++) {
    const date = data.days[t] as Day;
    let flow = 0;
    for (; e < events.length && (events[e] as LedgerEvent).date === date; e++) {
      const ev = events[e] as LedgerEvent;
      switch (ev.kind) {
        case 'deposit':
          cash += ev.amount;
          flow += ev.amount;
          break;
        case 'withdrawal':
          cash -= ev.amount;
          flow -= ev.amount;
          break;
        case 'fee':
          cash -= ev.amount;
          break;
        case 'dividend':
          cash += ev.amount;
          break;
        case 'transfer_in':
          held.set(ev.symbol, (held.get(ev.symbol) ?? 0) + ev.shares);
          lots.set(ev.id, ev.shares);
          flow += Math.round((ev.shares * markOf(ev.symbol, t)) / 1e4);
          break;
        case 'buy':
          held.set(ev.symbol, (held.get(ev.symbol) ?? 0) + ev.shares);
          lots.set(ev.id, ev.shares);
          cash -= usdOf(ev.shares, ev.price) + ev.fees;
          break;
        case 'sell': {
          held.set(ev.symbol, (held.get(ev.symbol) ?? 0) - ev.shares);
          const proceeds = usdOf(ev.shares, ev.price) - ev.fees;
          cash += proceeds;
          if (t >= from) sales += proceeds;
          for (const l of ev.selection?.method === 'SPECIFIC' ? ev.selection.lots : []) lots.set(l.lot, (lots.get(l.lot) ?? 0) - (l.shares ?? lots.get(l.lot) ?? 0));
          break;
        }
        default:
          break;
      }
    }
    let value = cash / 100;
    for (const [s, shares] of held) if (shares > 0) value += (shares / 1e6) * markOf(s, t);
    if (t > Math.max(start, from - 1) && previous > 0) {
      const r = (value - flow / 100) / previous - 1;
      const rb = (bench[t] as number) / (bench[t - 1] as number) - 1;
      if (Number.isFinite(rb)) {
        const d = r - rb;
        sum += d;
        sumSq += d * d;
        n += 1;
      }
    }
    if (t >= from) sumValue += value;
    previous = value;
  }
  const mean = n > 0 ? sum / n : 0;
  const variance = n > 1 ? (sumSq - n * mean * mean) / (n - 1) : 0;
  let open = 0;
  for (const shares of lots.values()) if (shares > 0) open += 1;
  return {
    trackingError: Math.sqrt(Math.max(0, variance) * TRADING_DAYS_PER_YEAR),
    activeReturn: mean * TRADING_DAYS_PER_YEAR,
    turnover: sumValue > 0 ? ((sales / 100) * TRADING_DAYS_PER_YEAR) / sumValue : 0,
    lots: open,
  };
}
