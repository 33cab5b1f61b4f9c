/**
 * The simulated clients of a backtest: when each opens its taxable account (its vintage), its
 * risk score, what it deposits, and which tax profile it files under. A population is drawn from
 * a seeded generator, so a run is reproducible from its config alone.
 *
 * Draws: start day uniform over the vintage year's trading days (or the year's first trading day);
 * risk score uniform over the configured scores; initial deposit log-uniform between its bounds;
 * a monthly deposit with the configured probability, log-uniform between its bounds; tax profile
 * by weight. Vintages are assigned round-robin so every vintage gets the same number of accounts.
 */
import { dayFromCivil } from '../kernel/calendar.js';
import type { Usd } from '../kernel/exact.js';
import { prng } from '../kernel/random.js';
import { firstIndexOnOrAfter, type CalendarFields, type MarketData } from './marketData.js';

export interface AccountSpec {
  readonly id: string;
  /** Calendar index of the first day (initial deposit and first trades). */
  readonly start: number;
  readonly vintage: number;
  readonly riskScore: number;
  readonly initialDeposit: Usd;
  /** Deposited on the first trading day of every later month; 0 for none. */
  readonly monthlyDeposit: Usd;
  /** Deposited on the first trading day of every later year (the paper's Investor B); 0 for none. */
  readonly yearlyDeposit: Usd;
  /** Index into the run's tax profiles. */
  readonly profile: number;
}

export interface Range {
  readonly min: number;
  readonly max: number;
}

export interface Population {
  readonly count: number;
  readonly vintages: readonly number[];
  readonly riskScores: readonly number[];
  /** Dollars. */
  readonly initialDeposit: Range;
  readonly monthlyDepositShare: number;
  /** Dollars. */
  readonly monthlyDeposit: Range;
  readonly startDay: 'random' | 'first_trading_day';
  /** Relative weights of the run's tax profiles, in their order. */
  readonly profileWeights: readonly number[];
  readonly seed: number;
}

const logUniform = (rand: () => number, r: Range): number => Math.exp(Math.log(r.min) + rand() * (Math.log(r.max) - Math.log(r.min)));
const dollarsToCents = (v: number): Usd => (Math.round(v) * 100) as Usd;

function pickWeighted(rand: () => number, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = rand() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i] as number;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

/**
 * Draws the population. Vintages without a trading day in the data are skipped; an account never
 * starts on the calendar's last day (it would have no day to be measured on).
 */
export function drawAccounts(p: Population, data: MarketData, cal: CalendarFields): AccountSpec[] {
  const rand = prng(p.seed);
  const n = data.days.length;
  const spans = p.vintages
    .map((year) => ({ year, first: firstIndexOnOrAfter(data, dayFromCivil(year, 1, 1)), last: firstIndexOnOrAfter(data, dayFromCivil(year + 1, 1, 1)) - 1 }))
    .map((s) => ({ ...s, last: Math.min(s.last, n - 2) }))
    .filter((s) => s.first <= s.last && cal.year[s.first] === s.year);
  const out: AccountSpec[] = [];
  if (spans.length === 0) return out;
  for (let k = 0; k < p.count; k++) {
    const span = spans[k % spans.length] as (typeof spans)[number];
    const offset = p.startDay === 'random' ? Math.floor(rand() * (span.last - span.first + 1)) : 0;
    const riskScore = p.riskScores[Math.floor(rand() * p.riskScores.length)] as number;
    const initialDeposit = dollarsToCents(logUniform(rand, p.initialDeposit));
    const monthly = rand() < p.monthlyDepositShare ? dollarsToCents(logUniform(rand, p.monthlyDeposit)) : (0 as Usd);
    out.push({
      id: `acct-${k + 1}`,
      start: span.first + offset,
      vintage: span.year,
      riskScore,
      initialDeposit,
      monthlyDeposit: monthly,
      yearlyDeposit: 0 as Usd,
      profile: pickWeighted(rand, p.profileWeights),
    });
  }
  return out;
}
