/**
 * Harvesting Yield: how much loss was harvested relative to the portfolio (the seed paper,
 * "Measuring Tax-Loss Harvesting" and "Actual Results").
 *
 * Rules, as the paper defines them:
 *  - Daily yield = (STCL + LTCL) / portfolio balance at the beginning of the year, where STCL
 *    and LTCL are the day's realized short- and long-term net capital losses (positive amounts).
 *  - Annual yield = the sum of the daily yields of the year.
 *  - Cohort annualized yield: each day, the cohort's summed losses over its summed balances;
 *    the mean of those daily figures x 252 trading days.
 *  - The deposits illustration: each year's harvested loss over that year's beginning balance,
 *    which includes the deposit made at the start of the year; the average of the yearly yields.
 *
 * Yields are ratios, not money: they are floats, reported as fractions (0.045) or percents. The
 * deposits illustration compounds its balances in floats (like a discount factor) and reports
 * them rounded to cents.
 *
 * Example: 4,500 harvested on a 100,000 beginning balance is a 4.5 % yield (the paper's
 * Example); Investor B of the deposits illustration (10,000 then 2,500 a year, 8 % return,
 * 5 % first-year losses) averages 0.94 % over 10 years.
 */
import type { Usd } from '../kernel/exact.js';

export interface DayLosses {
  /** Short-term net capital loss realized that day, positive. */
  readonly shortTermLoss: Usd;
  readonly longTermLoss: Usd;
}

export const TRADING_DAYS_PER_YEAR = 252;

export function dailyHarvestingYield(day: DayLosses, beginningBalance: Usd): number {
  return beginningBalance > 0 ? (day.shortTermLoss + day.longTermLoss) / beginningBalance : 0;
}

/** Sum of the daily yields of one year against that year's beginning balance. */
export function annualHarvestingYield(days: readonly DayLosses[], beginningBalance: Usd): number {
  let total = 0;
  for (const d of days) total += dailyHarvestingYield(d, beginningBalance);
  return total;
}

export interface CohortDay {
  /** Losses harvested that day across the cohort's portfolios. */
  readonly losses: Usd;
  /** The cohort's aggregate balance that day. */
  readonly balance: Usd;
}

/** Mean daily yield x 252. */
export function cohortAnnualizedYield(days: readonly CohortDay[], tradingDays = TRADING_DAYS_PER_YEAR): number {
  if (days.length === 0) return 0;
  let total = 0;
  for (const d of days) total += d.balance > 0 ? d.losses / d.balance : 0;
  return (total / days.length) * tradingDays;
}

export interface DepositPlan {
  readonly initialDeposit: number;
  /** Deposited at the start of each later year. */
  readonly yearlyDeposit: number;
  readonly annualReturn: number;
  /** Share of a deposit harvested as loss in its first year (and never again). */
  readonly firstYearLossRate: number;
  readonly years: number;
}

export interface DepositYear {
  readonly year: number;
  readonly beginningBalance: number;
  readonly harvestedLoss: number;
  /** Percent. */
  readonly harvestingYieldPct: number;
}

export interface DepositPlanYield {
  readonly yearly: readonly DepositYear[];
  readonly averageAnnualHarvestingYieldPct: number;
  readonly totalLosses: number;
  readonly endValue: number;
}

const cents = (v: number): number => Math.round(v * 100) / 100;

export function depositPlanYield(plan: DepositPlan): DepositPlanYield {
  const yearly: DepositYear[] = [];
  let end = 0;
  let total = 0;
  let sum = 0;
  for (let year = 1; year <= plan.years; year++) {
    const deposit = year === 1 ? plan.initialDeposit : plan.yearlyDeposit;
    const beginning = end + deposit;
    const loss = deposit * plan.firstYearLossRate;
    const pct = beginning > 0 ? (loss / beginning) * 100 : 0;
    yearly.push({ year, beginningBalance: cents(beginning), harvestedLoss: cents(loss), harvestingYieldPct: pct });
    total += loss;
    sum += pct;
    end = beginning * (1 + plan.annualReturn);
  }
  return { yearly, averageAnnualHarvestingYieldPct: plan.years > 0 ? sum / plan.years : 0, totalLosses: cents(total), endValue: cents(end) };
}
