/**
 * Portfolio construction for a direct index: weights over the risk model's stocks that minimize
 * ex-ante tracking error against the benchmark, long only, with per-stock and per-sector bounds
 * and exclusions, solved as a convex QP by the solver port:
 *
 *   minimize   ‖y‖² + Σ dᵢ wᵢ² + d_b              (= TE², riskModel.ts)
 *   subject to y = Bᵀw − b,  Σ wᵢ = total,  lowerᵢ ≤ wᵢ ≤ upperᵢ,  sector minₛ ≤ Σ_{i∈s} wᵢ ≤ maxₛ
 *
 * `optimize` is the one solve, used both to build a portfolio (lower 0) and to place cash after a
 * harvest or a deposit (lower = today's weights, so nothing else is sold). Holding at most N names
 * is a cardinality constraint, which no convex QP expresses: `buildPortfolio` solves over every
 * allowed name, keeps the N largest weights and solves again over those (the usual heuristic).
 *
 * Infeasible bounds get a sentence that says which bound and by how much before the solver runs.
 */
import type { Symbol } from '../ledger/household.js';
import type { QpProblem, QpSolver } from './qp.js';
import { covariance, trackingError, type RiskModel } from './riskModel.js';

export interface SectorBound {
  readonly min?: number;
  readonly max?: number;
}

export interface ConstructionConfig {
  /** Hold at most this many names (undefined: as many as the optimizer wants). */
  readonly names?: number;
  /** Largest weight of one stock, as a fraction of the sleeve. */
  readonly maxWeight: number;
  /** Largest weight of any one GICS sector (stocks without a sector are not capped). */
  readonly maxSectorWeight?: number;
  /** Bounds for named sectors, overriding `maxSectorWeight`. */
  readonly sectorBounds?: ReadonlyMap<string, SectorBound>;
  readonly excludeSymbols?: readonly Symbol[];
  readonly excludeSectors?: readonly string[];
}

export const DEFAULT_CONSTRUCTION: ConstructionConfig = { maxWeight: 0.1 };

export interface OptimizeInput {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Fraction of the sleeve to invest (1 for a new portfolio). */
  readonly total: number;
  readonly sectorOf: (symbol: Symbol) => string | undefined;
  readonly maxSectorWeight?: number;
  readonly sectorBounds?: ReadonlyMap<string, SectorBound>;
}

export type Optimized =
  | { readonly ok: true; readonly weights: Float64Array; readonly trackingError: number }
  | { readonly ok: false; readonly message: string };

interface SectorRow {
  readonly name: string;
  readonly members: number[];
  readonly min: number;
  readonly max: number;
}

function sectorRows(model: RiskModel, input: OptimizeInput): SectorRow[] {
  const members = new Map<string, number[]>();
  model.symbols.forEach((s, i) => {
    const sector = input.sectorOf(s);
    if (sector === undefined) return;
    const list = members.get(sector) ?? [];
    list.push(i);
    members.set(sector, list);
  });
  const rows: SectorRow[] = [];
  for (const [name, list] of [...members].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const bound = input.sectorBounds?.get(name);
    const min = bound?.min ?? 0;
    const max = bound?.max ?? input.maxSectorWeight ?? Infinity;
    if (min > 0 || max < Infinity) rows.push({ name, members: list, min, max });
  }
  for (const name of input.sectorBounds?.keys() ?? []) {
    if (!members.has(name) && (input.sectorBounds?.get(name)?.min ?? 0) > 0) rows.push({ name, members: [], min: input.sectorBounds?.get(name)?.min ?? 0, max: 0 });
  }
  return rows;
}

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;

/** Why the bounds cannot hold, if they cannot (checked before solving, for a clear message). */
export function boundsProblem(model: RiskModel, input: OptimizeInput, rows: readonly SectorRow[]): string | undefined {
  const n = model.symbols.length;
  let lowerSum = 0;
  for (let i = 0; i < n; i++) {
    if ((input.lower[i] as number) > (input.upper[i] as number) + 1e-12) return `${model.symbols[i]}: its lower bound ${pct(input.lower[i] as number)} is above its upper bound ${pct(input.upper[i] as number)}`;
    lowerSum += input.lower[i] as number;
  }
  if (lowerSum > input.total + 1e-9) return `the lower bounds add up to ${pct(lowerSum)}, more than the ${pct(input.total)} to invest`;
  const capped = new Set<number>();
  let reachable = 0;
  for (const r of rows) {
    let inside = 0;
    let floor = 0;
    for (const i of r.members) {
      inside += input.upper[i] as number;
      floor += input.lower[i] as number;
      capped.add(i);
    }
    if (r.min > inside + 1e-12) return `sector ${r.name}: its minimum ${pct(r.min)} is more than its stocks may hold (${pct(inside)} with the per-stock bounds)`;
    if (floor > r.max + 1e-12) return `sector ${r.name}: its stocks already hold ${pct(floor)}, above its maximum ${pct(r.max)}`;
    reachable += Math.min(inside, r.max);
  }
  for (let i = 0; i < n; i++) if (!capped.has(i)) reachable += input.upper[i] as number;
  if (reachable < input.total - 1e-9) {
    const open = [...input.upper].filter((u) => u > 0).length;
    return `the bounds let at most ${pct(reachable)} be invested, less than ${pct(input.total)}: ${open} stocks may be bought${rows.length > 0 ? ' within the sector caps' : ''}; raise the per-stock or sector maximum, or allow more names`;
  }
  return undefined;
}

