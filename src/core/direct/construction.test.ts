import { beforeAll, describe, expect, it } from 'vitest';
import { parseDay, type Day } from '../kernel/calendar.js';
import { symbol, type Symbol } from '../ledger/household.js';
import { loadQpSolver } from '../../adapters/solver/highsQp.js';
import { buildPortfolio, optimize } from './construction.js';
import { sectorOf } from './indexUniverse.js';
import type { QpSolver } from './qp.js';
import { correlation, trackingError, volatility, type RiskModel } from './riskModel.js';
import { sampleModel } from './testIndex.test-util.js';

let solver: QpSolver;
beforeAll(async () => {
  solver = await loadQpSolver();
});

/**
 * Five stocks with one factor (the market, loading 0.2 each, as the benchmark's) and specific
 * variances 1, 2, 4, 4, 8 %²: the factor term is 0 for any fully invested weights, so the
 * minimum of Σ dᵢwᵢ² with Σw = 1 is wᵢ ∝ 1/dᵢ and TE² = 1 / Σ(1/dᵢ) = 1/212.5.
 */
function fiveStocks(): RiskModel {
  const symbols = ['A', 'B', 'C', 'D', 'E'].map(symbol);
  return {
    symbols,
    index: new Map(symbols.map((s, i) => [s, i])),
    factors: 1,
    loadings: Float64Array.from([0.2, 0.2, 0.2, 0.2, 0.2]),
    specific: Float64Array.from([0.01, 0.02, 0.04, 0.04, 0.08]),
    benchmarkLoadings: Float64Array.from([0.2]),
    benchmarkSpecific: 0,
    from: 0,
    through: 0,
  };
}
const noSector = (): undefined => undefined;

describe('construction reproduces hand-checked cases', () => {
  it('five stocks, one factor: weights proportional to 1/specific variance', () => {
    const built = buildPortfolio(fiveStocks(), { maxWeight: 1 }, noSector, solver);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    const expected = [100, 50, 25, 25, 12.5].map((x) => x / 212.5);
    [...built.weights].forEach((w, i) => expect(w).toBeCloseTo(expected[i] as number, 5));
    expect(built.trackingError).toBeCloseTo(Math.sqrt(1 / 212.5), 6);
  });

  it('a 30 % cap binds on the two least risky names; the rest share 40 % by 1/d', () => {
    // KKT: free names have 2·dᵢ·wᵢ = λ = 2·0.04·0.16 = 0.0128; capped names have 2·dᵢ·0.3 < λ.
    const built = buildPortfolio(fiveStocks(), { maxWeight: 0.3 }, noSector, solver);
    if (!built.ok) throw new Error(built.message);
    [0.3, 0.3, 0.16, 0.16, 0.08].forEach((w, i) => expect(built.weights[i]).toBeCloseTo(w, 5));
    expect(built.trackingError).toBeCloseTo(Math.sqrt(0.00526), 6);
  });

  it('a benchmark the names cannot reach through the factor leaves factor risk', () => {
    // Benchmark loading 0.3 against 0.2 for every stock: the active factor exposure is −0.1 for
    // any fully invested weights, so TE² = 0.01 + 1/212.5.
    const model = { ...fiveStocks(), benchmarkLoadings: Float64Array.from([0.3]) };
    const built = buildPortfolio(model, { maxWeight: 1 }, noSector, solver);
    if (!built.ok) throw new Error(built.message);
    expect(built.trackingError).toBeCloseTo(Math.sqrt(0.01 + 1 / 212.5), 6);
  });

  it('infeasible bounds get a clear error before the solver runs', () => {
    const built = buildPortfolio(fiveStocks(), { maxWeight: 0.1 }, noSector, solver);
    expect(built).toEqual({ ok: false, message: 'infeasible bounds: the bounds let at most 50.00 % be invested, less than 100.00 %: 5 stocks may be bought; raise the per-stock or sector maximum, or allow more names' });
    const sectorCap = buildPortfolio(fiveStocks(), { maxWeight: 1, maxSectorWeight: 0.5 }, () => 'Energy', solver);
    expect(sectorCap.ok).toBe(false);
    expect(!sectorCap.ok && sectorCap.message).toContain('within the sector caps');
    const lowerAboveUpper = optimize(fiveStocks(), { lower: Float64Array.from([0.5, 0, 0, 0, 0]), upper: Float64Array.from([0.4, 1, 1, 1, 1]), total: 1, sectorOf: noSector }, solver);
    expect(!lowerAboveUpper.ok && lowerAboveUpper.message).toBe('infeasible bounds: A: its lower bound 50.00 % is above its upper bound 40.00 %');
  });

  it('an exclusion of a stock that is not a candidate is an error', () => {
    const built = buildPortfolio(fiveStocks(), { maxWeight: 1, excludeSymbols: [symbol('ZZZ')] }, noSector, solver);
    expect(built).toEqual({ ok: false, message: 'exclusions name stocks outside the candidates: ZZZ' });
  });
});

describe('construction on real returns (test/fixtures/sp500, SPY)', () => {
  const date = parseDay('2020-09-30') as Day;
  const { model, universe } = sampleModel(date, 120);
  const sector = (s: Symbol) => sectorOf(universe, s);

  it('estimates a model from the past only, with sensible volatilities', () => {
    expect(model.through).toBeLessThanOrEqual(date);
    const aapl = model.index.get(symbol('AAPL')) as number;
    const xom = model.index.get(symbol('XOM')) as number;
    const cvx = model.index.get(symbol('CVX')) as number;
    expect(volatility(model, aapl)).toBeGreaterThan(0.2);
    expect(volatility(model, aapl)).toBeLessThan(1);
    expect(correlation(model, xom, cvx)).toBeGreaterThan(correlation(model, xom, aapl));
  });

  it('the optimized portfolio tracks no worse than equal weights on the same names', () => {
    const built = buildPortfolio(model, { maxWeight: 0.1 }, sector, solver);
    if (!built.ok) throw new Error(built.message);
    const equal = new Float64Array(model.symbols.length).fill(1 / model.symbols.length);
    expect(built.trackingError).toBeLessThanOrEqual(trackingError(model, equal));
    expect([...built.weights].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    for (const w of built.weights) expect(w).toBeLessThanOrEqual(0.1 + 1e-9);
  });

  it('holds at most N names, respects sector caps and exclusions', () => {
    const built = buildPortfolio(model, { maxWeight: 0.2, names: 12, maxSectorWeight: 0.25, excludeSectors: ['Energy'], excludeSymbols: [symbol('AAPL')] }, sector, solver);
    if (!built.ok) throw new Error(built.message);
    expect(built.names).toBeLessThanOrEqual(12);
    const bySector = new Map<string, number>();
    model.symbols.forEach((s, i) => {
      const sec = sector(s);
      if (sec !== undefined) bySector.set(sec, (bySector.get(sec) ?? 0) + (built.weights[i] as number));
    });
    for (const w of bySector.values()) expect(w).toBeLessThanOrEqual(0.25 + 1e-9);
    expect(bySector.get('Energy') ?? 0).toBeCloseTo(0, 9);
    expect(built.weights[model.index.get(symbol('AAPL')) as number]).toBeCloseTo(0, 9);
  });
});
