import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toNumber, usd } from '../kernel/exact.js';
import { allocateHarvestedLoss, discountFactor, economicValue, type EconomicValue } from './economicValue.js';
import { rate } from './rate.js';

interface Client {
  client: string;
  ordinaryAndShortTermRate: number;
  longTermRateToday: number;
  futureLongTermRate: number;
  expected: { taxSavings: number; undiscountedFutureLiability: number; pvLiability: number; netBenefit: number; netBenefitPctOfPortfolio: number };
}
const seed = (JSON.parse(readFileSync(new URL('../../../test/fixtures/examples/seed_paper.json', import.meta.url), 'utf8')) as Array<Record<string, unknown>>).find(
  (c) => c['id'] === 'SEED-EX',
) as { clients: Client[]; discountFactor: number; paperInconsistency: { with60pct: { pvLiability: number; netBenefit: number; netBenefitPctOfPortfolio: number } }; rejectedAlternatives: { allOffsetsAtOrdinaryRate_low: number; noDiscounting_low: number } };

const OFFSETS = { shortTermGains: usd(1000), longTermGains: usd(2000), ordinaryIncome: usd(1500) };
function paper(ordinary: number, longTerm: number, futureLongTerm: number, discount = 0.08): EconomicValue {
  return economicValue({
    portfolioValue: usd(100000),
    harvestedLoss: usd(4500),
    offsets: OFFSETS,
    rates: { ordinary: rate(ordinary), shortTerm: rate(ordinary), longTerm: rate(longTerm), futureLongTerm: rate(futureLongTerm) },
    discountRate: discount,
    yearsToLiquidation: 20,
  });
}
const dollars = (v: number): number => toNumber('usd', v);

describe('the seed paper Example (SEED-EX, Table 3 and the "rates double" paragraph)', () => {
  for (const c of seed.clients) {
    it(`SEED-EX ${c.client}: ${c.expected.netBenefitPctOfPortfolio} % of the portfolio`, () => {
      const v = paper(c.ordinaryAndShortTermRate, c.longTermRateToday, c.futureLongTermRate);
      expect(dollars(v.taxSavings)).toBe(c.expected.taxSavings);
      expect(dollars(v.undiscountedFutureLiability)).toBe(c.expected.undiscountedFutureLiability);
      expect(dollars(v.pvLiability)).toBe(c.expected.pvLiability);
      expect(dollars(v.netBenefit)).toBe(c.expected.netBenefit);
      expect(v.netBenefitPctOfPortfolio).toBe(c.expected.netBenefitPctOfPortfolio);
    });
  }

  it('the discount factor 1.08^-20', () => {
    expect(Number(discountFactor(0.08, 20).toFixed(6))).toBe(seed.discountFactor);
  });

  it('the paper\'s "30 % and 60 %": doubling 25 % is 50 %; 60 % would give 1.05 %, not 1.14 %', () => {
    const v = paper(0.45, 0.25, 0.6);
    expect(dollars(v.pvLiability)).toBe(seed.paperInconsistency.with60pct.pvLiability);
    expect(dollars(v.netBenefit)).toBe(seed.paperInconsistency.with60pct.netBenefit);
    expect(v.netBenefitPctOfPortfolio).toBe(seed.paperInconsistency.with60pct.netBenefitPctOfPortfolio);
  });

  it('both the per-item rates and the discount are needed to reach 0.78 %', () => {
    expect(paper(0.25, 0.25, 0.15).netBenefitPctOfPortfolio).toBe(seed.rejectedAlternatives.allOffsetsAtOrdinaryRate_low);
    expect(paper(0.25, 0.15, 0.15, 0).netBenefitPctOfPortfolio).toBe(seed.rejectedAlternatives.noDiscounting_low);
  });
});

describe('allocating a harvested loss when the offsets are not given', () => {
  it('short-term: short-term gains, long-term gains, then up to the limit of ordinary income', () => {
    expect(allocateHarvestedLoss(usd(4500), { shortTermGains: usd(1000), longTermGains: usd(2000) }, usd(3000))).toEqual({ offsets: OFFSETS, carriedForward: 0 });
  });

  it('long-term: long-term gains first; what the limit leaves carries forward', () => {
    expect(allocateHarvestedLoss(usd(10000), { shortTermGains: usd(1000), longTermGains: usd(2000) }, usd(1500), 'long')).toEqual({
      offsets: { shortTermGains: usd(1000), longTermGains: usd(2000), ordinaryIncome: usd(1500) },
      carriedForward: usd(5500),
    });
  });

  it('only the amount used is priced; the rest is reported as carried forward', () => {
    const v = economicValue({
      portfolioValue: usd(100000),
      harvestedLoss: usd(10000),
      offsets: { shortTermGains: usd(0), longTermGains: usd(0), ordinaryIncome: usd(3000) },
      rates: { ordinary: rate(0.3), shortTerm: rate(0.3), longTerm: rate(0.15), futureLongTerm: rate(0.15) },
      discountRate: 0.08,
      yearsToLiquidation: 20,
    });
    expect(dollars(v.amountOffset)).toBe(3000);
    expect(dollars(v.carriedForward)).toBe(7000);
    expect(dollars(v.taxSavings)).toBe(900);
  });
});
