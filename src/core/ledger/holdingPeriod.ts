/**
 * Holding period (IRC §1222; Pub 550 "Holding Period"; Rev. Rul. 66-7, 70-598).
 *
 * Trade dates count. The holding period begins the day AFTER acquisition and includes the day of
 * sale; a position is long-term only if held MORE than one year, i.e. sold on or after the first
 * anniversary of the day the holding period began.
 *
 *   bought 2024-03-15 -> period starts 2024-03-16 -> sold 2025-03-15 short, 2025-03-16 long
 *   bought 2015-02-28 -> starts 2015-03-01 -> sold 2016-02-29 short (leap day), 2016-03-01 long
 *   bought 2024-02-29 -> starts 2024-03-01 -> sold 2025-02-28 short, 2025-03-01 long
 *   bought 2024-02-28 -> starts 2024-02-29 -> anniversary rolls to 2025-03-01 (no Feb 29 in 2025)
 *
 * After a wash sale the replacement's holding period includes the sold shares' (§1223(3)); the
 * ledger expresses that as an adjusted acquisition date, and the term follows from that date.
 */
import { addDays, sameDateYearsLater, type Day } from '../kernel/calendar.js';

export type Term = 'short' | 'long';

export function holdingPeriodStart(acquired: Day): Day {
  return addDays(acquired, 1);
}

/** The first sale date on which a position acquired on `acquired` is long-term. */
export function longTermFrom(acquired: Day): Day {
  return sameDateYearsLater(holdingPeriodStart(acquired), 1);
}

export function termOf(acquired: Day, sold: Day): Term {
  return sold >= longTermFrom(acquired) ? 'long' : 'short';
}
