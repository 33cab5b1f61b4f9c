/**
 * The stocks a direct index may hold on a day: point-in-time index membership (one row per
 * membership interval, a ticker may have several), GICS sectors where known, issuers with several
 * share classes, and which part of each stock's price history can be trusted.
 *
 * Trust rules (docs/direct-indexing.md, ../shared/data/sp500/README.md):
 *  - A stock is eligible on `day` only while a member on `day` and priced on `day`: a member whose
 *    file is missing or has stopped is a coverage gap, reported by `gaps`, never filled.
 *  - Recycled tickers: a symbol's file is the history of the company holding the symbol when the
 *    data was taken. When a ticker left the index and came back, the earlier interval may belong to
 *    another company, so only the latest interval on or before `day` is a membership, and price
 *    history before the day after the previous interval ended is not trusted (`trustedFrom`).
 *
 * Example: AAL was a member 1996-01-02 … 1997-01-15 and again from 2015-03-23; on 2016-06-01 it
 * is a member and its returns are trusted from 1997-01-16 on (the file starts 2013-12-09 anyway).
 */
import type { Day } from '../kernel/calendar.js';
import type { Symbol } from '../ledger/household.js';

export interface MembershipInterval {
  readonly symbol: Symbol;
  readonly start: Day;
  /** Last day of membership; undefined while still a member. */
  readonly end?: Day;
}

export interface SectorEntry {
  readonly symbol: Symbol;
  readonly name: string;
  readonly sector: string;
  readonly subIndustry: string;
}

export interface IndexUniverse {
  /** Membership intervals by symbol, ascending by start. */
  readonly intervals: ReadonlyMap<Symbol, readonly MembershipInterval[]>;
  readonly sectors: ReadonlyMap<Symbol, SectorEntry>;
  /**
   * Share classes of one issuer (GOOG/GOOGL): substantially identical for the wash-sale rule by
   * default. A household's settings may replace the list.
   */
  readonly shareClasses: readonly (readonly Symbol[])[];
}

/**
 * Share classes of one issuer that have been S&P 500 members. The default list the wash guard
 * treats as substantially identical (a conservative reading of §1091: same issuer, same economic
 * claim, different voting rights); configurable per household.
 */
export const DEFAULT_SHARE_CLASSES: readonly (readonly string[])[] = [
  ['GOOG', 'GOOGL'],
  ['BRK.A', 'BRK.B'],
  ['DISCA', 'DISCK'],
  ['FOX', 'FOXA'],
  ['NWS', 'NWSA'],
  ['UA', 'UAA'],
  ['LEN', 'LEN.B'],
  ['BF.A', 'BF.B'],
];

/** The membership interval that holds `day`, from the latest interval starting on or before it. */
export function membershipOn(u: IndexUniverse, symbol: Symbol, day: Day): MembershipInterval | undefined {
  const list = u.intervals.get(symbol);
  if (list === undefined) return undefined;
  for (let i = list.length - 1; i >= 0; i--) {
    const iv = list[i] as MembershipInterval;
    if (iv.start > day) continue;
    return iv.end === undefined || day <= iv.end ? iv : undefined;
  }
  return undefined;
}

/** Members on `day`, sorted by symbol. */
export function membersOn(u: IndexUniverse, day: Day): Symbol[] {
  const out: Symbol[] = [];
  for (const s of u.intervals.keys()) if (membershipOn(u, s, day) !== undefined) out.push(s);
  return out.sort();
}

/**
 * First day of trusted history for a stock that is a member on `day`: the day after its previous
 * membership interval ended (the ticker may have belonged to another company before), else no
 * limit (-Infinity).
 */
export function trustedFrom(u: IndexUniverse, symbol: Symbol, day: Day): number {
  const list = u.intervals.get(symbol) ?? [];
  let from = -Infinity;
  for (const iv of list) {
    if (iv.start > day) break;
    if (iv.end !== undefined && iv.end < day) from = iv.end + 1;
  }
  return from;
}

export function sectorOf(u: IndexUniverse, symbol: Symbol): string | undefined {
  return u.sectors.get(symbol)?.sector;
}

/** The other share classes of the symbol's issuer (empty for most stocks). */
export function shareClassesOf(u: IndexUniverse, symbol: Symbol): readonly Symbol[] {
  return u.shareClasses.find((g) => g.includes(symbol))?.filter((s) => s !== symbol) ?? [];
}

export type GapReason = 'no_price_file' | 'not_priced_on_day';

export interface CoverageGap {
  readonly symbol: Symbol;
  readonly reason: GapReason;
}

/**
 * Members on `day` the direct index cannot hold: no price file at all, or no close on `day`
 * (the file starts later or stopped). `priced(symbol)` says whether a close is known on `day`;
 * `hasFile(symbol)` whether the data set has the stock at all.
 */
export function gaps(u: IndexUniverse, day: Day, hasFile: (s: Symbol) => boolean, priced: (s: Symbol) => boolean): CoverageGap[] {
  const out: CoverageGap[] = [];
  for (const s of membersOn(u, day)) {
    if (!hasFile(s)) out.push({ symbol: s, reason: 'no_price_file' });
    else if (!priced(s)) out.push({ symbol: s, reason: 'not_priced_on_day' });
  }
  return out;
}
