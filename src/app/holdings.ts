/**
 * A household's open lots on a date, valued: book its events through the date and price each lot
 * at prices the user gives (as traded, like the ledger) or, with a market source, at that date's
 * closes in that date's share units. `lotsmith lots` calls it; the HTTP API will too.
 *
 * With a market source it refuses what would mislead: a date without closes is an issue, and so is
 * a lot whose shares and the closes disagree about a split (core/market/splitCheck.ts). A security
 * with no close is shown without a value, and a note names it. A price the user gives for a
 * security wins over the source's.
 */
import { formatDay, type Day } from '../core/kernel/calendar.js';
import { fail, ok, type Result } from '../core/kernel/errors.js';
import { exact, type Price, type Usd } from '../core/kernel/exact.js';
import { book } from '../core/ledger/booking.js';
import type { LedgerEvent } from '../core/ledger/events.js';
import { valueLots, type ValuedLot } from '../core/ledger/holdings.js';
import type { AccountId, Household, Symbol } from '../core/ledger/household.js';
import { splitConflicts } from '../core/market/splitCheck.js';
import { nonTradingDayNote } from '../core/market/tradingCalendar.js';
import type { MarketSource } from './ports.js';

export interface HoldingsRequest {
  readonly household: Household;
  readonly events: readonly LedgerEvent[];
  /** Book only events on or before this date; default: every event (valued on the last event's date). */
  readonly asOf?: Day;
  /** Prices given by the user, as traded on the as-of date. */
  readonly prices?: ReadonlyMap<Symbol, Price>;
}

export interface HoldingsDeps {
  /** Where closes come from; without one, only the given prices value lots. */
  readonly market?: MarketSource;
}

export interface Holdings {
  readonly asOf: Day | undefined;
  readonly lots: readonly ValuedLot[];
  readonly cash: ReadonlyMap<AccountId, Usd>;
  /** The trading day whose closes valued the lots, when a market source was used. */
  readonly tradingDay?: Day;
  /** What the caller should know: the trading day used for a non-trading date, securities left without a value. */
  readonly notes: readonly string[];
}

export async function holdingsOn(deps: HoldingsDeps, req: HoldingsRequest): Promise<Result<Holdings>> {
  const booked = book(req.household, req.events, req.asOf === undefined ? {} : { through: req.asOf });
  if (!booked.ok) return booked;
  const ledger = booked.value;
  const asOf = req.asOf ?? ledger.asOf;
  const given = req.prices ?? new Map<Symbol, Price>();
  if (asOf === undefined) return ok({ asOf, lots: [], cash: ledger.cash, notes: [] });
  if (deps.market === undefined || ledger.openLots.length === 0) return ok({ asOf, lots: valueLots(ledger.openLots, asOf, given), cash: ledger.cash, notes: [] });
  const held = [...new Set(ledger.openLots.map((l) => l.symbol))];
  const market = await deps.market.marketOn(asOf, held);
  if (!market.ok) return market;
  const { view, tradingDay, missing, splits } = market.value;
  // A lot the user prices is in the units the user says; the data's splits only bind the others.
  const bound = new Map([...splits].filter(([s]) => !given.has(s)));
  const conflicts = splitConflicts(ledger.openLots, req.events, bound, tradingDay);
  if (conflicts.length > 0) return fail(conflicts);
  const prices = new Map<Symbol, Price>();
  for (const s of held) {
    const close = view.close(s);
    const p = close === undefined ? undefined : exact('price', close);
    if (p !== undefined && p.ok) prices.set(s, p.value);
  }
  for (const [s, p] of given) prices.set(s, p);
  const notes: string[] = [];
  if (tradingDay !== asOf) notes.push(nonTradingDayNote(asOf, tradingDay));
  const unvalued = missing.filter((s) => !given.has(s));
  if (unvalued.length > 0) notes.push(`no close for ${unvalued.join(', ')} on ${formatDay(tradingDay)}: shown without a value`);
  return ok({ asOf, lots: valueLots(ledger.openLots, asOf, prices), cash: ledger.cash, tradingDay, notes });
}
