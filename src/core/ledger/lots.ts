/**
 * Tax lots. A lot is shares of one security in one account that share a basis and a holding
 * period. Lots are immutable; selling part of a lot yields the part sold and a remainder whose
 * basis and wash adjustment are prorated so that nothing is created or lost:
 *
 *   splitLot({shares: 100, basis: $1,050.00}, 40) -> [{40, $420.00}, {60, $630.00}]
 */
import type { Day } from '../kernel/calendar.js';
import { allocate, prorate, type Shares, type Usd } from '../kernel/exact.js';
import type { AccountId, EventId, Symbol } from './household.js';

export interface Lot {
  /** The acquiring event's id; parts split off later carry `#2`, `#3`, ... */
  readonly id: string;
  readonly origin: EventId;
  /** Booking order of the acquisition: the tie-break for "order of acquisition". */
  readonly seq: number;
  readonly account: AccountId;
  readonly symbol: Symbol;
  readonly shares: Shares;
  /** Total adjusted basis, wash-sale adjustment included (Form 8949 column e). */
  readonly basis: Usd;
  /** Trade date of the acquisition (Form 8949 column b). */
  readonly acquired: Day;
  /** Adjusted acquisition date: `acquired` moved back by any tacked holding period (§1223(3)). */
  readonly heldFrom: Day;
  /** Disallowed wash-sale loss added to the basis (§1091(d)). */
  readonly washAdjustment: Usd;
  /** Acquired by purchase or reinvestment, so it can be a wash-sale replacement. */
  readonly purchase: boolean;
  /** Already served as replacement shares for a loss: never again (Reg. §1.1091-1(e)). */
  readonly replacement: boolean;
}

/** Splits `lot` into `shares` and the rest; requires 0 < shares < lot.shares. */
export function splitLot(lot: Lot, shares: Shares, restId: string = lot.id): [Lot, Lot] {
  const basis = prorate(lot.basis, shares, lot.shares);
  const washAdjustment = prorate(lot.washAdjustment, shares, lot.shares);
  const part: Lot = { ...lot, shares, basis, washAdjustment };
  const rest: Lot = {
    ...lot,
    id: restId,
    shares: (lot.shares - shares) as Shares,
    basis: (lot.basis - basis) as Usd,
    washAdjustment: (lot.washAdjustment - washAdjustment) as Usd,
  };
  return [part, rest];
}

/** Orders lots by acquisition date, then booking order: the order FIFO relieves them in. */
export function compareAcquisition(a: Lot, b: Lot): number {
  return a.acquired - b.acquired || a.seq - b.seq;
}

/** One lot a sale draws on: the part sold, and what is left of the lot (none when sold whole). */
export interface Relieved {
  readonly lot: Lot;
  readonly part: Lot;
  readonly rest: Lot | undefined;
}

/** The parts a selection (`selectLots` reliefs, by index into `position`) takes from each lot. */
export function relieve(position: readonly Lot[], reliefs: readonly { readonly index: number; readonly shares: Shares }[]): Relieved[] {
  return reliefs.map((r) => {
    const lot = position[r.index] as Lot;
    if (r.shares === lot.shares) return { lot, part: lot, rest: undefined };
    const [part, rest] = splitLot(lot, r.shares);
    return { lot, part, rest };
  });
}

/** A sale's net proceeds over the parts sold, by shares, to the cent (Form 8949 column d per row). */
export function proceedsByPart(net: Usd, parts: readonly Lot[]): Usd[] {
  return parts.length === 1 ? [net] : allocate(net, parts.map((l) => l.shares as number));
}
