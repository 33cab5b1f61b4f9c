/**
 * Capital gain and loss netting for one tax year and carryover across years.
 *
 * Rules (IRC 1211(b), 1212(b); Schedule D (Form 1040) and its instructions):
 *  - Line 7 = short-term items - short-term carryover in; line 15 = long-term items - long-term
 *    carryover in; line 16 = line 7 + line 15.
 *  - A net gain (line 16 > 0) is taxed; the part that is net capital gain, min(line 15, line 16)
 *    when both are gains, is taxed at the 0/15/20 % rates (1(h)), the rest as ordinary income.
 *  - A net loss is deductible against other income up to $3,000 ($1,500 married filing
 *    separately) per year (line 21, 1211(b)).
 *  - What is not used carries forward indefinitely keeping its character (1212(b)(1)), computed
 *    by the Capital Loss Carryover Worksheet (lines 1-13): the deduction counts as used only to
 *    the extent taxable income before it was positive (1212(b)(2): line 1 may be negative), and
 *    short-term loss is used first.
 *
 * Every worksheet line is returned, also when the instructions would not require the worksheet;
 * lines of a skipped section (5-8 when line 7 is not a loss, 9-13 when line 15 is not a loss)
 * are 0, which is what the worksheet's arithmetic gives for them anyway.
 *
 * Example (CL-003): single, short-term -2,000, long-term -5,000, taxable income 50,000:
 * line 16 = -7,000, deduction 3,000 (line 21); worksheet 4 = 3,000, 5 = 2,000, 8 = 0,
 * 9 = 5,000, 11 = 1,000, 13 = 4,000, so $4,000 carries to next year as long-term.
 */
import type { Usd } from '../kernel/exact.js';

export interface Carryover {
  /** Loss amounts, positive. */
  readonly shortTerm: Usd;
  readonly longTerm: Usd;
}

export const NO_CARRYOVER: Carryover = { shortTerm: 0 as Usd, longTerm: 0 as Usd };

export interface CapitalLossInput {
  /** Sum of the year's short-term gains and losses (Schedule D lines 1a-5), signed. */
  readonly shortTermNet: Usd;
  /** Sum of the year's long-term gains and losses (lines 8a-13), signed. */
  readonly longTermNet: Usd;
  readonly carryoverIn: Carryover;
  /** Form 1040 line 15 before its floor at zero (the worksheet's line 1): may be negative. */
  readonly taxableIncome: Usd;
  /** 1211(b)(1) limit for the filing status: $3,000, or $1,500 married filing separately. */
  readonly limit: Usd;
}

export interface ScheduleD {
  readonly line6ShortTermCarryover: Usd;
  readonly line7NetShortTerm: Usd;
  readonly line14LongTermCarryover: Usd;
  readonly line15NetLongTerm: Usd;
  readonly line16Combined: Usd;
  /** Loss allowed this year, positive (0 when line 16 is not a loss). */
  readonly line21LossAllowed: Usd;
}

export const WORKSHEET_LINES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13'] as const;
export type WorksheetLine = (typeof WORKSHEET_LINES)[number];
export type CarryoverWorksheet = Readonly<Record<WorksheetLine, Usd>>;

export interface CapitalLossYear {
  readonly carryoverIn: Carryover;
  readonly scheduleD: ScheduleD;
  /** Schedule D line 21: the deduction claimed on the return. */
  readonly capitalLossDeduction: Usd;
  /** Worksheet line 4: the part of the deduction that taxable income absorbed. */
  readonly capitalLossDeductionAbsorbed: Usd;
  /** Net gain taxed at the 1(h) rates: min(line 15, line 16) when both are gains. */
  readonly netCapitalGainAtPreferentialRates: Usd;
  /** Net gain taxed as ordinary income: line 16 less the preferential part, when a gain. */
  readonly netGainAtOrdinaryRates: Usd;
  readonly carryoverToNextYear: Carryover;
  readonly carryoverWorksheet: CarryoverWorksheet;
}