/**
 * The most the bounds let be invested (per-stock upper bounds, capped by sector maximums): a
 * caller placing cash while most names are blocked invests this much and keeps the rest as cash.
 */
export function reachable(model: RiskModel, input: OptimizeInput): number {
  const rows = sectorRows(model, input);
  const capped = new Set<number>();
  let total = 0;
  for (const r of rows) {
    let inside = 0;
    for (const i of r.members) {
      inside += input.upper[i] as number;
      capped.add(i);
    }
    total += Math.min(inside, r.max);
  }
  for (let i = 0; i < model.symbols.length; i++) if (!capped.has(i)) total += input.upper[i] as number;
  return total;
}

export function optimize(model: RiskModel, input: OptimizeInput, solver: QpSolver): Optimized {
  const rows = sectorRows(model, input);
  const problem = boundsProblem(model, input, rows);
  if (problem !== undefined) return { ok: false, message: `infeasible bounds: ${problem}` };
  const n = model.symbols.length;
  // Only names that may move are variables: a placement with most names held fixed (sold, washed)
  // is a small QP, and fixed variables make HiGHS's active-set method degenerate.
  const free: number[] = [];
  for (let i = 0; i < n; i++) if ((input.upper[i] as number) - (input.lower[i] as number) > 1e-12) free.push(i);
  const weights = Float64Array.from(input.lower);
  const lowerSum = input.lower.reduce((a, b) => a + b, 0);
  // The amount placed, as the QP's unit: a sliver of cash otherwise leaves every objective
  // difference below HiGHS's absolute tolerances, where its active-set method cycles.
  const scale = input.total - lowerSum;
  if (free.length > 0 && scale > 1e-12) {
    const result = solver.solve(toQp(model, input, rows, free, scale));
    if (result.status === 'infeasible') return { ok: false, message: 'infeasible bounds: the solver found no weights within the per-stock and sector bounds' };
    if (result.status === 'failed') return { ok: false, message: `${solver.name}: ${result.message}` };
    free.forEach((i, j) => (weights[i] = Math.min(input.upper[i] as number, (input.lower[i] as number) + scale * Math.max(0, result.x[j] as number))));
  }
  return { ok: true, weights, trackingError: trackingError(model, weights) };
}

/**
 * The QP over the additions a = w − lower ≥ 0, with the factor model folded into a dense Hessian:
 *
 *   TE² = ‖Bᵀ(l + a) − b‖² + Σ dᵢ(lᵢ + aᵢ)² + d_b = ½ aᵀQa + cᵀa + offset
 *   Q = 2(B Bᵀ + D),  c = 2(B r + D l),  offset = ‖r‖² + Σ dᵢlᵢ² + d_b,  r = Bᵀl − b
 *
 * (Exposures as extra variables tied by equality rows would keep Q diagonal, but HiGHS's QP
 * solver stops with an error on some such problems that are feasible; the dense form solves them.)
 * The variables are the additions of the names in `free` (ascending), in units of `scale` (the
 * amount to place: a = scale·z, the objective divided by scale²); the others stay at `lower`.
 */
