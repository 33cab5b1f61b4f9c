/**
 * Marginal state income tax rates on ordinary income, short-term and long-term capital gains.
 *
 * Rule: the rate on the next dollar of state taxable income, read from the state's 2025 rate
 * schedule for the household's filing status (data/tax/states-YYYY.json: every graduated state
 * and DC, each with its revenue department's schedule cited; flat states have one bracket).
 * Where a state's schedule cannot be modelled the table carries only its top rate, and the
 * result says so (`basis: 'top_rate'`, `approximate: true`). Qualifying surviving spouses use
 * the joint schedule (taxTables.ts). Capital gains follow the state's own treatment where it
 * differs: a schedule of their own (MT long-term 3 % / 4.1 %; MA short-term 8.5 %, 12.5 % over
 * the surtax threshold), a separate rate, an excluded share that lowers the rate (SC taxes 56 %
 * of a long-term gain), and a cap (HI 7.25 %).
 *
 * State taxable income is the caller's figure: the household's own, or federal taxable income
 * as an approximation (marginalRates.ts). Recaptures, minimum taxes and steps keyed to AGI
 * (CT, NY, AR, VT, OH) are not marginal rates of a schedule; the entry's notes name them.
 *
 * Example: CA, married filing jointly, state taxable income 310,000: Schedule Y's 9.3 % bracket
 * (over 145,448 up to 742,958), so ordinary, short-term and long-term are 9.3 %. SC, 80,000:
 * ordinary 6 %; long-term 6 % x (1 - 44 %) = 3.36 %.
 */
import { issue, type Result } from '../kernel/errors.js';
import { mulDivRound, type Usd } from '../kernel/exact.js';
import { RATE_SCALE, type Rate } from './rate.js';
import { tableStatus, type Bracket, type StateTaxEntry, type StateTaxTable, type StatusSchedules, type TaxFilingStatus } from './taxTables.js';

/** The 50 states and the District of Columbia, by postal code. */
export const STATE_CODES = [
  'AK', 'AL', 'AR', 'AZ', 'CA', 'CO', 'CT', 'DC', 'DE', 'FL', 'GA', 'HI', 'IA', 'ID', 'IL', 'IN', 'KS', 'KY', 'LA', 'MA', 'MD', 'ME', 'MI', 'MN', 'MO', 'MS',
  'MT', 'NC', 'ND', 'NE', 'NH', 'NJ', 'NM', 'NV', 'NY', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VA', 'VT', 'WA', 'WI', 'WV', 'WY',
] as const;
export type StateCode = (typeof STATE_CODES)[number];

export const isStateCode = (code: string): code is StateCode => (STATE_CODES as readonly string[]).includes(code);

/** The bracket of a schedule that an income falls in: from `over`, up to `upTo` (open at the top). */
export interface BracketPosition {
  readonly over: Usd;
  readonly upTo?: Usd;
  readonly rate: Rate;
}

export interface StateMarginalRates {
  /** Postal code, or undefined when no state (or an override) applies. */
  readonly code?: string;
  readonly ordinary: Rate;
  readonly shortTerm: Rate;
  readonly longTerm: Rate;
  /** The rate is the state's top marginal rate, not its schedule at this income. */
  readonly approximate: boolean;
  readonly basis: 'none' | 'override' | 'schedule' | 'top_rate';
  /** The state taxable income the rates were read at (not for an override or no state). */
  readonly taxableIncome?: Usd;
  /** The ordinary bracket of the schedule at that income. */
  readonly bracket?: BracketPosition;
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

/** The bracket an income reaches: the last whose `over` the income has reached (the upper one at a boundary). */
export function bracketPosition(brackets: readonly Bracket[], income: Usd): BracketPosition {
  let k = 0;
  for (let i = 0; i < brackets.length; i++) if (income >= (brackets[i] as Bracket).over) k = i;
  const b = brackets[k] as Bracket;
  const next = brackets[k + 1];
  return next ? { over: b.over, upTo: next.over, rate: b.rate } : { over: b.over, rate: b.rate };
}

const excluded = (r: Rate, exclusion: Rate | undefined): Rate =>
  exclusion === undefined ? r : (mulDivRound(r, RATE_SCALE - exclusion, RATE_SCALE) as Rate);

function gainRate(ordinary: Rate, schedule: StatusSchedules | undefined, rate: Rate | undefined, exclusion: Rate | undefined, status: TaxFilingStatus, income: Usd): Rate {
  if (schedule) return bracketPosition(schedule[tableStatus(status)], income).rate;
  return rate ?? excluded(ordinary, exclusion);
}

function entryNotes(entry: StateTaxEntry, approximate: boolean): string[] {
  return [
    ...(approximate ? [`${entry.code}: top marginal rate used (approximation: the state's graduated schedule is not in the table)`] : []),
    ...(entry.notes ? [`${entry.code}: ${entry.notes}`] : []),
    ...(entry.capitalGains?.note ? [`${entry.code}: ${entry.capitalGains.note}`] : []),
  ];
}

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
  const position = entry.schedule ? bracketPosition(entry.schedule[tableStatus(status)], stateTaxableIncome) : undefined;
  const ordinary = position ? position.rate : entry.topRate;
  const cg = entry.capitalGains ?? {};
  const shortTerm = gainRate(ordinary, cg.shortTermSchedule, cg.shortTermRate, cg.shortTermExclusion, status, stateTaxableIncome);
  const longTermUncapped = gainRate(ordinary, cg.longTermSchedule, cg.longTermRate, cg.longTermExclusion, status, stateTaxableIncome);
  const longTerm = cg.longTermRateCap === undefined ? longTermUncapped : (Math.min(longTermUncapped, cg.longTermRateCap) as Rate);
  const basis = entry.system === 'none' ? 'none' : position ? 'schedule' : 'top_rate';
  const approximate = basis === 'top_rate';
  return {
    ok: true,
    value: {
      code: entry.code,
      ordinary,
      shortTerm,
      longTerm,
      approximate,
      basis,
      taxableIncome: stateTaxableIncome,
      ...(position ? { bracket: position } : {}),
      notes: entryNotes(entry, approximate),
    },
  };
}
