/**
 * The shapes of the tax tables. The figures live as data (data/tax/federal-YYYY.json,
 * data/tax/states-YYYY.json, each with its citations); adapters load and validate them and pass
 * them to the core, so a new tax year is a new data file, not new code.
 *
 * Filing statuses: the four of Form 1040 that the household settings know, plus qualifying
 * surviving spouse, which uses the married-filing-jointly figures everywhere it appears in this
 * model (IRC 1(a)(2) brackets; 1(j)(5)(B) breakpoints; 1411(b)(1) threshold; 63(c)(2)(A)
 * deduction; 1211(b) limit of $3,000), so the tables hold four statuses and `tableStatus` maps.
 *
 * Example: tableStatus('qualifying_surviving_spouse') === 'married_filing_jointly'.
 */
import type { Usd } from '../kernel/exact.js';
import { FILING_STATUSES, type FilingStatus } from '../ledger/household.js';
import type { Rate } from './rate.js';

export const TAX_FILING_STATUSES = [...FILING_STATUSES, 'qualifying_surviving_spouse'] as const;
export type TaxFilingStatus = (typeof TAX_FILING_STATUSES)[number];

export function tableStatus(status: TaxFilingStatus): FilingStatus {
  return status === 'qualifying_surviving_spouse' ? 'married_filing_jointly' : status;
}

export type ByStatus<T> = Readonly<Record<FilingStatus, T>>;

/** Rate applies to income over `over` up to the next bracket's `over` (the last is open). */
export interface Bracket {
  readonly over: Usd;
  readonly rate: Rate;
}

/** The 0 % rate needs no entry: gains under the first breakpoint are simply not taxed. */
export interface CapitalGainRates {
  readonly fifteen: Rate;
  readonly twenty: Rate;
  /** Taxable income (gains stacked on top) up to which gains are taxed at 0 % (1(h)(1)(B)). */
  readonly maximumZeroRateAmount: ByStatus<Usd>;
  /** ... and up to which at 15 % (1(h)(1)(C)); above it 20 %. */
  readonly maximum15PercentRateAmount: ByStatus<Usd>;
}

export interface NiitTable {
  readonly rate: Rate;
  readonly thresholdMagi: ByStatus<Usd>;
}

export interface FederalTaxTable {
  readonly taxYear: number;
  readonly ordinaryBrackets: ByStatus<readonly Bracket[]>;
  readonly capitalGains: CapitalGainRates;
  readonly niit: NiitTable;
  readonly standardDeduction: ByStatus<Usd>;
  /** 1211(b)(1): losses beyond gains allowed against other income up to this amount. */
  readonly capitalLossLimit: ByStatus<Usd>;
}

export type StateSystem = 'none' | 'flat' | 'graduated';

/** A rate schedule for each filing status of the tables (a uniform schedule is repeated). */
export type StatusSchedules = ByStatus<readonly Bracket[]>;

/**
 * How a state taxes capital gains when not like ordinary income, per term, in this order: a
 * schedule of its own at the household's state taxable income (MA short-term 8.5 % / 12.5 %, MT
 * long-term 3 % / 4.1 %), a flat rate, or the ordinary rate less an excluded share (SC 44 %, WI
 * 30 %, ND 40 %, AR 50 %, AZ 25 %, MO 100 %); a cap limits the long-term rate (HI 7.25 %).
 */
export interface StateCapitalGains {
  readonly shortTermSchedule?: StatusSchedules;
  readonly longTermSchedule?: StatusSchedules;
  readonly shortTermRate?: Rate;
  readonly longTermRate?: Rate;
  readonly shortTermExclusion?: Rate;
  readonly longTermExclusion?: Rate;
  readonly longTermRateCap?: Rate;
  readonly note?: string;
}

export interface StateTaxEntry {
  readonly code: string;
  readonly name: string;
  readonly system: StateSystem;
  /** The highest rate of the schedule (or the only rate known, where there is no schedule). */
  readonly topRate: Rate;
  /** The state's rate schedule by filing status; absent only where it cannot be modelled. */
  readonly schedule?: StatusSchedules;
  readonly capitalGains?: StateCapitalGains;
  readonly notes?: string;
  readonly source: string;
}

export interface StateTaxTable {
  readonly taxYear: number;
  readonly states: Readonly<Record<string, StateTaxEntry>>;
}
