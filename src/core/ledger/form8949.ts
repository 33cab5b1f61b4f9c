/**
 * Form 8949 rows and Schedule D totals from booked dispositions (Instructions for Form 8949).
 *
 * One row per sale and lot sold, in taxable accounts only (a sale inside an IRA is not reported).
 * Columns: (a) description, (b) date acquired — the lot's actual trade date, (c) date sold,
 * (d) proceeds, (e) cost basis — adjusted, wash adjustments from earlier sales included,
 * (f) code "W" when this sale's loss is disallowed as a wash sale, (g) the disallowed amount as a
 * positive adjustment, (h) gain or loss = d - e + g. Part I holds short-term rows, Part II
 * long-term, the term following the adjusted acquisition date (holding period tacked).
 *
 * Example (Pub 550 Example 1): d 750.00, e 1,000.00, f W, g 250.00, h 0.00.
 */
import { formatShares, type Shares, type Usd } from '../kernel/exact.js';
import { yearOf, type Day } from '../kernel/calendar.js';
import { holdingPeriodStart, type Term } from './holdingPeriod.js';
import type { AccountId, EventId, Symbol } from './household.js';
import type { Disposition, Ledger, WashMatch } from './ledger.js';

export interface Form8949Row {
  readonly part: 'I' | 'II';
  readonly saleEventId: EventId;
  readonly account: AccountId;
  readonly symbol: Symbol;
  readonly lotId: string;
  readonly shares: Shares;
  readonly description: string;
  readonly dateAcquired: Day;
  readonly adjustedAcquisitionDate: Day;
  readonly holdingPeriodStart: Day;
  readonly dateSold: Day;
  readonly proceeds: Usd;
  readonly costBasis: Usd;
  readonly code: 'W' | '';
  readonly adjustment: Usd;
  readonly gainOrLoss: Usd;
  readonly realizedGainLoss: Usd;
  readonly disallowedLoss: Usd;
  readonly permanentlyDisallowed: Usd;
  readonly term: Term;
  readonly washMatches: readonly WashMatch[];
}

export interface PartTotals {
  readonly proceeds: Usd;
  readonly costBasis: Usd;
  readonly adjustments: Usd;
  readonly gainOrLoss: Usd;
}

export interface ScheduleDTotals {
  /** Schedule D line 1b/2/3 total (short-term). */
  readonly shortTerm: PartTotals;
  /** Schedule D line 8b/9/10 total (long-term). */
  readonly longTerm: PartTotals;
  readonly realizedGainLoss: Usd;
  readonly disallowedLoss: Usd;
  readonly reportedShortTerm: Usd;
  readonly reportedLongTerm: Usd;
  readonly permanentlyDisallowed: Usd;
}

export interface Form8949Report {
  readonly year: number | undefined;
  readonly rows: readonly Form8949Row[];
  readonly totals: ScheduleDTotals;
}

export function form8949Row(d: Disposition): Form8949Row {
  return {
    part: d.term === 'short' ? 'I' : 'II',
    saleEventId: d.saleId,
    account: d.account,
    symbol: d.symbol,
    lotId: d.lotId,
    shares: d.shares,
    description: `${formatShares(d.shares)} sh ${d.symbol}`,
    dateAcquired: d.acquired,
    adjustedAcquisitionDate: d.heldFrom,
    holdingPeriodStart: holdingPeriodStart(d.heldFrom),
    dateSold: d.date,
    proceeds: d.proceeds,
    costBasis: d.basis,
    code: d.disallowed > 0 ? 'W' : '',
    adjustment: d.disallowed,
    gainOrLoss: (d.gain + d.disallowed) as Usd,
    realizedGainLoss: d.gain,
    disallowedLoss: d.disallowed,
    permanentlyDisallowed: d.permanentlyDisallowed,
    term: d.term,
    washMatches: d.washMatches,
  };
}

/** Rows and totals for one tax year (sale date), or for every year when `year` is undefined. */
export function form8949(ledger: Ledger, year?: number): Form8949Report {
  const rows = ledger.dispositions
    .filter((d) => d.taxable && (year === undefined || yearOf(d.date) === year))
    .map(form8949Row);
  return { year, rows, totals: scheduleDTotals(rows) };
}

export function scheduleDTotals(rows: readonly Form8949Row[]): ScheduleDTotals {
  const part = (): { proceeds: number; costBasis: number; adjustments: number; gainOrLoss: number } => ({
    proceeds: 0,
    costBasis: 0,
    adjustments: 0,
    gainOrLoss: 0,
  });
  const st = part();
  const lt = part();
  let realized = 0;
  let disallowed = 0;
  let permanent = 0;
  for (const r of rows) {
    const t = r.part === 'I' ? st : lt;
    t.proceeds += r.proceeds;
    t.costBasis += r.costBasis;
    t.adjustments += r.adjustment;
    t.gainOrLoss += r.gainOrLoss;
    realized += r.realizedGainLoss;
    disallowed += r.disallowedLoss;
    permanent += r.permanentlyDisallowed;
  }
  const asUsd = (t: typeof st): PartTotals => ({
    proceeds: t.proceeds as Usd,
    costBasis: t.costBasis as Usd,
    adjustments: t.adjustments as Usd,
    gainOrLoss: t.gainOrLoss as Usd,
  });
  return {
    shortTerm: asUsd(st),
    longTerm: asUsd(lt),
    realizedGainLoss: realized as Usd,
    disallowedLoss: disallowed as Usd,
    reportedShortTerm: st.gainOrLoss as Usd,
    reportedLongTerm: lt.gainOrLoss as Usd,
    permanentlyDisallowed: permanent as Usd,
  };
}
