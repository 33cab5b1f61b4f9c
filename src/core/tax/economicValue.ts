/**
 * The economic value of a year's harvested losses: the seed paper's "Tax Savings and
 * Liabilities" formulas (Wealthfront, "Tax-Loss Harvesting", July 2025, "Economic Value").
 *
 *   Tax savings   = Σ amount offset_i x current rate_i, one item per kind of income offset:
 *                   short-term gains at the short-term rate, long-term gains at the long-term
 *                   rate, ordinary income at the ordinary rate
 *   PV liability  = amount offset x future long-term rate x (1 + r)^-T
 *   Net benefit   = tax savings - PV liability;  as % of the portfolio = net / portfolio x 100
 *
 * The liability exists because the replacement shares carry the lower basis: the offset amount
 * is taxed again as a long-term gain when the portfolio is sold T years later. Only the amount
 * used this year is priced; the rest of the harvested loss carries forward (reported, not
 * valued here). When the offsets are not given they are allocated in the order of Schedule D:
 * gains of the loss's own term, then the other term, then ordinary income up to the 1211(b)
 * limit ($3,000, $1,500 married filing separately).
 *
 * Rounding: tax savings are exact and rounded once to the cent; the liability is the exact
 * cent-ppm product times the float discount factor, rounded once to the cent; the percentage is
 * reported rounded to two decimals (as the paper prints it) and unrounded.
 *
 * Example (the paper's, low tax burden): 100,000 portfolio, 4,500 harvested offsetting 1,000 of
 * short-term gains, 2,000 of long-term gains and 1,500 of ordinary income at 25 % / 15 % / 25 %:
 * savings 925.00; liability 4,500 x 15 % = 675.00, x 1.08^-20 (0.214548) = 144.82; net 780.18,
 * 0.78 % of the portfolio.
 */
import type { Usd } from '../kernel/exact.js';
import type { LossTerm } from './lossValue.js';
import { applyRate, RATE_SCALE, sumAtRates, type Rate } from './rate.js';

export interface Offsets {
  readonly shortTermGains: Usd;
  readonly longTermGains: Usd;
  readonly ordinaryIncome: Usd;
}

export interface ValueRates {
  readonly ordinary: Rate;
  readonly shortTerm: Rate;
  readonly longTerm: Rate;
  /** The long-term rate expected when the portfolio is sold. */
  readonly futureLongTerm: Rate;
}

export interface EconomicValueInput {
  readonly portfolioValue: Usd;
  readonly harvestedLoss: Usd;
  readonly offsets: Offsets;
  readonly rates: ValueRates;
  readonly discountRate: number;
  readonly yearsToLiquidation: number;
}

export interface EconomicValue {
  readonly offsets: Offsets;
  readonly amountOffset: Usd;
  /** Harvested but not used this year. */
  readonly carriedForward: Usd;
  readonly taxSavings: Usd;
  readonly undiscountedFutureLiability: Usd;
  readonly discountFactor: number;
  readonly pvLiability: Usd;
  readonly netBenefit: Usd;
  /** Percent (0.78 means 0.78 %), rounded to two decimals as the paper prints it. */
  readonly netBenefitPctOfPortfolio: number;
  readonly netBenefitPctOfPortfolioUnrounded: number;
}

export const discountFactor = (rate: number, years: number): number => Math.pow(1 + rate, -years);

/** Half away from zero to `decimals` places, for display; 1e-9 absorbs binary representation (1.005). */
export function roundTo(v: number, decimals: number): number {
  const f = 10 ** decimals;
  return (Math.sign(v) * Math.round(Math.abs(v) * f + 1e-9)) / f;
}

/** `amount` as a percentage of `whole`, unrounded (0 for an empty whole). */
export const percentOf = (amount: Usd, whole: Usd): number => (whole === 0 ? 0 : (amount / whole) * 100);

/** The exact product amount x rate (in cent-ppm) times a float factor, rounded once to the cent. */
function discounted(amount: Usd, r: Rate, factor: number): Usd {
  const v = ((amount * r) / RATE_SCALE) * factor;
  return (Math.sign(v) * Math.round(Math.abs(v))) as Usd;
}

export function economicValue(input: EconomicValueInput): EconomicValue {
  const { offsets, rates } = input;
  const amountOffset = (offsets.shortTermGains + offsets.longTermGains + offsets.ordinaryIncome) as Usd;
  const taxSavings = sumAtRates([
    [offsets.shortTermGains, rates.shortTerm],
    [offsets.longTermGains, rates.longTerm],
    [offsets.ordinaryIncome, rates.ordinary],
  ]);
  const factor = discountFactor(input.discountRate, input.yearsToLiquidation);
  const pvLiability = discounted(amountOffset, rates.futureLongTerm, factor);
  const netBenefit = (taxSavings - pvLiability) as Usd;
  const pct = percentOf(netBenefit, input.portfolioValue);
  return {
    offsets,
    amountOffset,
    carriedForward: Math.max(0, input.harvestedLoss - amountOffset) as Usd,
    taxSavings,
    undiscountedFutureLiability: applyRate(amountOffset, rates.futureLongTerm),
    discountFactor: factor,
    pvLiability,
    netBenefit,
    netBenefitPctOfPortfolio: roundTo(pct, 2),
    netBenefitPctOfPortfolioUnrounded: pct,
  };
}

export interface RealizedGainsToOffset {
  /** Gains realized this year that the harvested loss can offset (not negative). */
  readonly shortTermGains: Usd;
  readonly longTermGains: Usd;
}

/**
 * Allocates a harvested loss in the order of Schedule D netting: gains of its own term, then the
 * other term, then ordinary income up to the limit; the rest carries forward.
 */
export function allocateHarvestedLoss(harvested: Usd, gains: RealizedGainsToOffset, limit: Usd, term: LossTerm = 'short'): { offsets: Offsets; carriedForward: Usd } {
  let left: number = harvested;
  const take = (available: number): Usd => {
    const used = Math.max(0, Math.min(left, available));
    left -= used;
    return used as Usd;
  };
  const first = take(term === 'short' ? gains.shortTermGains : gains.longTermGains);
  const second = take(term === 'short' ? gains.longTermGains : gains.shortTermGains);
  const ordinaryIncome = take(limit);
  const offsets =
    term === 'short'
      ? { shortTermGains: first, longTermGains: second, ordinaryIncome }
      : { shortTermGains: second, longTermGains: first, ordinaryIncome };
  return { offsets, carriedForward: left as Usd };
}
