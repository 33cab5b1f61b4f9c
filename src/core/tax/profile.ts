/**
 * A household's tax profile and where its income stands for the year: the input of the marginal
 * rates and of the value of a harvested loss.
 *
 * Rules: taxable income = gross ordinary income + capital items - deduction (IRC 63), the
 * standard deduction by filing status unless another deduction is given (2025: P.L. 119-21
 * sec. 70102); the year's realized gains and carryovers are netted by Schedule D
 * (capitalLoss.ts); the preferential part (qualified dividends + net capital gain) is stacked on
 * top of the ordinary part (federalTax.ts).
 *
 * When MAGI is not given it is estimated as AGI: gross ordinary income + preferential income +
 * net capital gain (or - the loss deduction); from taxable income alone it is taxable income +
 * the standard deduction, a lower bound since the deduction taken is at least the standard one.
 * Net investment income defaults to preferential income + net capital gain.
 *
 * Example: single, gross ordinary 100,000 (standard deduction 15,750), realized short-term
 * gain 5,000: ordinary taxable income 89,250, taxable income 89,250 (the gain is ordinary),
 * MAGI estimate 105,000.
 */
import type { Usd } from '../kernel/exact.js';
import { capitalLossYear, NO_CARRYOVER, scheduleD, type CapitalLossYear, type Carryover } from './capitalLoss.js';
import type { Rate } from './rate.js';
import { tableStatus, type FederalTaxTable, type TaxFilingStatus } from './taxTables.js';

export type IncomeSpec =
  | { readonly kind: 'taxable'; readonly ordinaryTaxableIncome: Usd }
  | { readonly kind: 'gross'; readonly grossOrdinaryIncome: Usd; readonly deduction?: Usd };

export interface RealizedGains {
  /** Net realized this year so far, signed. */
  readonly shortTerm: Usd;
  readonly longTerm: Usd;
}

export interface TaxProfile {
  readonly filingStatus: TaxFilingStatus;
  readonly income: IncomeSpec;
  /** Qualified dividends (and other income at the capital gain rates) outside `realized`. */
  readonly preferentialIncome?: Usd;
  readonly magi?: Usd;
  readonly netInvestmentIncome?: Usd;
  /** Two-letter postal code (DC included). */
  readonly state?: string;
  /** State taxable income, where the household knows it; otherwise federal taxable income stands in. */
  readonly stateTaxableIncome?: Usd;
  /** Replaces the state table: one marginal state rate for ordinary income and gains. */
  readonly stateRate?: Rate;
  readonly realized?: RealizedGains;
  readonly carryoverIn?: Carryover;
}

export interface ResolvedIncome {
  readonly standardDeduction: Usd;
  /** The deduction subtracted from gross income (undefined when taxable income was given). */
  readonly deduction?: Usd;
  /** Ordinary income less the deduction, before the floor at zero. */
  readonly ordinarySigned: Usd;
}

export function resolveIncome(table: FederalTaxTable, status: TaxFilingStatus, income: IncomeSpec): ResolvedIncome {
  const standardDeduction = table.standardDeduction[tableStatus(status)];
  if (income.kind === 'taxable') return { standardDeduction, ordinarySigned: income.ordinaryTaxableIncome };
  const deduction = income.deduction ?? standardDeduction;
  return { standardDeduction, deduction, ordinarySigned: (income.grossOrdinaryIncome - deduction) as Usd };
}

export interface IncomePosition {
  readonly income: ResolvedIncome;
  readonly capital: CapitalLossYear;
  /** Form 1040 line 15 before the floor at zero. */
  readonly taxableIncomeSigned: Usd;
  readonly taxableIncome: Usd;
  /** Qualified dividends + net capital gain: the stacked part (before the cap at taxable income). */
  readonly preferentialIncome: Usd;
  readonly magi: Usd;
  readonly netInvestmentIncome: Usd;
}

/** Where the profile's income stands this year, with its realized gains and carryovers netted. */
export function incomePosition(table: FederalTaxTable, profile: TaxProfile): IncomePosition {
  const status = tableStatus(profile.filingStatus);
  const income = resolveIncome(table, profile.filingStatus, profile.income);
  const qualified = profile.preferentialIncome ?? (0 as Usd);
  const realized = profile.realized ?? { shortTerm: 0 as Usd, longTerm: 0 as Usd };
  const base = income.ordinarySigned + qualified;
  const carryoverIn = profile.carryoverIn ?? NO_CARRYOVER;
  const limit = table.capitalLossLimit[status];
  const d = scheduleD(realized.shortTerm, realized.longTerm, carryoverIn, limit);
  const net = d.line16Combined;
  const capitalNet = net > 0 ? net : -d.line21LossAllowed;
  const taxableIncomeSigned = (base + capitalNet) as Usd;
  const capital = capitalLossYear({ shortTermNet: realized.shortTerm, longTermNet: realized.longTerm, carryoverIn, taxableIncome: taxableIncomeSigned, limit });
  const taxableIncome = Math.max(0, taxableIncomeSigned) as Usd;
  const preferentialIncome = (qualified + capital.netCapitalGainAtPreferentialRates) as Usd;
  const agi = profile.income.kind === 'gross' ? profile.income.grossOrdinaryIncome + qualified + capitalNet : taxableIncome + income.standardDeduction;
  return {
    income,
    capital,
    taxableIncomeSigned,
    taxableIncome,
    preferentialIncome,
    magi: profile.magi ?? (agi as Usd),
    netInvestmentIncome: profile.netInvestmentIncome ?? (Math.max(0, qualified + Math.max(0, net)) as Usd),
  };
}
