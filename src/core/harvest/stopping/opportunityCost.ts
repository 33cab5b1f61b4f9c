/**
 * The opportunity cost of harvesting now instead of waiting (seed paper, "Opportunity Cost": the
 * expected future harvesting benefit forgone, from the asset class's expected return and
 * volatility), as an optimal-stopping problem on a trinomial lattice. Model, math and figures:
 * docs/harvester.md#opportunity-cost.
 *
 * State: x = ln(price / basis per share) of the position (x < 0 is a loss), and the lock-out of the
 * class's alternates. Every harvest moves the position into a free alternate and locks the
 * security sold for 30 days (§1091), so a class with k alternates has k "tokens": a harvest uses a
 * free token and the token comes back 30 days later. Lock state = the time until each token is
 * free again, in units of 3 trading days (30 calendar days ≈ 21 trading days = 7 units, rounded
 * up); harvesting needs a free token. Values are per dollar of market value and in
 * units of the short-term tax rate, so one table serves every household with the same normalized
 * round-trip trading cost κ = cost / short-term rate and rate ratio ρ = this lot's rate / the
 * short-term rate:
 *
 *   harvest now:  ρ (e^{-x} - 1) - κ + F(0, lock after)      loss captured, costs paid, fresh lot
 *   wait a day:   e^{-μ dt} E[e^{Δ} V(x + Δ, lock - 1 day)]   Δ: one trinomial step of ln price
 *
 * F is the same problem for a fresh lot (ρ = 1). The horizon is one year of trading days; values
 * are discounted at the asset's expected return, i.e. measured relative to the position's own
 * growth. The opportunity cost of harvesting at x is (wait(x) - F(0, lock after))+ × short-term
 * rate × market value: what this lot's deeper future harvests are worth beyond a fresh lot's.
 * Harvesting is optimal exactly when benefit - trading costs - opportunity cost >= 0.
 */

import { marginRate } from '../rule.js';

export const TRADING_DAYS = 252;
export const HORIZON_DAYS = 252;
/** The 30-calendar-day lock-out in trading days, counted in units of 3 (rounded up: conservative). */
export const LOCK_CALENDAR_DAYS = 30;
const LOCK_UNIT_DAYS = 3;
const LOCK_UNITS = Math.ceil((LOCK_CALENDAR_DAYS * TRADING_DAYS) / 365 / LOCK_UNIT_DAYS);
const X_LOW = -0.7;
const X_HIGH = 0.35;

export interface StoppingParams {
  /** Expected annual return (arithmetic), e.g. 0.067. */
  readonly mu: number;
  /** Annual volatility, e.g. 0.175. */
  readonly sigma: number;
  /** Round-trip trading cost per dollar of market value, divided by the short-term rate. */
  readonly kappa: number;
  /** This lot's tax rate divided by the short-term rate (1 for short-term lots). */
  readonly rho: number;
  /** Alternates the class offers besides the security held (0, 1 or 2). */
  readonly alternates: number;
}

/** Lock units (3 trading days) until each of the class's alternates is free, larger first (0 = free). */
export type LockState = readonly [number, number];

export interface StoppingTable {
  readonly params: StoppingParams;
  readonly x0: number;
  readonly dx: number;
  readonly nodes: number;
  /** Day-0 waiting value of this lot per lock layer (see `layer`), node-major within a layer. */
  readonly wait: Float64Array;
  /** Day-0 value of a fresh lot at x = 0 per lock layer. */
  readonly fresh: Float64Array;
  /** Per lock layer: the fresh replacement's value right after harvesting from that layer. */
  readonly freshAfterHarvest: Float64Array;
}

/** Layer index of a lock state (u1 >= u2); a class with one alternate uses u2 = 0 only. */
export function layer(u1: number, u2: number): number {
  return (u1 * (u1 + 1)) / 2 + u2;
}

const LAYERS = layer(LOCK_UNITS, LOCK_UNITS) + 1;

/** The lock state after a harvest from `s`: the free token is used and locked for 30 days. */
export function afterHarvest(s: LockState): LockState {
  return [LOCK_UNITS, s[0]];
}

/**
 * The lock state of a class from the calendar days until each of its locked alternates is free
 * again (alternates not listed are free). Trading days are 252/365 of calendar days.
 */