function toQp(model: RiskModel, input: OptimizeInput, sectors: readonly SectorRow[], free: readonly number[], scale: number): QpProblem {
  const all = model.symbols.length;
  const n = free.length;
  const k = model.factors;
  const B = model.loadings;
  const l = input.lower;
  const r = new Float64Array(k);
  for (let f = 0; f < k; f++) {
    let held = 0;
    for (let i = 0; i < all; i++) held += (B[i * k + f] as number) * (l[i] as number);
    r[f] = held - (model.benchmarkLoadings[f] as number);
  }
  let offset = model.benchmarkSpecific;
  for (let f = 0; f < k; f++) offset += (r[f] as number) ** 2;
  let lowerSum = 0;
  for (let i = 0; i < all; i++) {
    const li = l[i] as number;
    offset += (model.specific[i] as number) * li * li;
    lowerSum += li;
  }
  const linear = new Float64Array(n);
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  const column = new Int32Array(all).fill(-1);
  free.forEach((i, j) => {
    column[i] = j;
    let br = 0;
    for (let f = 0; f < k; f++) br += (B[i * k + f] as number) * (r[f] as number);
    linear[j] = (2 * (br + (model.specific[i] as number) * (l[i] as number))) / scale;
    upper[j] = Math.max(0, (input.upper[i] as number) - (l[i] as number)) / scale;
  });
  const entries = (n * (n + 1)) / 2;
  const hStart = new Int32Array(n + 1);
  const hIndex = new Int32Array(entries);
  const hValue = new Float64Array(entries);
  const cov = covariances(model);
  let at = 0;
  for (let jj = 0; jj < n; jj++) {
    const j = free[jj] as number;
    hStart[jj] = at;
    for (let ii = jj; ii < n; ii++) {
      hIndex[at] = ii;
      hValue[at] = 2 * (cov[(free[ii] as number) * all + j] as number);
      at++;
    }
  }
  hStart[n] = at;
  const start: number[] = [0];
  const index: number[] = [];
  const value: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  for (let j = 0; j < n; j++) {
    index.push(j);
    value.push(1);
  }
  start.push(index.length);
  rowLower.push((input.total - lowerSum) / scale);
  rowUpper.push((input.total - lowerSum) / scale);
  for (const s of sectors) {
    let held = 0;
    for (const i of s.members) {
      held += l[i] as number;
      const j = column[i] as number;
      if (j < 0) continue;
      index.push(j);
      value.push(1);
    }
    start.push(index.length);
    rowLower.push((s.min - held) / scale);
    rowUpper.push((s.max - held) / scale);
  }
  return {
    numVars: n,
    hessian: { start: hStart, index: hIndex, value: hValue },
    linear,
    offset: offset / (scale * scale),
    lower,
    upper,
    rows: { start: Int32Array.from(start), index: Int32Array.from(index), value: Float64Array.from(value) },
    rowLower: Float64Array.from(rowLower),
    rowUpper: Float64Array.from(rowUpper),
  };
}

/**
 * The model's covariances between stocks i ≥ j (row i, column j of an all × all array): every
 * placement's Hessian is a part of this one matrix, so it is worked out once per model rather than
 * once per solve (a day's decision may solve several placements over ~400 names).
 */
const covarianceCache = new WeakMap<RiskModel, Float64Array>();

function covariances(model: RiskModel): Float64Array {
  let cov = covarianceCache.get(model);
  if (cov === undefined) {
    const all = model.symbols.length;
    cov = new Float64Array(all * all);
    for (let i = 0; i < all; i++) for (let j = 0; j <= i; j++) cov[i * all + j] = covariance(model, i, j);
    covarianceCache.set(model, cov);
  }
  return cov;
}

export type Built =
  | { readonly ok: true; readonly weights: Float64Array; readonly trackingError: number; readonly names: number }
  | { readonly ok: false; readonly message: string };

/** A new portfolio from cash: every allowed stock a candidate, then the N largest re-solved. */
export function buildPortfolio(model: RiskModel, config: ConstructionConfig, sectorOf: (s: Symbol) => string | undefined, solver: QpSolver): Built {
  const unknown = (config.excludeSymbols ?? []).filter((s) => !model.index.has(s));
  if (unknown.length > 0) return { ok: false, message: `exclusions name stocks outside the candidates: ${unknown.join(', ')}` };
  const n = model.symbols.length;
  const upper = new Float64Array(n);
  const excludedSectors = new Set(config.excludeSectors ?? []);
  const excludedSymbols = new Set(config.excludeSymbols ?? []);
  model.symbols.forEach((s, i) => {
    const sector = sectorOf(s);
    upper[i] = excludedSymbols.has(s) || (sector !== undefined && excludedSectors.has(sector)) ? 0 : config.maxWeight;
  });
  const input = (up: Float64Array): OptimizeInput => ({
    lower: new Float64Array(n),
    upper: up,
    total: 1,
    sectorOf,
    ...(config.maxSectorWeight !== undefined ? { maxSectorWeight: config.maxSectorWeight } : {}),
    ...(config.sectorBounds !== undefined ? { sectorBounds: config.sectorBounds } : {}),
  });
  let result = optimize(model, input(upper), solver);
  if (!result.ok || config.names === undefined) return result.ok ? { ...result, names: held(result.weights) } : result;
  if (held(result.weights) > config.names) {
    const keep = new Set([...result.weights.keys()].sort((a, b) => (result as { weights: Float64Array }).weights[b]! - (result as { weights: Float64Array }).weights[a]!).slice(0, config.names));
    const narrowed = upper.map((u, i) => (keep.has(i) ? u : 0));
    result = optimize(model, input(narrowed), solver);
    if (!result.ok) return { ok: false, message: `${result.message} (holding at most ${config.names} names)` };
  }
  return { ...result, names: held(result.weights) };
}

const HELD = 1e-6;

function held(weights: Float64Array): number {
  let count = 0;
  for (const w of weights) if (w > HELD) count++;
  return count;
}
