/**
 * What becomes of the deferred tax at the end: the seed paper's "Final Considerations".
 *
 * Rule: harvesting lowers the portfolio's basis, so the saving is repaid as long-term gain when
 * the portfolio is sold (liquidation: the PV liability of economicValue.ts). Donated appreciated
 * shares (to a charity or a charitable remainder trust) are sold by a tax-exempt holder, and
 * heirs take a basis stepped up to the value at death (IRC 1014): in both the deferred gain is
 * never taxed, so the liability is 0 and the whole tax saving is the benefit.
 *
 * Example (the paper's low-tax client): liquidation net 780.18 (0.78 %); donation and step-up
 * 925.00 (0.93 %).
 */
import type { Usd } from '../kernel/exact.js';
import { percentOf, roundTo, type EconomicValue } from './economicValue.js';

export const DISPOSITIONS = ['liquidation', 'donation', 'step_up'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export interface DispositionValue {
  readonly pvLiability: Usd;
  readonly netBenefit: Usd;
  readonly netBenefitPctOfPortfolio: number;
}

export function dispositionValues(v: EconomicValue, portfolioValue: Usd): Readonly<Record<Disposition, DispositionValue>> {
  const untaxed: DispositionValue = {
    pvLiability: 0 as Usd,
    netBenefit: v.taxSavings,
    netBenefitPctOfPortfolio: roundTo(percentOf(v.taxSavings, portfolioValue), 2),
  };
  return {
    liquidation: { pvLiability: v.pvLiability, netBenefit: v.netBenefit, netBenefitPctOfPortfolio: v.netBenefitPctOfPortfolio },
    donation: untaxed,
    step_up: untaxed,
  };
}
