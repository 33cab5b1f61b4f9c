/**
 * The scan's decision cells are the harvest rule's own verdicts: wherever a cell (or the run of
 * value / basis it is looked up by) says harvest, the rule's margin at that point is positive, and
 * wherever it says wait, it is not — on random classes, spreads, rate ratios and required nets.
 * A change to the rule that the cells' analysis does not follow fails here; one that `decide` does
 * not share fails in scan.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkProperty } from '../../kernel/property.test-util.js';
import { layer, opportunityInLayer, StoppingTables } from '../stopping/opportunityCost.js';
import { marginRate } from '../rule.js';
import { CELL, cellOf, cellWidth, decisionCells, SEGMENTS, segments } from './cells.js';

const TABLES = new StoppingTables();

describe('the decision cells', () => {
  it('settle a lot only where the rule settles it the same way', () => {
    let settled = 0;
    let evaluate = 0;
    checkProperty(
      fc.property(
        fc.record({
          mu: fc.constantFrom(0.046, 0.067, 0.08),
          sigma: fc.constantFrom(0.0485, 0.1753, 0.28),
          kappa: fc.double({ min: 0, max: 0.02, noNaN: true }),
          rho: fc.double({ min: 0.3, max: 1.2, noNaN: true }),
          alternates: fc.constantFrom(1, 2),
          epsilon: fc.double({ min: 0, max: 0.002, noNaN: true }),
        }),
        fc.array(fc.double({ min: -0.9, max: -1e-6, noNaN: true }), { minLength: 20, maxLength: 60 }),
        (p, xs) => {
          const t = TABLES.get({ mu: p.mu, sigma: p.sigma, kappa: p.kappa, rho: p.rho, alternates: p.alternates });
          const cells = decisionCells(t, layer(0, 0), p.rho, p.kappa, p.epsilon);
          const runs = segments(t, cells);
          for (const x of xs) {
            const margin = marginRate(p.rho, x, p.kappa, opportunityInLayer(t, layer(0, 0), x), p.epsilon);
            const cell = cells[cellOf(x, t.x0, 1 / cellWidth(t), cells.length)] as number;
            const ratio = Math.exp(x);
            let segment = 0;
            while (segment < SEGMENTS - 1 && ratio >= (runs.bounds[segment] as number)) segment++;
            for (const verdict of [cell, runs.codes[segment] as number]) {
              if (verdict === CELL.harvest) expect([x, margin > -1e-12]).toEqual([x, true]);
              if (verdict === CELL.wait) expect([x, margin <= 1e-12]).toEqual([x, true]);
              // Counted where most losses are, away from the grid's ends: beyond the deep end a wait
              // cannot be settled, and the cell next to no loss at all is often where the verdict changes.
              if (x < -0.6 || x > -0.03) continue;
              if (verdict === CELL.evaluate) evaluate++;
              else settled++;
            }
          }
        },
      ),
      { numRuns: 200 },
    );
    // The cells settle most lots: the comparisons above are not vacuous.
    expect(settled).toBeGreaterThan(10 * evaluate);
  });
});