export function lockState(alternates: number, remainingCalendarDays: readonly number[]): LockState {
  const units = remainingCalendarDays.map(lockUnits).sort((a, b) => b - a);
  const u1 = units[0] ?? 0;
  return alternates >= 2 ? [u1, units[1] ?? 0] : [u1, 0];
}

/** Harvesting needs a free alternate. */
export function canHarvest(p: StoppingParams, s: LockState): boolean {
  return p.alternates >= 2 ? s[1] === 0 : p.alternates === 1 ? s[0] === 0 : false;
}

interface Lattice {
  readonly n: number;
  readonly x0: number;
  readonly dx: number;
  readonly zero: number;
  readonly pu: number;
  readonly pm: number;
  readonly pd: number;
}

function lattice(mu: number, sigma: number): Lattice {
  const dt = 1 / TRADING_DAYS;
  const s = Math.max(sigma, 0.01);
  const dx = s * Math.sqrt(3 * dt);
  const below = Math.ceil(-X_LOW / dx);
  const above = Math.ceil(X_HIGH / dx);
  const drift = (mu - (s * s) / 2) * Math.sqrt(dt / (12 * s * s));
  const growth = Math.exp(-mu * dt);
  // The three moves' probabilities with the market-value growth e^{Δ} and the discount e^{-μ dt}
  // folded in; x = 0 is a node, so a fresh lot starts exactly at its basis.
  return {
    n: below + above + 1,
    x0: -below * dx,
    dx,
    zero: below,
    pu: (1 / 6 + drift) * Math.exp(dx) * growth,
    pm: (2 / 3) * growth,
    pd: (1 / 6 - drift) * Math.exp(-dx) * growth,
  };
}

/**
 * One day of waiting from layer `from` of `v` into layer `to` of `out`, edges clamped: the node
 * below the first is the first, the node above the last the last. Each node's value is read once
 * and carried down the loop; every sum is the same expression in the same order as with three
 * reads, so the values are the same to the bit.
 */
function step(l: Lattice, v: Float64Array, from: number, out: Float64Array, to: number): void {
  const { n, pu, pm, pd } = l;
  const a = from * n;
  const b = to * n;
  const last = n - 1;
  let down = v[a] as number;
  let mid = down;
  for (let i = 0; i < last; i++) {
    const up = v[a + i + 1] as number;
    out[b + i] = pu * up + pm * mid + pd * down;
    down = mid;
    mid = up;
  }
  out[b + last] = pu * mid + pm * mid + pd * down;
}

/** The lock states a class with `alternates` tokens can be in, as [u1, u2] pairs. */
function states(alternates: number): LockState[] {
  const out: LockState[] = [];
  for (let u1 = 0; u1 <= LOCK_UNITS; u1++) {
    if (alternates >= 2) for (let u2 = 0; u2 <= u1; u2++) out.push([u1, u2]);
    else out.push([u1, 0]);
  }
  return out;
}

/**
 * The layers of a class's lock states in `states` order, as the induction walks them: each
 * state's layer, the layer it steps from on a day the locks count down (one unit every third
 * trading day; on other days it steps from its own), and the states that may harvest (needing a
 * free alternate) with the layer a harvest moves them to.
 */
interface Layers {
  readonly at: Int32Array;
  readonly countdown: Int32Array;
  readonly harvesting: Int32Array;
  readonly after: Int32Array;
}

function layersOf(all: readonly LockState[], alternates: number): Layers {
  const harvesting = all.filter((s) => canHarvest({ mu: 0, sigma: 0, kappa: 0, rho: 1, alternates }, s));
  const layerOf = (s: LockState): number => layer(s[0], s[1]);
  return {
    at: Int32Array.from(all, layerOf),
    countdown: Int32Array.from(all, (s) => layer(Math.max(0, s[0] - 1), Math.max(0, s[1] - 1))),
    harvesting: Int32Array.from(harvesting, layerOf),
    after: Int32Array.from(harvesting, (s) => layerOf(afterHarvest(s))),
  };
}

/** One day of waiting for every lock state, from `next` (tomorrow) into `now`. */
function stepDay(l: Lattice, layers: Layers, day: number, next: Float64Array, now: Float64Array): void {
  const from = day % LOCK_UNIT_DAYS === LOCK_UNIT_DAYS - 1 ? layers.countdown : layers.at;
  const at = layers.at;
  for (let k = 0; k < at.length; k++) step(l, next, from[k] as number, now, at[k] as number);
}

