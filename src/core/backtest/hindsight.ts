/**
 * The hindsight bound: how much loss any harvester could have harvested from an account had it
 * known the whole price path — an upper bound on a relaxation of the real problem.
 *
 * The relaxation R: (1) every purchase the no-harvest baseline makes (deposits, dividends
 * reinvested, rebalancing) is a tranche held to the end, never sold for cash flows or
 * rebalancing; (2) a harvest's replacement follows the price path of the security sold
 * (alternates are perfect substitutes); (3) there is no 30-day lock-out, no spread and no minimum.
 * Harvests sell at a loss only.
 *
 * Losses. In R the most loss a tranche bought at p0 can yield over [a, b] is p0 - min p(t) on
 * [a, b], per share, and one harvest at that low achieves it: a harvest resets the basis to the
 * day's price and the proceeds are reinvested whole, so the losses of successive harvests
 * telescope to p0 - p(last harvest) >= p0 - min p. The bound sums this over tranches; for the
 * whole run its harvests are dated at each tranche's low (which is what the cohort yields of the
 * bound use).
 *
 * Value. A dollar of loss cannot be realized before the price first falls that far, nor at more
 * than the short-term rate, and the deferred gain is at least taxed at the long-term rate at the
 * end. So no strategy in R can beat: every new low below the basis harvested the day it is set
 * (each increment at the short-term rate, discounted from that day), less the whole loss at the
 * long-term rate discounted from the end. New lows are found by following "next lower close"
 * pointers from the first close below p0; a running sum along those chains makes it O(log n) per
 * tranche.
 *
 * What R leaves out (an alternate that falls further than the fund it replaced, sales for
 * withdrawals or rebalancing) can let a real strategy beat R's optimum on some account: a capture
 * above 100 % shows where.
 */
import type { Day } from '../kernel/calendar.js';
import { termOf } from '../ledger/holdingPeriod.js';
import type { MarketData } from './marketData.js';
import type { HarvestEvent, Tranche } from './simulation.js';

/** Per symbol: range-minimum and next-lower-close structures over calendar days [0, end]. */
export interface HindsightIndex {
  readonly end: number;
  /** Discount factor of each calendar day from day 0 at the run's discount rate. */
  readonly discount: Float64Array;
  readonly symbols: readonly SymbolIndex[];
}

interface SymbolIndex {
  /** Closes with missing days as +Infinity (never a low). */
  readonly close: Float64Array;
  /** Sparse table: levels[k][i] = index of the lowest close in [i, i + 2^k). */
  readonly levels: readonly Int32Array[];
  /** Next day with a strictly lower close, or -1. */
  readonly nextLower: Int32Array;
  /** Sum along the next-lower chain from i of (drop to the next low) x its discount factor. */
  readonly chain: Float64Array;
}

export function hindsightIndex(data: MarketData, end: number, discountRate: number): HindsightIndex {
  const n = end + 1;
  const discount = new Float64Array(n);
  const day0 = data.days[0] as number;
  for (let t = 0; t < n; t++) discount[t] = Math.pow(1 + discountRate, -((data.days[t] as number) - day0) / 365.25);
  const symbols = data.close.map((raw) => {
    const close = new Float64Array(n);
    for (let t = 0; t < n; t++) close[t] = Number.isNaN(raw[t] as number) ? Infinity : (raw[t] as number);
    const levels: Int32Array[] = [Int32Array.from({ length: n }, (_, i) => i)];
    for (let k = 1; 1 << k <= n; k++) {
      const prev = levels[k - 1] as Int32Array;
      const half = 1 << (k - 1);
      const cur = new Int32Array(n - (1 << k) + 1);
      for (let i = 0; i < cur.length; i++) {
        const a = prev[i] as number;
        const b = prev[i + half] as number;
        cur[i] = (close[b] as number) < (close[a] as number) ? b : a;
      }
      levels.push(cur);
    }
    const nextLower = new Int32Array(n).fill(-1);
    const stack: number[] = [];
    for (let t = n - 1; t >= 0; t--) {
      while (stack.length > 0 && (close[stack[stack.length - 1] as number] as number) >= (close[t] as number)) stack.pop();
      nextLower[t] = stack.length === 0 ? -1 : (stack[stack.length - 1] as number);
      stack.push(t);
    }
    const chain = new Float64Array(n);
    for (let t = n - 1; t >= 0; t--) {
      const j = nextLower[t] as number;
      if (j >= 0 && Number.isFinite(close[t] as number)) chain[t] = ((close[t] as number) - (close[j] as number)) * (discount[j] as number) + (chain[j] as number);
    }
    return { close, levels, nextLower, chain };
  });
  return { end, discount, symbols };
}

/** Index of the lowest close in [from, to] (inclusive), or -1 when the range is empty. */
function lowest(s: SymbolIndex, from: number, to: number): number {
  if (to < from) return -1;
  const k = 31 - Math.clz32(to - from + 1);
  const level = s.levels[k] as Int32Array;
  const a = level[from] as number;
  const b = level[to - (1 << k) + 1] as number;
  return (s.close[b] as number) < (s.close[a] as number) ? b : a;
}

/** First day in [from, to] whose close is below `price`, or -1. */
function firstBelow(s: SymbolIndex, from: number, to: number, price: number): number {
  let lo = from;
  if (to < from || (s.close[lowest(s, from, to)] as number) >= price) return -1;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((s.close[lowest(s, lo, mid)] as number) < price) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface HindsightBound {
  /** Harvests at each tranche's low over the whole run. */
  readonly harvests: readonly HarvestEvent[];
  /** Per window [from, to] asked for: the most loss harvestable inside it, cents. */
  readonly windowLosses: readonly number[];
  /** Σ over tranches of every new low's increment x its discount factor from day 0, cents. */
  readonly discountedLoss: number;
}

export function hindsightBound(tranches: readonly Tranche[], data: MarketData, index: HindsightIndex, windows: readonly (readonly [number, number])[]): HindsightBound {
  const byDay = new Map<number, { short: number; long: number }>();
  const windowLosses = windows.map(() => 0);
  let discountedLoss = 0;
  for (const tr of tranches) {
    const s = index.symbols[tr.symbol] as SymbolIndex;
    const p0 = tr.cost / (tr.shares / 1e4);
    const low = lowest(s, tr.t + 1, index.end);
    if (low < 0) continue;
    const loss = tr.cost - Math.round((tr.shares * (s.close[low] as number)) / 1e4);
    if (loss > 0) {
      const h = byDay.get(low) ?? { short: 0, long: 0 };
      if (termOf(data.days[tr.t] as Day, data.days[low] as Day) === 'short') h.short += loss;
      else h.long += loss;
      byDay.set(low, h);
      const first = firstBelow(s, tr.t + 1, index.end, p0);
      if (first >= 0) discountedLoss += (tr.shares / 1e4) * ((p0 - (s.close[first] as number)) * (index.discount[first] as number) + (s.chain[first] as number));
    }
    windows.forEach(([a, b], w) => {
      const l = lowest(s, Math.max(tr.t + 1, a), b);
      if (l < 0) return;
      const windowLoss = tr.cost - Math.round((tr.shares * (s.close[l] as number)) / 1e4);
      if (windowLoss > 0) windowLosses[w] = (windowLosses[w] as number) + windowLoss;
    });
  }
  const harvests = [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([t, h]) => ({ t, short: h.short, long: h.long }));
  return { harvests, windowLosses, discountedLoss };
}
