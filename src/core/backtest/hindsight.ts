/**
 * The hindsight bound: how much loss any harvester could have harvested from an account had it
 * known the whole price path — an upper bound on a relaxation of the real problem.
 *
 * The relaxation R. (1) The harvester holds what the no-harvest baseline holds, when it holds it:
 * every purchase of the baseline (deposits and dividends invested, rebalancing) opens a tranche,
 * and every sale of the baseline (fees, rebalancing, withdrawals) retires shares of that fund, the
 * tranches of the lowest cost per share first. Shares are never counted twice: at every moment the
 * tranches add up to the baseline's holdings, and over the run their cost to its purchases.
 * (2) A tranche's dollars may be in any fund of its asset class on any day, moved at no cost: a
 * harvest's replacement, a chain of replacements and a switch-back are all ways of being in some
 * fund of the class each day, so the lowest value they can reach is the class's lowest path —
 * each day the worst return among the class's funds priced that day (from each one's last close),
 * chosen with hindsight. (3) No lock-out, spread or minimum; harvests sell at a loss only.
 *
 * Why (2) is the class's path and not the fund's: an alternate is not a perfect substitute. On the
 * default run a harvester switched between VTEB (traded on its total-return series) and MUB (a
 * price series that drops by each monthly distribution): every switch-back re-entered VTEB at a
 * basis above its earlier low, and the next dip was harvested again, so one account harvested 5 %
 * more than a bound that followed the fund bought.
 *
 * Losses. In R the most loss a tranche of cost C bought on day a and retired on day b can yield is
 * C less its lowest value on the class's path over (a, b]: a harvest resets the basis to the value
 * and the proceeds are reinvested whole, so successive harvests telescope. Every new low of the
 * path below the cost is harvested the day it is set, so the bound is dated as the holdings lose;
 * a tranche never yields more than its cost, so the bound never exceeds the baseline's purchases.
 *
 * Value. A dollar of loss cannot be realized before the path first falls that far, nor at more
 * than the short-term rate, and the deferred gain is at least taxed at the long-term rate at the
 * end. So no strategy in R can beat: every new low harvested the day it is set (each increment at
 * the short-term rate, discounted from that day), less the whole loss at the long-term rate
 * discounted from the end. New lows are found by following "next lower close" pointers from the
 * first close below the cost.
 *
 * What R leaves out, each of which can only add to a real strategy's gross harvested losses: the
 * spreads of its harvests' round trips (a sale at the bid realizes the half spread as loss), the
 * small gains its switch-backs realize (at most `switchBackMaxGain` of the value; the basis is
 * reset up by as much), dollars it holds that the baseline does not (the distributions of the
 * alternates it holds, reinvested), and the order of retirement (lowest cost first is a choice,
 * not proved the best when tranches have lost different amounts). The class's path falls by the
 * worst fund's return every day, which a real chain of switches cannot do, and this slack has
 * covered them on every account tested: `hindsight.test.ts` on the fixture, and
 * `hindsightDefault.test.ts` on the default population.
 */
import type { Day } from '../kernel/calendar.js';
import { termOf } from '../ledger/holdingPeriod.js';
import type { MarketData } from './marketData.js';
import type { ClassFunds } from './phaseIn.js';
import type { HarvestEvent } from './simulation.js';

/** Per symbol: range-minimum and next-lower-close structures over calendar days [0, end]. */
export interface HindsightIndex {
  readonly end: number;
  /** Discount factor of each calendar day from day 0 at the run's discount rate. */
  readonly discount: Float64Array;
  /** Per class of `classes`: the class's lowest path (see the module comment), as a price series. */
  readonly symbols: readonly SymbolIndex[];
  /** Per symbol: its class's index in `symbols`, and its last close on or before each day. */
  readonly classOf: Int32Array;
  readonly marks: readonly Float64Array[];
}

interface SymbolIndex {
  /** Closes with missing days as +Infinity (never a low). */
  readonly close: Float64Array;
  /** The path's last value on or before each day (NaN before its first). */
  readonly level: Float64Array;
  /** Sparse table: levels[k][i] = index of the lowest close in [i, i + 2^k). */
  readonly levels: readonly Int32Array[];
  /** Next day with a strictly lower close, or -1. */
  readonly nextLower: Int32Array;
}

export function hindsightIndex(data: MarketData, end: number, discountRate: number, classes: ClassFunds): HindsightIndex {
  const n = end + 1;
  const discount = new Float64Array(n);
  const day0 = data.days[0] as number;
  for (let t = 0; t < n; t++) discount[t] = Math.pow(1 + discountRate, -((data.days[t] as number) - day0) / 365.25);
  const marks = data.close.map((raw) => {
    const mark = new Float64Array(n).fill(Number.NaN);
    let last = Number.NaN;
    for (let t = 0; t < n; t++) {
      if (!Number.isNaN(raw[t] as number)) last = raw[t] as number;
      mark[t] = last;
    }
    return mark;
  });
  const classOf = new Int32Array(data.symbols.length).fill(-1);
  const paths = classes.map((c, k) => {
    for (const s of c.symbols) classOf[s] = k;
    return lowestPath(c.symbols.map((s) => data.close[s] as Float64Array), c.symbols.map((s) => marks[s] as Float64Array), n);
  });
  data.symbols.forEach((_, s) => {
    if ((classOf[s] as number) < 0) {
      classOf[s] = paths.length;
      paths.push(lowestPath([data.close[s] as Float64Array], [marks[s] as Float64Array], n));
    }
  });
  const symbols = paths.map(({ close, level }) => {
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
    return { close, level, levels, nextLower };
  });
  return { end, discount, symbols, classOf, marks };
}

/**
 * The lowest value a dollar kept in one class can have: each day, the worst day's return among
 * the class's funds priced that day (from each one's last close). Closes are +Infinity on days
 * no fund of the class is priced, and before the first.
 */
function lowestPath(closes: readonly Float64Array[], marks: readonly Float64Array[], n: number): { close: Float64Array; level: Float64Array } {
  const close = new Float64Array(n).fill(Infinity);
  const level = new Float64Array(n).fill(Number.NaN);
  let now = Number.NaN;
  for (let t = 0; t < n; t++) {
    let worst = Infinity;
    let priced = false;
    closes.forEach((c, f) => {
      const p = c[t] as number;
      if (Number.isNaN(p)) return;
      priced = true;
      const before = t > 0 ? ((marks[f] as Float64Array)[t - 1] as number) : Number.NaN;
      if (!Number.isNaN(before)) worst = Math.min(worst, p / before);
    });
    if (priced) {
      now = Number.isNaN(now) ? 1 : worst === Infinity ? now : now * worst;
      close[t] = now;
    }
    level[t] = now;
  }
  return { close, level };
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
    const s = index.symbols[index.classOf[tr.symbol] as number] as SymbolIndex;
    const to = Math.min(tr.to, index.end);
    const perShare = ((tr.shares / 1e6) * ((index.marks[tr.symbol] as Float64Array)[tr.from] as number)) / (s.level[tr.from] as number);
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
      const windowLoss = tr.cost - Math.round(perShare * (s.close[l] as number) * 100);
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