/**
 * The fresh lot's problem (F, ρ = 1), solved once per class, κ and number of alternates and
 * shared by every ρ: its day-0 values, and for each day and lock state the value of the fresh
 * replacement right after a harvest from that state (what a harvest on that day adds).
 */
interface FreshSolution {
  readonly params: Omit<StoppingParams, 'rho'>;
  readonly l: Lattice;
  readonly all: readonly LockState[];
  readonly layers: Layers;
  readonly gain: Float64Array;
  /** [day * LAYERS + layer]: F right after harvesting from that layer on that day. */
  readonly post: Float64Array;
  /** Day 0, continuation value (before the day's harvest), for ρ = 1. */
  readonly wait: Float64Array;
  readonly fresh: Float64Array;
  readonly freshAfterHarvest: Float64Array;
}

/**
 * Both inductions take a harvest's payoff at node i as `(ρ gain_i - κ) + value`: the bracket,
 * the same for every day, is computed once per node (`payoff`), the sum in the same order, so
 * the tables are the same to the bit as when it was computed in the loop.
 */
function solveFresh(p: Omit<StoppingParams, 'rho'>): FreshSolution {
  const l = lattice(p.mu, p.sigma);
  const n = l.n;
  const all = states(p.alternates);
  const layers = layersOf(all, p.alternates);
  const gain = new Float64Array(n);
  for (let i = 0; i < n; i++) gain[i] = Math.exp(-(l.x0 + i * l.dx)) - 1;
  const payoff = new Float64Array(n);
  for (let i = 0; i < n; i++) payoff[i] = (gain[i] as number) - p.kappa;
  const post = new Float64Array(HORIZON_DAYS * LAYERS);
  let next = new Float64Array(LAYERS * n);
  let now = new Float64Array(LAYERS * n);
  const wait = new Float64Array(LAYERS * n);
  const { harvesting, after } = layers;
  for (let d = HORIZON_DAYS - 1; d >= 0; d--) {
    stepDay(l, layers, d, next, now);
    if (d === 0) wait.set(now);
    for (let k = 0; k < harvesting.length; k++) {
      const at = harvesting[k] as number;
      const value = now[(after[k] as number) * n + l.zero] as number;
      post[d * LAYERS + at] = value;
      const base = at * n;
      for (let i = 0; i < n; i++) {
        const f = (payoff[i] as number) + value;
        if (f > (now[base + i] as number)) now[base + i] = f;
      }
    }
    [next, now] = [now, next];
  }
  const fresh = new Float64Array(LAYERS);
  for (const s of all) fresh[layer(s[0], s[1])] = next[layer(s[0], s[1]) * n + l.zero] as number;
  const freshAfterHarvest = new Float64Array(LAYERS);
  for (const s of all) {
    const a = afterHarvest(s);
    freshAfterHarvest[layer(s[0], s[1])] = fresh[layer(a[0], a[1])] as number;
  }
  return { params: p, l, all, layers, gain, post, wait, fresh, freshAfterHarvest };
}

/** This lot's problem (ρ) on top of a fresh solution: its day-0 waiting values. */
function solveLot(f: FreshSolution, rho: number): StoppingTable {
  const { l, layers, gain, post } = f;
  const p = { ...f.params, rho };
  const n = l.n;
  const table = (wait: Float64Array): StoppingTable => ({ params: p, x0: l.x0, dx: l.dx, nodes: n, wait, fresh: f.fresh, freshAfterHarvest: f.freshAfterHarvest });
  if (rho === 1) return table(f.wait);
  const payoff = new Float64Array(n);
  for (let i = 0; i < n; i++) payoff[i] = rho * (gain[i] as number) - p.kappa;
  let next = new Float64Array(LAYERS * n);
  let now = new Float64Array(LAYERS * n);
  const wait = new Float64Array(LAYERS * n);
  // Unlike the fresh lot's, a harvest's value here is known before the day (`post`), so each
  // layer that may harvest is stepped and compared in one pass.
  const harvests = new Uint8Array(LAYERS);
  for (const at of layers.harvesting) harvests[at] = 1;
  for (let d = HORIZON_DAYS - 1; d >= 1; d--) {
    const from = d % LOCK_UNIT_DAYS === LOCK_UNIT_DAYS - 1 ? layers.countdown : layers.at;
    for (let k = 0; k < layers.at.length; k++) {
      const to = layers.at[k] as number;
      if (harvests[to] === 1) stepHarvesting(l, next, from[k] as number, now, to, payoff, post[d * LAYERS + to] as number);
      else step(l, next, from[k] as number, now, to);
    }
    [next, now] = [now, next];
  }
  // Day 0's waiting values are the table; the harvest that day would only set what is not returned.
  stepDay(l, layers, 0, next, wait);
  return table(wait);
}

