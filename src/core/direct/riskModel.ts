/**
 * A statistical factor risk model estimated from past daily returns only (a ReturnWindow):
 *
 *   Σ = B Bᵀ + D        (annualized; factors orthonormal with unit variance)
 *
 * The factors are the top principal components of the stocks' demeaned returns over the window
 * (computed from the T×T Gram matrix X Xᵀ, cheap when T ≪ N), B are each stock's loadings on them,
 * D the residual (specific) variances shrunk toward their cross-sectional mean. The benchmark gets
 * loadings and a specific variance the same way, so the ex-ante tracking error of weights w is
 *
 *   TE(w)² = ‖Bᵀw − b‖² + Σ dᵢ wᵢ² + d_b
 *
 * Statistical factors need no external factor data and, estimated on a year of returns, pick up
 * market, sector and style co-movement (the first is the market, the next few split sectors).
 * Residual correlation between stocks is ignored (the model's point), which is why
 * the optimizer spreads weight across names with the same exposures instead of chasing one.
 */
import { EVD, Matrix } from 'ml-matrix';
import type { Symbol } from '../ledger/household.js';
import { TRADING_DAYS_PER_YEAR } from '../market/prices.js';
import type { ReturnWindow } from './returnWindow.js';

export interface RiskModelOptions {
  /** Number of statistical factors (capped at the window length and the number of stocks less one). */
  readonly factors: number;
  /** Weight of the cross-sectional mean in each specific variance (0 = none, 1 = all equal). */
  readonly specificShrinkage: number;
}

export const DEFAULT_RISK_OPTIONS: RiskModelOptions = { factors: 15, specificShrinkage: 0.2 };

export interface RiskModel {
  readonly symbols: readonly Symbol[];
  readonly index: ReadonlyMap<Symbol, number>;
  readonly factors: number;
  /** Loadings, row-major: loadings[i * factors + k] (annualized units: factor variance 1). */
  readonly loadings: Float64Array;
  /** Annualized specific variance of each stock. */
  readonly specific: Float64Array;
  readonly benchmarkLoadings: Float64Array;
  readonly benchmarkSpecific: number;
  /** Days the model was estimated over (first and last return). */
  readonly from: number;
  readonly through: number;
}

export function estimateRiskModel(window: ReturnWindow, options: RiskModelOptions = DEFAULT_RISK_OPTIONS): RiskModel {
  const T = window.days.length;
  const N = window.symbols.length;
  const k = Math.max(1, Math.min(options.factors, N - 1, T - 1));
  const X = new Float64Array(window.returns);
  for (let j = 0; j < N; j++) demean(X, j * T, T);
  const xb = new Float64Array(window.benchmark);
  demean(xb, 0, T);
  // Rows by day for the Gram matrix, so its inner loop runs over contiguous memory.
  const byDay = new Float64Array(T * N);
  for (let j = 0; j < N; j++) for (let t = 0; t < T; t++) byDay[t * N + j] = X[j * T + t] as number;
  const gram = new Matrix(T, T);
  for (let s = 0; s < T; s++) {
    for (let t = s; t < T; t++) {
      let sum = 0;
      for (let j = 0, a = s * N, b = t * N; j < N; j++) sum += (byDay[a + j] as number) * (byDay[b + j] as number);
      gram.set(s, t, sum);
      gram.set(t, s, sum);
    }
  }
  const evd = new EVD(gram, { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).slice(0, k).map(([, i]) => i);
  const U = new Float64Array(T * k);
  order.forEach((col, f) => {
    for (let t = 0; t < T; t++) U[f * T + t] = evd.eigenvectorMatrix.get(t, col);
  });
  const scale = TRADING_DAYS_PER_YEAR / (T - 1);
  const project = (x: Float64Array, offset: number, out: Float64Array, outOffset: number): number => {
    let total = 0;
    for (let t = 0; t < T; t++) total += (x[offset + t] as number) ** 2;
    let explained = 0;
    for (let f = 0; f < k; f++) {
      let dot = 0;
      for (let t = 0; t < T; t++) dot += (U[f * T + t] as number) * (x[offset + t] as number);
      out[outOffset + f] = dot * Math.sqrt(scale);
      explained += dot * dot;
    }
    return Math.max(0, total - explained) * scale;
  };
  const loadings = new Float64Array(N * k);
  const raw = new Float64Array(N);
  for (let j = 0; j < N; j++) raw[j] = project(X, j * T, loadings, j * k);
  const benchmarkLoadings = new Float64Array(k);
  const benchmarkSpecific = project(xb, 0, benchmarkLoadings, 0);
  let mean = 0;
  for (let j = 0; j < N; j++) mean += raw[j] as number;
  mean /= Math.max(1, N);
  const specific = raw.map((d) => (1 - options.specificShrinkage) * d + options.specificShrinkage * mean);
  return {
    symbols: window.symbols,
    index: new Map(window.symbols.map((s, i) => [s, i])),
    factors: k,
    loadings,
    specific,
    benchmarkLoadings,
    benchmarkSpecific,
    from: window.days[0] as number,
    through: window.days[T - 1] as number,
  };
}

function demean(x: Float64Array, offset: number, n: number): void {
  let m = 0;
  for (let t = 0; t < n; t++) m += x[offset + t] as number;
  m /= n;
  for (let t = 0; t < n; t++) x[offset + t] = (x[offset + t] as number) - m;
}

/** Ex-ante annualized tracking error of weights (aligned with model.symbols; the rest is cash at 0 risk). */
export function trackingError(model: RiskModel, weights: Float64Array): number {
  const k = model.factors;
  const active = new Float64Array(k);
  for (let f = 0; f < k; f++) active[f] = -(model.benchmarkLoadings[f] as number);
  let specific = model.benchmarkSpecific;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    if (w === 0) continue;
    for (let f = 0; f < k; f++) active[f] = (active[f] as number) + w * (model.loadings[i * k + f] as number);
    specific += w * w * (model.specific[i] as number);
  }
  let factor = 0;
  for (let f = 0; f < k; f++) factor += (active[f] as number) ** 2;
  return Math.sqrt(factor + specific);
}

/** Annualized volatility of one stock under the model. */
export function volatility(model: RiskModel, i: number): number {
  return Math.sqrt(covariance(model, i, i));
}

export function covariance(model: RiskModel, i: number, j: number): number {
  const k = model.factors;
  let c = i === j ? (model.specific[i] as number) : 0;
  for (let f = 0; f < k; f++) c += (model.loadings[i * k + f] as number) * (model.loadings[j * k + f] as number);
  return c;
}

export function correlation(model: RiskModel, i: number, j: number): number {
  return covariance(model, i, j) / (volatility(model, i) * volatility(model, j));
}
