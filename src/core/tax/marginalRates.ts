/**
 * The household's marginal tax rates: what one more (or one less) dollar of each kind of income
 * costs, federal and state combined, the paper's "combined federal and state rate".
 *
 * Rules, at the profile's income position (profile.ts):
 *  - Long-term gain (and qualified dividends): 0 / 15 / 20 % by where the top of the stacked
 *    taxable income stands against the 1(h) breakpoints.
 *  - Ordinary income and short-term gain: the bracket rate at the ordinary part of taxable
 *    income, plus the shift of the stacked gains: a dollar more of ordinary income pushes a
 *    dollar of gain from the bottom of the stack to the top, so the difference of the capital
 *    gain rates at the two ends is added (a single filer at 40,000 ordinary + 20,000 long-term
 *    gain pays 12 % + 15 % - 0 % = 27 % on the next dollar of ordinary income).
 *  - NIIT (1411): 3.8 % on gains once MAGI is at or over the threshold (each dollar of gain adds
 *    to both NII and MAGI); on ordinary income only while MAGI's excess over the threshold is the
 *    smaller term (then a dollar more of income or deduction moves the tax).
 *  - State: the state's schedule at state taxable income (stateTax.ts), or the household's
 *    override. State taxable income is the household's figure when given, else federal taxable
 *    income (with the year's gains netted) as an approximation: states start from federal AGI
 *    or taxable income and differ by their own deductions and exemptions. The paper's
 *    "adjusted for the deductibility of state taxes at the federal level" is an option, off by default (the
 *    $40,000 SALT cap of 2025 and the standard deduction make it the exception): when on, each
 *    state rate counts at rate x (1 - federal ordinary rate).
 *  - Taxable income below zero before its floor: the next dollars are untaxed (rates 0).
 * The Medicare payroll taxes of the paper's appendix fall on wages, which harvesting does not
 * change, so they are not part of these rates.
 *
 * Example: married filing jointly, ordinary taxable income 500,000, long-term gains 200,000,
 * MAGI 700,000, no state: the stack runs from 500,000 (15 % zone) to 700,000 (20 % zone), so
 * ordinary = 32 % + (20 % - 15 %) = 37 % (NII 200,000 is the smaller NIIT term: no NIIT on
 * ordinary income), short-term 37 % + 3.8 % = 40.8 %, long-term 20 % + 3.8 % = 23.8 %.
 */
import type { Result } from '../kernel/errors.js';
import type { Usd } from '../kernel/exact.js';
import { bracketRate } from './federalTax.js';
import { incomePosition, type IncomePosition, type TaxProfile } from './profile.js';
import { addRates, netOf, ZERO_RATE, type Rate } from './rate.js';
import { NO_STATE_TAX, overrideStateRate, stateMarginalRates, type StateMarginalRates } from './stateTax.js';
import { tableStatus, type FederalTaxTable, type StateTaxTable } from './taxTables.js';

export interface MarginalRateOptions {
  /** Count state tax net of its federal deduction (the paper's adjustment); default false. */
  readonly stateDeductible?: boolean;
}

export interface FederalMarginalRates {
  readonly ordinary: Rate;
  readonly longTerm: Rate;
  readonly niitOnGains: Rate;
  readonly niitOnOrdinary: Rate;
}

/** The rates a harvested loss is valued at, by the kind of income it offsets. */
export interface RateSet {
  /** Ordinary income (the $3,000 deduction). */
  readonly ordinary: Rate;
  readonly shortTerm: Rate;
  readonly longTerm: Rate;
}

export interface MarginalRates extends RateSet {
  readonly federal: FederalMarginalRates;
  readonly state: StateMarginalRates;
  readonly position: IncomePosition;
}

/** The capital gain rate on a dollar of gain at height `x` of the taxable income stack. */
export function capitalGainRateAt(table: FederalTaxTable, status: TaxProfile['filingStatus'], x: Usd): Rate {
  const s = tableStatus(status);
  if (x < table.capitalGains.maximumZeroRateAmount[s]) return ZERO_RATE;
  if (x < table.capitalGains.maximum15PercentRateAmount[s]) return table.capitalGains.fifteen;
  return table.capitalGains.twenty;
}

export function federalMarginalRates(table: FederalTaxTable, profile: TaxProfile, p: IncomePosition): FederalMarginalRates {
  const s = tableStatus(profile.filingStatus);
  const threshold = table.niit.thresholdMagi[s];
  const niitOnGains = p.magi >= threshold ? table.niit.rate : ZERO_RATE;
  const niitOnOrdinary = p.magi >= threshold && p.magi - threshold < p.netInvestmentIncome ? table.niit.rate : ZERO_RATE;
  if (p.taxableIncomeSigned < 0) return { ordinary: ZERO_RATE, longTerm: ZERO_RATE, niitOnGains, niitOnOrdinary };
  const top = p.taxableIncome;
  const stacked = Math.min(p.preferentialIncome, top);
  const ordinaryPart = (top - stacked) as Usd;
  const longTerm = capitalGainRateAt(table, profile.filingStatus, top);
  const shift = stacked > 0 ? longTerm - capitalGainRateAt(table, profile.filingStatus, ordinaryPart) : 0;
  const ordinary = (bracketRate(table.ordinaryBrackets[s], ordinaryPart) + shift) as Rate;
  return { ordinary, longTerm, niitOnGains, niitOnOrdinary };
}

function stateRates(states: StateTaxTable | undefined, profile: TaxProfile, p: IncomePosition): Result<StateMarginalRates> {
  if (profile.stateRate !== undefined) return { ok: true, value: overrideStateRate(profile.stateRate) };
  if (profile.state === undefined || states === undefined) return { ok: true, value: NO_STATE_TAX };
  return stateMarginalRates(states, profile.state, profile.filingStatus, profile.stateTaxableIncome ?? p.taxableIncome);
}

export function marginalRates(
  federal: FederalTaxTable,
  states: StateTaxTable | undefined,
  profile: TaxProfile,
  options: MarginalRateOptions = {},
): Result<MarginalRates> {
  const position = incomePosition(federal, profile);
  const f = federalMarginalRates(federal, profile, position);
  const st = stateRates(states, profile, position);
  if (!st.ok) return st;
  const s = st.value;
  const net = (r: Rate): Rate => (options.stateDeductible ? netOf(r, f.ordinary) : r);
  return {
    ok: true,
    value: {
      ordinary: addRates(f.ordinary, f.niitOnOrdinary, net(s.ordinary)),
      shortTerm: addRates(f.ordinary, f.niitOnGains, net(s.shortTerm)),
      longTerm: addRates(f.longTerm, f.niitOnGains, net(s.longTerm)),
      federal: f,
      state: s,
      position,
    },
  };
}
