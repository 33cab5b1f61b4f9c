/**
 * The hindsight bound: how much loss any harvester could have harvested from an account had it
 * known the whole price path — an upper bound on a relaxation of the real problem.
 *
 * The relaxation R. (1) The harvester holds what the no-harvest baseline holds, when it holds it:
 * every purchase of the baseline (deposits and dividends invested, rebalancing) opens a tranche,
 * and every sale of the baseline (fees, rebalancing) retires shares of that fund — the tranches
 * of the lowest cost per share first, which leaves the most loss to harvest (the loss a tranche
 * can give, (cost − low)+, has increasing differences in cost and the length of the holding), so R
 * may choose them. Shares are never counted twice: at every moment the tranches add up to the
 * baseline's holdings, and over the run their cost to its purchases. (2) A harvest's replacement
 * follows the price path of the fund sold (alternates are perfect substitutes). (3) No lock-out,
 * spread or minimum; harvests sell at a loss only.
 *
 * Losses. In R the most loss a tranche bought at p0 on day a and retired on day b can yield is
 * p0 − min p(t) over (a, b], per share: a harvest resets the basis to the day's price and the
 * proceeds are reinvested whole, so successive harvests telescope to p0 − p(last harvest). Every
 * new low below the cost is harvested the day it is set, so the bound is dated as the holdings
 * lose: a year's bound never exceeds what the tranches held in it lost in it (at most their value
 * on entering the year), and the cohort yields, trailing yields and monthly shares of the bound
 * are those of this schedule.
 *
 * Value. A dollar of loss cannot be realized before the price first falls that far, nor at more
 * than the short-term rate, and the deferred gain is at least taxed at the long-term rate at the
 * end. So no strategy in R can beat: every new low below the cost harvested the day it is set
 * (each increment at the short-term rate, discounted from that day), less the whole loss at the
 * long-term rate discounted from the end. New lows are found by following "next lower close"
 * pointers from the first close below p0.
 *
 * What R leaves out (an alternate that falls further than the fund it replaced, a strategy whose
 * own sales keep a different set of lots than the baseline's) can let a real strategy beat R's
 * optimum on an account; `hindsight.test.ts` checks on the test population that none does.
 */
import type { Day } from '../kernel/calendar.js';
import { termOf } from '../ledger/holdingPeriod.js';
import type { MarketData } from './marketData.js';
import type { HarvestEvent } from './simulation.js';

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
    return { close, levels, nextLower };
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

/** Shares of one fund the baseline held over calendar days [from, to]: bought on `from`. */
export interface Tranche {
  readonly from: number;
  /** Last day held: the day a sale retired it, or the run's end. */
  readonly to: number;
  readonly symbol: number;
  /** Micro-shares and cost in cents. */
  readonly shares: number;
  readonly cost: number;
}

export interface HindsightBound {
  /** Every new low below a tranche's cost, harvested the day it is set. */
  readonly harvests: readonly HarvestEvent[];
  /** Per window [from, to] asked for: the most loss harvestable inside it, cents. */
  readonly windowLosses: readonly number[];
  /** Σ over tranches of every new low's increment x its discount factor from day 0, cents. */
  readonly discountedLoss: number;
  /** What the baseline bought over the run (the tranches' cost), cents: the bound never exceeds it. */
  readonly purchases: number;
}

export function hindsightBound(tranches: readonly Tranche[], data: MarketData, index: HindsightIndex, windows: readonly (readonly [number, number])[]): HindsightBound {
  const byDay = new Map<number, { short: number; long: number }>();
  const windowLosses = windows.map(() => 0);
  let discountedLoss = 0;
  let purchases = 0;
  for (const tr of tranches) {
    purchases += tr.cost;
    const s = index.symbols[tr.symbol] as SymbolIndex;
    const to = Math.min(tr.to, index.end);
    const perShare = tr.shares / 1e6;
    const p0 = tr.cost / 100 / perShare;
    let low = p0;
    for (let j = firstBelow(s, tr.from + 1, to, p0); j >= 0 && j <= to; j = s.nextLower[j] as number) {
      const price = s.close[j] as number;
      const loss = Math.round((low - price) * perShare * 100);
      low = price;
      if (loss <= 0) continue;
      const h = byDay.get(j) ?? { short: 0, long: 0 };
      if (termOf(data.days[tr.from] as Day, data.days[j] as Day) === 'short') h.short += loss;
      else h.long += loss;
      byDay.set(j, h);
      discountedLoss += loss * (index.discount[j] as number);
    }
    windows.forEach(([a, b], w) => {
      const l = lowest(s, Math.max(tr.from + 1, a), Math.min(b, to));
      if (l < 0) return;
      const windowLoss = tr.cost - Math.round((tr.shares * (s.close[l] as number)) / 1e4);
      if (windowLoss > 0) windowLosses[w] = (windowLosses[w] as number) + windowLoss;
    });
  }
  const harvests = [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([t, h]) => ({ t, short: h.short, long: h.long }));
  return { harvests, windowLosses, discountedLoss, purchases };
}

/**
 * The baseline's holdings as tranches, kept while it is simulated: each purchase opens one, each
 * sale retires shares of its fund, lowest cost per share first (see the module comment).
 */
export class TrancheBook {
  private readonly open = new Map<number, { from: number; shares: number; cost: number }[]>();
  readonly closed: Tranche[] = [];

  buy(t: number, symbol: number, shares: number, cost: number): void {
    if (shares <= 0) return;
    const list = this.open.get(symbol) ?? [];
    list.push({ from: t, shares, cost });
    this.open.set(symbol, list);
  }

  sell(t: number, symbol: number, shares: number): void {
    const list = (this.open.get(symbol) ?? []).sort((a, b) => a.cost / a.shares - b.cost / b.shares);
    let left = shares;
    while (left > 0 && list.length > 0) {
      const first = list[0] as { from: number; shares: number; cost: number };
      const n = Math.min(left, first.shares);
      const cost = n === first.shares ? first.cost : Math.round((first.cost * n) / first.shares);
      this.closed.push({ from: first.from, to: t, symbol, shares: n, cost });
      left -= n;
      if (n === first.shares) list.shift();
      else {
        first.shares -= n;
        first.cost -= cost;
      }
    }
  }

  /** Every tranche, those still held ending on `end`. */
  all(end: number): Tranche[] {
    const out = [...this.closed];
    for (const [symbol, list] of this.open) for (const o of list) out.push({ from: o.from, to: end, symbol, shares: o.shares, cost: o.cost });
    return out;
  }
}