/**
 * `step` into a layer that may harvest, taking `payoff_i + value` where it beats waiting: the
 * same values, to the bit, as stepping the layer and then comparing node by node.
 */
function stepHarvesting(l: Lattice, v: Float64Array, from: number, out: Float64Array, to: number, payoff: Float64Array, value: number): void {
  const { n, pu, pm, pd } = l;
  const a = from * n;
  const b = to * n;
  const last = n - 1;
  let down = v[a] as number;
  let mid = down;
  for (let i = 0; i < last; i++) {
    const up = v[a + i + 1] as number;
    const w = pu * up + pm * mid + pd * down;
    const h = (payoff[i] as number) + value;
    out[b + i] = h > w ? h : w;
    down = mid;
    mid = up;
  }
  const w = pu * mid + pm * mid + pd * down;
  const h = (payoff[last] as number) + value;
  out[b + last] = h > w ? h : w;
}

/**
 * Backward induction over the horizon for a fresh lot (F, ρ = 1) and this lot (ρ), returning the
 * day-0 values. Cost: layers × nodes × days; a few milliseconds per class.
 */
export function solveStopping(p: StoppingParams): StoppingTable {
  return solveLot(solveFresh(p), p.rho);
}

/** Waiting value at x in lock state s, linearly interpolated between lattice nodes. */
export function waitValue(t: StoppingTable, s: LockState, x: number): number {
  return waitInLayer(t, layer(s[0], s[1]), x);
}

function waitInLayer(t: StoppingTable, layerIndex: number, x: number): number {
  const base = layerIndex * t.nodes;
  const pos = Math.min(Math.max((x - t.x0) / t.dx, 0), t.nodes - 1);
  const i = Math.min(Math.floor(pos), t.nodes - 2);
  const f = pos - i;
  return (t.wait[base + i] as number) * (1 - f) + (t.wait[base + i + 1] as number) * f;
}

/** Value of the fresh replacement right after harvesting in lock state s. */
export function freshAfter(t: StoppingTable, s: LockState): number {
  return t.freshAfterHarvest[layer(s[0], s[1])] as number;
}

/**
 * Opportunity cost of harvesting now, in short-term-rate units per dollar of market value:
 * (wait(x) - fresh after the harvest)+. Multiply by the short-term rate and the market value.
 */
export function opportunityCostRate(t: StoppingTable, s: LockState, x: number): number {
  return opportunityInLayer(t, layer(s[0], s[1]), x);
}

/** `opportunityCostRate` for a lock layer index: the allocation-free form bulk scans use. */
export function opportunityInLayer(t: StoppingTable, layerIndex: number, x: number): number {
  const extra = waitInLayer(t, layerIndex, x) - (t.freshAfterHarvest[layerIndex] as number);
  return extra > 0 ? extra : 0;
}

/** Lock units (3 trading days, rounded up, at most 30 calendar days) of a lock-out in calendar days. */
export function lockUnits(calendarDays: number): number {
  if (calendarDays <= 0) return 0;
  const u = Math.ceil((calendarDays * TRADING_DAYS) / 365 / LOCK_UNIT_DAYS);
  return u < LOCK_UNITS ? u : LOCK_UNITS;
}

/**
 * The shallowest loss (as x = ln(value / basis)) at which harvesting is optimal in lock state s,
 * or -Infinity if none on the grid: the screen's per-class threshold.
 */
export function harvestThreshold(t: StoppingTable, s: LockState): number {
  if (!canHarvest(t.params, s)) return -Infinity;
  const post = freshAfter(t, s);
  let best = -Infinity;
  for (let i = 0; i < t.nodes; i++) {
    const x = t.x0 + i * t.dx;
    if (x > 0) break;
    if (marginRate(t.params.rho, x, t.params.kappa, waitValue(t, s, x) - post, 0) >= 0) best = x;
  }
  return best;
}

