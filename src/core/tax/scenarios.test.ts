import { describe, expect, it } from 'vitest';
import { usd } from '../kernel/exact.js';
import { economicValue } from './economicValue.js';
import { rate } from './rate.js';
import { dispositionValues } from './scenarios.js';

describe('liquidation, donation, step-up at death (the paper\'s Final Considerations)', () => {
  const v = economicValue({
    portfolioValue: usd(100000),
    harvestedLoss: usd(4500),
    offsets: { shortTermGains: usd(1000), longTermGains: usd(2000), ordinaryIncome: usd(1500) },
    rates: { ordinary: rate('0.45'), shortTerm: rate('0.45'), longTerm: rate('0.25'), futureLongTerm: rate('0.25') },
    discountRate: 0.08,
    yearsToLiquidation: 20,
  });

  it('liquidation repays the deferred tax; donation and step-up never do', () => {
    const d = dispositionValues(v, usd(100000));
    expect(d.liquidation).toEqual({ pvLiability: usd('241.37'), netBenefit: usd('1383.63'), netBenefitPctOfPortfolio: 1.38 });
    expect(d.donation).toEqual({ pvLiability: 0, netBenefit: usd(1625), netBenefitPctOfPortfolio: 1.63 });
    expect(d.step_up).toEqual(d.donation);
  });
});
