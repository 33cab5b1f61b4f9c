/**
 * Federal income tax on ordinary income and on income taxed at the capital gain rates, and the
 * net investment income tax.
 *
 * Rules:
 *  - Ordinary tax: the rate schedules of IRC 1(a)-(d) as adjusted by 1(j) and the year's revenue
 *    procedure (2025: Rev. Proc. 2024-40 sec. 2.01), applied exactly: tax = sum over brackets of
 *    rate x income in the bracket, rounded once to the cent. (The IRS Tax Table's $50 bands for
 *    income under $100,000 are a lookup convenience and are not used.)
 *  - Preferential income (qualified dividends and net capital gain) is stacked on top of ordinary
 *    income and taxed at 0 / 15 / 20 % by where it falls against the breakpoints (IRC 1(h)(1),
 *    1(j)(5); Rev. Proc. 2024-40 sec. 2.03), exactly as the Qualified Dividends and Capital Gain
 *    Tax Worksheet (Form 1040 instructions, lines 1-25) computes it, including its last line:
 *    the tax is the smaller of that result and the ordinary tax on all taxable income.
 *  - NIIT (IRC 1411): 3.8 % of the smaller of net investment income and MAGI over the threshold
 *    ($250,000 joint, $125,000 separate, $200,000 otherwise; not indexed).
 *
 * Example (TX-002): single, ordinary 40,000 + long-term gain 20,000: ordinary tax 4,561.50;
 * worksheet line 9 = 48,350 - 40,000 = 8,350 at 0 %, line 17 = 11,650 at 15 % = 1,747.50;
 * regular tax 6,309.00.
 */
import type { Usd } from '../kernel/exact.js';
import { applyRate, sumAtRates, type Rate } from './rate.js';
import { tableStatus, type Bracket, type FederalTaxTable, type TaxFilingStatus } from './taxTables.js';

/** Tax on `income` by a bracket schedule: exact, rounded once to the cent. */
export function bracketTax(brackets: readonly Bracket[], income: Usd): Usd {
  const parts: Array<readonly [Usd, Rate]> = [];
  for (let i = 0; i < brackets.length; i++) {
    const b = brackets[i] as Bracket;
    if (income <= b.over) break;
    const top = brackets[i + 1]?.over;
    const upTo = top === undefined ? income : Math.min(income, top);
    parts.push([(upTo - b.over) as Usd, b.rate]);
  }
  return sumAtRates(parts);
}

/** The rate on the next dollar of income: the bracket whose `over` the income has reached. */
export function bracketRate(brackets: readonly Bracket[], income: Usd): Rate {
  let r = (brackets[0]?.rate ?? 0) as Rate;
  for (const b of brackets) if (income >= b.over) r = b.rate;
  return r;
}

export const QDCG_LINES = ['1', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '21', '22', '23', '24', '25'] as const;
export type QdcgLine = (typeof QDCG_LINES)[number];
/** Lines 2 and 3 (qualified dividends, net capital gain) are given together as line 4. */
export type CapitalGainWorksheet = Readonly<Record<QdcgLine, Usd>>;

const min = (a: number, b: number): Usd => Math.min(a, b) as Usd;
const pos = (v: number): Usd => Math.max(0, v) as Usd;

/**
 * Qualified Dividends and Capital Gain Tax Worksheet. `taxableIncome` is Form 1040 line 15;
 * `preferential` is line 4 (qualified dividends + the smaller of Schedule D lines 15 and 16).
 */
export function capitalGainWorksheet(table: FederalTaxTable, status: TaxFilingStatus, taxableIncome: Usd, preferential: Usd): CapitalGainWorksheet {
  const s = tableStatus(status);
  const cg = table.capitalGains;
  const brackets = table.ordinaryBrackets[s];
  const l1 = taxableIncome;
  const l4 = preferential;
  const l5 = pos(l1 - l4);
  const l6 = cg.maximumZeroRateAmount[s];
  const l7 = min(l1, l6);
  const l8 = min(l5, l7);
  const l9 = (l7 - l8) as Usd;
  const l10 = min(l1, l4);
  const l11 = l9;
  const l12 = (l10 - l11) as Usd;
  const l13 = cg.maximum15PercentRateAmount[s];
  const l14 = min(l1, l13);
  const l15 = (l5 + l9) as Usd;
  const l16 = pos(l14 - l15);
  const l17 = min(l12, l16);
  const l18 = applyRate(l17, cg.fifteen);
  const l19 = (l9 + l17) as Usd;
  const l20 = (l10 - l19) as Usd;
  const l21 = applyRate(l20, cg.twenty);
  const l22 = bracketTax(brackets, l5);
  const l23 = (l18 + l21 + l22) as Usd;
  const l24 = bracketTax(brackets, l1);
  const l25 = min(l23, l24);
  return {
    '1': l1, '4': l4, '5': l5, '6': l6, '7': l7, '8': l8, '9': l9, '10': l10, '11': l11, '12': l12, '13': l13, '14': l14,
    '15': l15, '16': l16, '17': l17, '18': l18, '19': l19, '20': l20, '21': l21, '22': l22, '23': l23, '24': l24, '25': l25,
  };
}

/** IRC 1411(a)(1): rate x min(NII, max(0, MAGI - threshold)). */
export function niit(table: FederalTaxTable, status: TaxFilingStatus, magi: Usd, netInvestmentIncome: Usd): Usd {
  const excess = pos(magi - table.niit.thresholdMagi[tableStatus(status)]);
  return applyRate(min(pos(netInvestmentIncome), excess), table.niit.rate);
}

export interface FederalTaxInput {
  readonly filingStatus: TaxFilingStatus;
  /** Form 1040 line 15 (not negative). */
  readonly taxableIncome: Usd;
  /** Qualified dividends + net capital gain, part of taxable income. */
  readonly preferentialIncome: Usd;
  /** NIIT is computed only when MAGI is known. */
  readonly magi?: Usd;
  readonly netInvestmentIncome?: Usd;
}

export interface FederalTax {
  readonly taxableIncome: Usd;
  /** Worksheet line 5: taxable income taxed at the ordinary rates. */
  readonly ordinaryIncome: Usd;
  /** Worksheet line 10: taxable income taxed at the capital gain rates. */
  readonly preferentialIncome: Usd;
  /** Worksheet line 22: tax on the ordinary part. */
  readonly ordinaryTax: Usd;
  /** Worksheet lines 18 + 21: tax on the preferential part at 15 % and 20 %. */
  readonly preferentialTax: Usd;
  /** Worksheet line 25: the smaller of ordinary + preferential tax and the ordinary tax on all. */
  readonly regularTax: Usd;
  readonly niit: Usd;
  readonly totalTax: Usd;
  readonly worksheet: CapitalGainWorksheet;
}

export function federalTax(table: FederalTaxTable, input: FederalTaxInput): FederalTax {
  const w = capitalGainWorksheet(table, input.filingStatus, input.taxableIncome, input.preferentialIncome);
  const n = input.magi === undefined ? (0 as Usd) : niit(table, input.filingStatus, input.magi, input.netInvestmentIncome ?? input.preferentialIncome);
  return {
    taxableIncome: input.taxableIncome,
    ordinaryIncome: w['5'],
    preferentialIncome: w['10'],
    ordinaryTax: w['22'],
    preferentialTax: (w['18'] + w['21']) as Usd,
    regularTax: w['25'],
    niit: n,
    totalTax: (w['25'] + n) as Usd,
    worksheet: w,
  };
}