/**
 * Tables for every parameter set a run needs, solved once. κ is rounded to 2 significant digits
 * and ρ to 0.01 so households with nearly equal rates share a table; that moves a threshold by far
 * less than one lattice step. The fresh lot's problem is solved once per class, κ and alternates;
 * this lot's is solved every 0.05 of ρ and interpolated linearly in between. The waiting value is
 * a maximum over stopping rules of payoffs linear in ρ, hence convex in ρ: the interpolation can
 * only overstate it, by a small fraction of a lattice step — erring towards waiting.
 */
export class StoppingTables {
  /** By class (μ, σ), then by the rounded κ and alternates packed into one number. */
  private readonly fresh = new Map<number, Map<number, Map<number, FreshSolution>>>();
  private readonly byRho = new Map<FreshSolution, Map<number, StoppingTable>>();
  private count = 0;

  get(p: StoppingParams): StoppingTable {
    return this.lot(this.freshFor(p), Math.round(p.rho * 100));
  }

  /**
   * `get` for many lots of one class, κ and alternates, by ρ alone: the fresh lot's problem is
   * looked up once instead of per lot (a direct index prices thousands of lots a day).
   */
  forClass(p: Omit<StoppingParams, 'rho'>): (rho: number) => StoppingTable {
    const f = this.freshFor(p);
    return (rho) => this.lot(f, Math.round(rho * 100));
  }

  private freshFor(p: Omit<StoppingParams, 'rho'>): FreshSolution {
    const [kappaDigits, kappaExponent] = twoDigits(p.kappa);
    const alternates = Math.min(2, Math.max(0, p.alternates));
    let bySigma = this.fresh.get(p.mu);
    if (bySigma === undefined) this.fresh.set(p.mu, (bySigma = new Map()));
    let solutions = bySigma.get(p.sigma);
    if (solutions === undefined) bySigma.set(p.sigma, (solutions = new Map()));
    const key = ((kappaExponent + 400) * 100 + kappaDigits) * 3 + alternates;
    let f = solutions.get(key);
    if (f === undefined) {
      const kappa = kappaDigits === 0 ? 0 : kappaDigits === INFINITE ? Infinity : Number((kappaDigits * 10 ** kappaExponent).toPrecision(2));
      f = solveFresh({ mu: p.mu, sigma: p.sigma, kappa, alternates });
      solutions.set(key, f);
      this.count += 1;
    }
    return f;
  }

  /** The table for ρ = steps / 100: solved on the grid, interpolated between grid points. */
  private lot(f: FreshSolution, steps: number): StoppingTable {
    let tables = this.byRho.get(f);
    if (tables === undefined) this.byRho.set(f, (tables = new Map()));
    const found = tables.get(steps);
    if (found !== undefined) return found;
    let t: StoppingTable;
    const below = Math.floor(steps / RHO_GRID) * RHO_GRID;
    if (below === steps) {
      t = solveLot(f, steps / 100);
      if (steps !== 100) this.count += 1;
    } else {
      const lo = this.lot(f, below);
      const hi = this.lot(f, below + RHO_GRID);
      const w = (steps - below) / RHO_GRID;
      const wait = new Float64Array(lo.wait.length);
      for (let i = 0; i < wait.length; i++) wait[i] = (lo.wait[i] as number) * (1 - w) + (hi.wait[i] as number) * w;
      t = { ...lo, params: { ...lo.params, rho: steps / 100 }, wait };
    }
    tables.set(steps, t);
    return t;
  }

  /** Backward inductions run (fresh problems and grid points of ρ), for tests and benchmarks. */
  get size(): number {
    return this.count;
  }
}

/** ρ grid of solved tables, in hundredths. */
const RHO_GRID = 5;

const INFINITE = 100;

/** κ rounded to two significant digits, as the digits (10-99; 0 for κ <= 0, 100 for ∞) and their exponent. */
function twoDigits(kappa: number): [number, number] {
  if (!(kappa > 0)) return [0, 0];
  if (!Number.isFinite(kappa)) return [INFINITE, 0];
  let e = Math.floor(Math.log10(kappa)) - 1;
  let digits = Math.round(kappa / 10 ** e);
  if (digits >= 100) {
    digits = Math.round(digits / 10);
    e += 1;
  } else if (digits < 10) {
    digits = Math.round(kappa / 10 ** (e - 1));
    e -= 1;
  }
  return [digits, e];
}
