/**
 * The stopping model's properties: harvesting is never optimal at a gain for a short-term lot,
 * thresholds deepen with trading costs and with fewer free alternates, the opportunity cost is
 * never negative, and a table is solved once per parameter set.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canHarvest, harvestThreshold, lockState, opportunityCostRate, solveStopping, StoppingTables } from './opportunityCost.js';
import { checkProperty } from '../../kernel/property.test-util.js';

const US = { mu: 0.067, sigma: 0.1753 };
const BONDS = { mu: 0.046, sigma: 0.0485 };

describe('optimal-stopping model of the opportunity cost', () => {
  it('harvests a short-term lot only at a loss', () => {
    for (const p of [US, BONDS]) {
      const t = solveStopping({ ...p, kappa: 0.0003, rho: 1, alternates: 2 });
      expect(harvestThreshold(t, [0, 0])).toBeLessThan(0);
    }
  });

  it('needs a deeper loss as trading costs rise', () => {
    const thresholds = [0, 0.002, 0.01, 0.03].map((kappa) => harvestThreshold(solveStopping({ ...US, kappa, rho: 1, alternates: 2 }), [0, 0]));
    for (let i = 1; i < thresholds.length; i++) expect(thresholds[i]).toBeLessThanOrEqual(thresholds[i - 1] as number);
    expect(thresholds[3]).toBeLessThan(thresholds[0] as number);
  });

  it('needs a deeper loss with one alternate than with two, and cannot harvest with none free', () => {
    const two = solveStopping({ ...US, kappa: 0.01, rho: 1, alternates: 2 });
    const one = solveStopping({ ...US, kappa: 0.01, rho: 1, alternates: 1 });
    expect(harvestThreshold(one, [0, 0])).toBeLessThanOrEqual(harvestThreshold(two, [0, 0]));
    expect(canHarvest(two.params, [7, 7])).toBe(false);
    expect(harvestThreshold(two, [7, 7])).toBe(-Infinity);
  });

  it('never reports a negative opportunity cost', () => {
    const t = solveStopping({ ...US, kappa: 0.001, rho: 0.9, alternates: 2 });
    checkProperty(
      fc.property(fc.double({ min: -0.69, max: 0, noNaN: true }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 }), (x, a, b) => {
        const s = [Math.max(a, b), Math.min(a, b)] as const;
        expect(opportunityCostRate(t, s, x)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('maps calendar lock-outs to units of three trading days, rounded up', () => {
    expect(lockState(2, [])).toEqual([0, 0]);
    expect(lockState(2, [30])).toEqual([7, 0]);
    expect(lockState(2, [1, 30])).toEqual([7, 1]);
    expect(lockState(1, [12, 30])).toEqual([7, 0]);
  });

  it('solves each parameter set once (κ to two significant digits, ρ on a 0.05 grid)', () => {
    const tables = new StoppingTables();
    const a = tables.get({ ...US, kappa: 0.000291, rho: 0.991, alternates: 2 });
    expect(tables.get({ ...US, kappa: 0.000289, rho: 0.989, alternates: 2 })).toBe(a);
    // Fresh problem, ρ 0.95 (ρ 1 is the fresh problem itself); then a second κ: two more.
    expect(tables.size).toBe(2);
    tables.get({ ...US, kappa: 0.0005, rho: 0.99, alternates: 2 });
    expect(tables.size).toBe(4);
  });

  it('interpolates between grid points of ρ, erring towards waiting (the value is convex in ρ)', () => {
    for (const rho of [0.62, 0.97, 0.83]) {
      const interpolated = new StoppingTables().get({ ...US, kappa: 0.0003, rho, alternates: 2 });
      const solved = solveStopping({ ...US, kappa: 0.0003, rho, alternates: 2 });
      let worst = 0;
      solved.wait.forEach((w, i) => {
        expect(interpolated.wait[i] as number).toBeGreaterThanOrEqual(w - 1e-12);
        worst = Math.max(worst, (interpolated.wait[i] as number) - w);
      });
      // Far below the value of one lattice step of loss (about 0.019 x ρ).
      expect(worst).toBeLessThan(0.002);
    }
  });
});