const pos = (v: number): Usd => Math.max(0, v) as Usd;
const usdMin = (a: number, b: number): Usd => Math.min(a, b) as Usd;

export function scheduleD(shortTermNet: Usd, longTermNet: Usd, carryoverIn: Carryover, limit: Usd): ScheduleD {
  const line7 = shortTermNet - carryoverIn.shortTerm;
  const line15 = longTermNet - carryoverIn.longTerm;
  const line16 = line7 + line15;
  return {
    line6ShortTermCarryover: carryoverIn.shortTerm,
    line7NetShortTerm: line7 as Usd,
    line14LongTermCarryover: carryoverIn.longTerm,
    line15NetLongTerm: line15 as Usd,
    line16Combined: line16 as Usd,
    line21LossAllowed: line16 < 0 ? usdMin(-line16, limit) : (0 as Usd),
  };
}

/** The Capital Loss Carryover Worksheet (Instructions for Schedule D), lines 1-13. */
export function carryoverWorksheet(d: ScheduleD, taxableIncome: Usd): CarryoverWorksheet {
  const l1 = taxableIncome;
  const l2 = d.line21LossAllowed;
  const l3 = pos(l1 + l2);
  const l4 = usdMin(l2, l3);
  const stLoss = d.line7NetShortTerm < 0;
  const l5 = stLoss ? (-d.line7NetShortTerm as Usd) : (0 as Usd);
  const l6 = stLoss ? pos(d.line15NetLongTerm) : (0 as Usd);
  const l7 = stLoss ? ((l4 + l6) as Usd) : (0 as Usd);
  const l8 = stLoss ? pos(l5 - l7) : (0 as Usd);
  const ltLoss = d.line15NetLongTerm < 0;
  const l9 = ltLoss ? (-d.line15NetLongTerm as Usd) : (0 as Usd);
  const l10 = ltLoss ? pos(d.line7NetShortTerm) : (0 as Usd);
  const l11 = ltLoss ? pos(l4 - l5) : (0 as Usd);
  const l12 = ltLoss ? ((l10 + l11) as Usd) : (0 as Usd);
  const l13 = ltLoss ? pos(l9 - l12) : (0 as Usd);
  return { '1': l1, '2': l2, '3': l3, '4': l4, '5': l5, '6': l6, '7': l7, '8': l8, '9': l9, '10': l10, '11': l11, '12': l12, '13': l13 };
}

export function capitalLossYear(input: CapitalLossInput): CapitalLossYear {
  const d = scheduleD(input.shortTermNet, input.longTermNet, input.carryoverIn, input.limit);
  const w = carryoverWorksheet(d, input.taxableIncome);
  const preferential = d.line15NetLongTerm > 0 && d.line16Combined > 0 ? usdMin(d.line15NetLongTerm, d.line16Combined) : (0 as Usd);
  return {
    carryoverIn: input.carryoverIn,
    scheduleD: d,
    capitalLossDeduction: d.line21LossAllowed,
    capitalLossDeductionAbsorbed: w['4'],
    netCapitalGainAtPreferentialRates: preferential,
    netGainAtOrdinaryRates: pos(d.line16Combined - preferential),
    carryoverToNextYear: { shortTerm: w['8'], longTerm: w['13'] },
    carryoverWorksheet: w,
  };
}

export type ChainYear = Omit<CapitalLossInput, 'carryoverIn'>;

/** Several consecutive years: each year's carryover is the next year's carryover in. */
export function capitalLossChain(years: readonly ChainYear[], carryoverIn: Carryover = NO_CARRYOVER): CapitalLossYear[] {
  const out: CapitalLossYear[] = [];
  let carry = carryoverIn;
  for (const y of years) {
    const result = capitalLossYear({ ...y, carryoverIn: carry });
    out.push(result);
    carry = result.carryoverToNextYear;
  }
  return out;
}
