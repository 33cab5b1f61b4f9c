/**
 * The ledger: what booking a household's events yields — open lots, dispositions (one per sale and
 * lot relieved, each a Form 8949 row in a taxable account), lots that left without a sale, dividend
 * income and cash — as immutable records. `booking.ts` builds it; everything downstream (Form 8949,
 * invariants, the harvester's state, the store's materialized copy) reads it.
 *
 * Example: buy 10 VOO at $540.12, sell 4 at $480 → one Disposition of 4 shares, proceeds $1,920.00,
 * basis $2,160.48, gain −$240.48, and one open Lot of 6 shares with basis $3,240.72.
 */
import type { Day } from '../kernel/calendar.js';
import type { Shares, Usd } from '../kernel/exact.js';
import type { Term } from './holdingPeriod.js';
import type { AccountId, EventId, Household, Symbol } from './household.js';
import type { Lot } from './lots.js';

/** How one loss was washed: which replacement shares took how much of it. */
export interface WashMatch {
  readonly replacementLot: string;
  readonly replacementEvent: EventId;
  readonly account: AccountId;
  readonly symbol: Symbol;
  readonly acquired: Day;
  readonly shares: Shares;
  readonly disallowed: Usd;
  readonly permanent: boolean;
  readonly heldFrom: Day | undefined;
}

/** One lot (or part of a lot) relieved by one sale: a Form 8949 row for taxable accounts. */
export interface Disposition {
  readonly saleId: EventId;
  readonly date: Day;
  readonly account: AccountId;
  readonly symbol: Symbol;
  readonly lotId: string;
  readonly origin: EventId;
  readonly shares: Shares;
  readonly acquired: Day;
  readonly heldFrom: Day;
  readonly proceeds: Usd;
  readonly basis: Usd;
  /** proceeds - basis, before any wash-sale adjustment. */
  readonly gain: Usd;
  /** Wash adjustment already in `basis` from earlier washes of this lot. */
  readonly washAdjustment: Usd;
  readonly disallowed: Usd;
  /** The part of `disallowed` washed by tax-advantaged purchases: never recovered. */
  readonly permanentlyDisallowed: Usd;
  readonly term: Term;
  readonly taxable: boolean;
  readonly washMatches: readonly WashMatch[];
}

/** Lots that left the household without a sale (transfer out). */
export interface Removal {
  readonly eventId: EventId;
  readonly lot: Lot;
}

export interface DividendIncome {
  readonly eventId: EventId;
  readonly date: Day;
  readonly account: AccountId;
  readonly symbol: Symbol;
  readonly amount: Usd;
  readonly reinvested: boolean;
}

export interface Ledger {
  readonly household: Household;
  /** Date of the last event booked, if any. */
  readonly asOf: Day | undefined;
  /** Open lots by account (household order), security (first seen), then acquisition. */
  readonly openLots: readonly Lot[];
  readonly dispositions: readonly Disposition[];
  readonly removals: readonly Removal[];
  readonly dividends: readonly DividendIncome[];
  readonly cash: ReadonlyMap<AccountId, Usd>;
  readonly eventsBooked: number;
}
