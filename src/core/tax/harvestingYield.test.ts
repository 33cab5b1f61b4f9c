import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { usd } from '../kernel/exact.js';
import { annualHarvestingYield, cohortAnnualizedYield, dailyHarvestingYield, depositPlanYield } from './harvestingYield.js';

interface Investor {
  averageAnnualHarvestingYieldPct: number;
  totalLosses: number;
  endValueYear10: number;
  yearly: Array<{ year: number; beginningBalance: number; harvestedLoss: number; harvestingYieldPct: number }>;
}
const dep = (JSON.parse(readFileSync(new URL('../../../test/fixtures/examples/seed_paper.json', import.meta.url), 'utf8')) as Array<Record<string, unknown>>).find((c) => c['id'] === 'SEED-DEP') as {
  expected: { investorA: Investor; investorB: Investor & { averageUnrounded: number } };
};

const plan = (yearlyDeposit: number) => depositPlanYield({ initialDeposit: 10000, yearlyDeposit, annualReturn: 0.08, firstYearLossRate: 0.05, years: 10 });

describe('Harvesting Yield (the paper\'s definition)', () => {
  it('SEED-HY: 4,500 harvested on a 100,000 beginning balance is 4.5 %', () => {
    expect(dailyHarvestingYield({ shortTermLoss: usd(3000), longTermLoss: usd(1500) }, usd(100000))).toBeCloseTo(0.045, 15);
  });

  it('the annual yield sums the daily yields, all against the balance at the beginning of the year', () => {
    const days = [
      { shortTermLoss: usd(1000), longTermLoss: usd(0) },
      { shortTermLoss: usd(0), longTermLoss: usd(2500) },
      { shortTermLoss: usd(500), longTermLoss: usd(500) },
    ];
    expect(annualHarvestingYield(days, usd(100000))).toBeCloseTo(0.045, 15);
  });

  it('a cohort\'s annualized yield is the mean daily yield x 252', () => {
    const days = [
      { losses: usd(200), balance: usd(1000000) },
      { losses: usd(0), balance: usd(1000000) },
      { losses: usd(100), balance: usd(500000) },
    ];
    expect(cohortAnnualizedYield(days)).toBeCloseTo(((0.0002 + 0 + 0.0002) / 3) * 252, 15);
  });

  it('SEED-DEP Investor A: a single deposit averages 0.50 %', () => {
    const a = plan(0);
    const e = dep.expected.investorA;
    expect(Number(a.averageAnnualHarvestingYieldPct.toFixed(2))).toBe(e.averageAnnualHarvestingYieldPct);
    expect(a.totalLosses).toBe(e.totalLosses);
    expect(a.endValue).toBe(e.endValueYear10);
    expect(a.yearly.map((y) => y.beginningBalance)).toEqual(e.yearly.map((y) => y.beginningBalance));
  });

  it('SEED-DEP Investor B: yearly deposits average 0.94 % (the year\'s deposit in the denominator)', () => {
    const b = plan(2500);
    const e = dep.expected.investorB;
    expect(b.averageAnnualHarvestingYieldPct).toBeCloseTo(e.averageUnrounded, 6);
    expect(Number(b.averageAnnualHarvestingYieldPct.toFixed(2))).toBe(e.averageAnnualHarvestingYieldPct);
    expect(b.totalLosses).toBe(e.totalLosses);
    expect(b.endValue).toBe(e.endValueYear10);
    expect(b.yearly.map((y) => [y.beginningBalance, y.harvestedLoss, Number(y.harvestingYieldPct.toFixed(2))])).toEqual(
      e.yearly.map((y) => [y.beginningBalance, y.harvestedLoss, y.harvestingYieldPct]),
    );
  });
});
