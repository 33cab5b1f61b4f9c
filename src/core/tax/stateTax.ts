/**
 * Marginal state income tax rates on ordinary income, short-term and long-term capital gains.
 *
 * Rule: the rate on the next dollar of state taxable income, taken from the state's schedule
 * where the table has one (flat-rate states, and the few graduated ones with a simple schedule:
 * AL, KS, MA, MS, SC, VA), otherwise the state's top marginal rate, flagged as an approximation.
 * State taxable income is approximated by federal taxable income. Capital gains follow the
 * state's own treatment where it differs: an excluded share lowers the rate (SC taxes 56 % of a
 * long-term gain), a separate rate replaces it (MA short-term 8.5 %), a cap limits it (HI
 * 7.25 %). Sources per state are in data/tax/states-YYYY.json (Tax Foundation, "State
 * Individual Income Tax Rates and Brackets, 2025", and the 2025 legislation noted per state).
 * A household may override the table with its own rate.
 *
 * Example: SC, 2025, taxable income 80,000: ordinary 6 %; long-term 6 % x (1 - 44 %) = 3.36 %.
 */
import { issue, type Result } from '../kernel/errors.js';
import { mulDivRound, type Usd } from '../kernel/exact.js';
import { bracketRate } from './federalTax.js';
import { RATE_SCALE, type Rate } from './rate.js';
import { tableStatus, type Bracket, type StateTaxEntry, type StateTaxTable, type TaxFilingStatus } from './taxTables.js';

export interface StateMarginalRates {
  /** Postal code, or undefined when no state (or an override) applies. */
  readonly code?: string;
  readonly ordinary: Rate;
  readonly shortTerm: Rate;
  readonly longTerm: Rate;
  /** The rate is the state's top marginal rate, not its schedule at this income. */
  readonly approximate: boolean;
  readonly basis: 'none' | 'override' | 'schedule' | 'top_rate';
  readonly notes: readonly string[];
}

export const NO_STATE_TAX: StateMarginalRates = {
  ordinary: 0 as Rate,
  shortTerm: 0 as Rate,
  longTerm: 0 as Rate,
  approximate: false,
  basis: 'none',
  notes: [],
};

export function overrideStateRate(r: Rate): StateMarginalRates {
  return { ordinary: r, shortTerm: r, longTerm: r, approximate: false, basis: 'override', notes: ['state rate given by the household'] };
}

function scheduleFor(entry: StateTaxEntry, status: TaxFilingStatus): readonly Bracket[] | undefined {
  if (entry.brackets) return entry.brackets;
  if (!entry.bracketsByStatus) return undefined;
  return tableStatus(status) === 'married_filing_jointly' ? entry.bracketsByStatus.married_filing_jointly : entry.bracketsByStatus.single;
}

const excluded = (r: Rate, exclusion: Rate | undefined): Rate =>
  exclusion === undefined ? r : (mulDivRound(r, RATE_SCALE - exclusion, RATE_SCALE) as Rate);

export function stateMarginalRates(
  table: StateTaxTable,
  code: string,
  status: TaxFilingStatus,
  stateTaxableIncome: Usd,
): Result<StateMarginalRates> {
  const entry = table.states[code.toUpperCase()];
  if (!entry) {
    return { ok: false, issues: [issue('BAD_VALUE', `unknown state "${code}": use a two-letter postal code (50 states and DC)`, { field: 'state' })] };
  }
  const schedule = scheduleFor(entry, status);
  const ordinary = schedule ? bracketRate(schedule, stateTaxableIncome) : entry.topRate;
  const cg = entry.capitalGains ?? {};
  const shortTerm = cg.shortTermRate ?? excluded(ordinary, cg.shortTermExclusion);
  const longTermUncapped = cg.longTermRate ?? excluded(ordinary, cg.longTermExclusion);
  const longTerm = cg.longTermRateCap === undefined ? longTermUncapped : (Math.min(longTermUncapped, cg.longTermRateCap) as Rate);
  const approximate = entry.system === 'graduated' && !schedule;
  const notes = [
    ...(approximate ? [`${entry.code}: top marginal rate used (approximation; the state's schedule is graduated)`] : []),
    ...(entry.notes ? [`${entry.code}: ${entry.notes}`] : []),
    ...(cg.note ? [`${entry.code}: ${cg.note}`] : []),
  ];
  return { ok: true, value: { code: entry.code, ordinary, shortTerm, longTerm, approximate, basis: schedule ? 'schedule' : entry.system === 'none' ? 'none' : 'top_rate', notes } };
}
