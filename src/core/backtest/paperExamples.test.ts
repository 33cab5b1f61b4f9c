/**
 * The seed paper's illustrations through the backtest simulator (brokerage, daily policy, tax
 * settlement and the ledger's re-booking), against the figures of test/fixtures/examples/seed_paper.json.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FEDERAL_2025 } from '../harvest/testHousehold.test-util.js';
import { depositsExample, scenarioTwoExample } from './paperExamples.js';

interface Case {
  readonly id: string;
  readonly expected: Record<string, unknown>;
}
const cases = JSON.parse(readFileSync('test/fixtures/examples/seed_paper.json', 'utf8')) as Case[];
const expectedOf = (id: string): Record<string, unknown> => (cases.find((c) => c.id === id) as Case).expected;

/**
 * Simulated on first use inside a test, not in the describe body: work done while collecting
 * counts for every test (mutation testing reruns every test for any code it touched).
 */
function once<T>(run: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: run() }).v;
}

describe('SEED-DEP: Investor A and B, simulated day by day', () => {
  const result = once(() => depositsExample(FEDERAL_2025));
  const expected = expectedOf('SEED-DEP') as Record<'investorA' | 'investorB', { averageAnnualHarvestingYieldPct: number; totalLosses: number; endValueYear10: number; yearly: { beginningBalance: number; harvestedLoss: number }[] }>;

  for (const who of ['investorA', 'investorB'] as const) {
    it(`${who}: the paper's yearly balances, losses, average yield and end value`, () => {
      const r = result()[who];
      const e = expected[who];
      expect(r.washSales).toBe(0);
      expect(r.yearly.map((y) => [y.beginningBalance, y.harvestedLoss])).toEqual(e.yearly.map((y) => [y.beginningBalance, y.harvestedLoss]));
      expect(r.averageAnnualHarvestingYieldPct.toFixed(2)).toBe(e.averageAnnualHarvestingYieldPct.toFixed(2));
      expect(r.totalLosses).toBe(e.totalLosses);
      expect(r.endValue).toBe(e.endValueYear10);
    });
  }
});

describe('SEED-S2: the five-year walk-through, simulated with tax savings reinvested', () => {
  const run = once(() => scenarioTwoExample(FEDERAL_2025));
  const e = expectedOf('SEED-S2') as Record<string, number>;

  it('harvests $10,000 in year 1 and $400 in year 3, saving $4,000 and $160 at 40 %', () => {
    const r = run();
    expect(r.yearly.map((y) => y.harvestedLoss)).toEqual([e['year1HarvestedLoss'], 0, e['year3HarvestedLoss'], 0, 0]);
    expect(r.yearly.map((y) => y.taxSaved)).toEqual([e['year1TaxSavings'], 0, e['year3TaxSavings'], 0, 0]);
  });

  it('ends the years at $104,000, $106,000, $93,760, $93,760 and $104,160', () => {
    const r = run();
    expect(r.yearly.map((y) => y.endValue)).toEqual([e['endYear1Value'], e['endYear2Value'], e['endYear3ValueAfterReinvest'], e['endYear4Value'], e['endYear5Value']]);
  });

  it('liquidates a basis of $93,760: a $10,400 long-term gain taxed $2,600 at 25 %', () => {
    const r = run();
    expect(r.totalBasisAtLiquidation).toBe(e['totalBasisAtLiquidation']);
    expect(r.longTermGainAtLiquidation).toBe(e['longTermGainAtLiquidation']);
    expect(r.liquidationTax).toBe(e['liquidationTax']);
    expect(r.washSales).toBe(0);
  });
});
