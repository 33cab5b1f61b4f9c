/**
 * Figures the pages derive from API answers: this year's harvested losses and estimated tax saved
 * from proposals, Harvesting Yield by year from realized losses and beginning balances, and the
 * wash-sale calendar ordered by when each block ends. Pure functions, unit-tested.
 */
import type { Decimal } from './format.js';
import { cents, daysBetween } from './format.js';
import type { Disposition, Proposal, ProposalStatus, WashBlock } from './api.js';

/** Proposals the adviser has committed to: approved and on their way to, or at, the custodian. */
export const COMMITTED: readonly ProposalStatus[] = ['approved', 'sent', 'partially_filled', 'filled'];

export interface HarvestTotals {
  /** Losses of the harvest candidates of committed proposals run this year, in cents. */
  readonly harvestedLoss: bigint;
  /** The tax benefit the run estimated for those proposals, in cents. */
  readonly taxSaved: bigint;
  readonly committed: number;
  readonly awaiting: number;
}

export function harvestTotals(proposals: readonly Proposal[], year: number): HarvestTotals {
  let harvestedLoss = 0n;
  let taxSaved = 0n;
  let committed = 0;
  let awaiting = 0;
  for (const p of proposals) {
    if (p.status === 'proposed') awaiting++;
    if (!COMMITTED.includes(p.status) || !p.runDate.startsWith(`${year}-`)) continue;
    committed++;
    taxSaved += cents(p.benefit);
    for (const c of p.candidates) if (c.verdict === 'harvest') harvestedLoss += absCents(c.loss);
  }
  return { harvestedLoss, taxSaved, committed, awaiting };
}

const absCents = (v: Decimal): bigint => {
  const c = cents(v);
  return c < 0n ? -c : c;
};

export interface YearLosses {
  readonly year: number;
  /** Realized losses of the year's sales (before wash-sale disallowance), positive cents. */
  readonly loss: bigint;
  readonly sales: number;
}

/** Losses realized per calendar year of sale, oldest first. */
export function lossesByYear(dispositions: readonly Disposition[]): YearLosses[] {
  const years = new Map<number, { loss: bigint; sales: number }>();
  for (const d of dispositions) {
    const year = Number(d.dateSold.slice(0, 4));
    const g = cents(d.realizedGainLoss);
    const y = years.get(year) ?? { loss: 0n, sales: 0 };
    if (g < 0n) y.loss += -g;
    y.sales++;
    years.set(year, y);
  }
  return [...years].sort(([a], [b]) => a - b).map(([year, y]) => ({ year, ...y }));
}

export interface YieldYear {
  readonly year: number;
  readonly loss: bigint;
  readonly beginningBalance: bigint;
  /** Harvesting Yield: the year's losses over its beginning balance (a fraction), or null without a balance. */
  readonly harvestingYield: number | null;
}

/**
 * Harvesting Yield by year, as the seed paper defines it for a year: harvested losses over the
 * portfolio's value at the start of the year. A year whose beginning balance is unknown or zero
 * (the household was funded during it) has no yield rather than an infinite one.
 */
export function harvestingYieldByYear(losses: readonly YearLosses[], beginning: ReadonlyMap<number, bigint>): YieldYear[] {
  return losses.map(({ year, loss }) => {
    const b = beginning.get(year) ?? 0n;
    return { year, loss, beginningBalance: b, harvestingYield: b > 0n ? ratio(loss, b) : null };
  });
}

/** a / b for exact cents, as a float good to 1e-12 (for a chart). */
function ratio(a: bigint, b: bigint): number {
  return Number((a * 10n ** 12n) / b) / 1e12;
}

/** Market value plus cash of a lots answer, in cents; null when a lot has no price. */
export function balance(openLots: readonly { marketValue: Decimal | null }[], cash: Readonly<Record<string, Decimal>>): bigint | null {
  let total = 0n;
  for (const l of openLots) {
    if (l.marketValue === null) return null;
    total += cents(l.marketValue);
  }
  for (const c of Object.values(cash)) total += cents(c);
  return total;
}

export interface CalendarRow extends WashBlock {
  /** Calendar days from `today` through the last blocked day, inclusive; 0 once it has passed. */
  readonly daysLeft: number;
}

/** Blocks still in force on `today` (YYYY-MM-DD), soonest to end first, then by account and symbol. */
export function washCalendar(blocks: readonly WashBlock[], today: string): CalendarRow[] {
  return blocks
    .filter((b) => b.blockedThrough >= today)
    .map((b) => ({ ...b, daysLeft: daysBetween(today, b.blockedThrough) + 1 }))
    .sort((a, b) => a.blockedThrough.localeCompare(b.blockedThrough) || a.account.localeCompare(b.account) || a.symbol.localeCompare(b.symbol));
}

/** The text a status is shown with. */
export const statusLabel = (s: string): string => s.replace(/_/g, ' ');
