/**
 * The simulation checked by the ledger: every account's history — deposits, dividends, fees and
 * the policy's trades — is booked again by the real ledger and household wash-sale engine
 * (booking.ts). The run is trusted only if the engine disallows no loss (the harvester never
 * caused a wash sale), its realized gains per year equal the simulation's to the cent, and its
 * open lots and cash are the simulation's.
 */
import { book } from '../ledger/booking.js';
import { yearOf } from '../kernel/calendar.js';
import type { Household } from '../ledger/household.js';
import type { Brokerage } from './brokerage.js';
import type { YearResult } from './simulation.js';

export interface Verification {
  readonly events: number;
  /** Loss disallowed by the wash-sale engine, cents (must be 0). */
  readonly disallowed: number;
  /** Sales whose loss the engine washed. */
  readonly washSales: number;
  /** Differences between the simulation and the ledger (empty when they agree). */
  readonly mismatches: readonly string[];
}

export function verifyAgainstLedger(household: Household, broker: Brokerage, years: readonly YearResult[]): Verification {
  const booked = book(household, broker.events);
  if (!booked.ok) return { events: broker.events.length, disallowed: 0, washSales: 0, mismatches: booked.issues.map((i) => `ledger refused the history: ${i.message}`) };
  const ledger = booked.value;
  const mismatches: string[] = [];
  let disallowed = 0;
  const washed = new Set<string>();
  const byYear = new Map<number, { short: number; long: number }>();
  for (const d of ledger.dispositions) {
    disallowed += d.disallowed;
    if (d.disallowed > 0) washed.add(d.saleId);
    const y = byYear.get(yearOf(d.date)) ?? { short: 0, long: 0 };
    if (d.term === 'short') y.short += d.gain;
    else y.long += d.gain;
    byYear.set(yearOf(d.date), y);
  }
  for (const y of years) {
    const l = byYear.get(y.year) ?? { short: 0, long: 0 };
    if (l.short !== y.realizedShort || l.long !== y.realizedLong) {
      mismatches.push(`${y.year}: simulated ST ${y.realizedShort} LT ${y.realizedLong}, ledger ST ${l.short} LT ${l.long} (cents)`);
    }
  }
  const key = (l: { id: string; shares: number; basis: number }) => `${l.id}:${l.shares}:${l.basis}`;
  const simulated = broker.lots.map(key).sort().join(',');
  const open = ledger.openLots.map(key).sort().join(',');
  if (simulated !== open) mismatches.push('open lots differ from the ledger');
  const cash = ledger.cash.get(broker.account.id) ?? 0;
  if (cash !== broker.cash) mismatches.push(`cash: simulated ${broker.cash}, ledger ${cash} (cents)`);
  return { events: broker.events.length, disallowed, washSales: washed.size, mismatches };
}
