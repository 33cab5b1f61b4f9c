/**
 * The US equity market's calendar (NYSE and Nasdaq close on the same days): weekends, the
 * exchange holidays by rule, and the unscheduled full-day closures since 2001. A daily run uses it
 * to tell a day without trading (use the last trading day's closes, and say so) from a day whose
 * closes the price data does not have yet (an error: after the data ends).
 *
 * Holidays (NYSE Rule 7.2 and its predecessors, as observed since 1998): New Year's Day, Martin
 * Luther King Jr. Day (third Monday of January, since 1998), Washington's Birthday (third Monday
 * of February), Good Friday, Memorial Day (last Monday of May), Juneteenth (since 2022),
 * Independence Day, Labor Day (first Monday of September), Thanksgiving (fourth Thursday of
 * November) and Christmas. A holiday on a Sunday is observed the Monday after; on a Saturday, the
 * Friday before — except New Year's Day, which is then not observed (the Friday ends a year).
 * Unscheduled closures are listed by date; a future one is unknowable, which is why the price
 * data, when it runs past a day, has the last word (`standsFor`).
 *
 * Example: 2025-07-04 is a Friday holiday, so `marketHoliday` is "Independence Day" and the closes
 * that stand for it (and for the weekend after) are Thursday 2025-07-03's.
 */
import { addDays, civilFromDay, dayFromCivil, daysInMonth, formatDay, type Day } from '../kernel/calendar.js';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** Full-day closures outside the holiday rules, with their cause. */
const UNSCHEDULED: ReadonlyMap<string, string> = new Map([
  ['2001-09-11', 'the September 11 attacks'],
  ['2001-09-12', 'the September 11 attacks'],
  ['2001-09-13', 'the September 11 attacks'],
  ['2001-09-14', 'the September 11 attacks'],
  ['2004-06-11', 'national day of mourning for Ronald Reagan'],
  ['2007-01-02', 'national day of mourning for Gerald Ford'],
  ['2012-10-29', 'Hurricane Sandy'],
  ['2012-10-30', 'Hurricane Sandy'],
  ['2018-12-05', 'national day of mourning for George H. W. Bush'],
  ['2025-01-09', 'national day of mourning for Jimmy Carter'],
]);

/** 0 = Sunday ... 6 = Saturday (1970-01-01, day 0, was a Thursday). */
export function weekday(day: Day): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function weekdayName(day: Day): string {
  return WEEKDAYS[weekday(day)] as string;
}

export function isWeekend(day: Day): boolean {
  const w = weekday(day);
  return w === 0 || w === 6;
}

/** The name of the exchange holiday on `day` (a weekday), or undefined. */
export function marketHoliday(day: Day): string | undefined {
  const { year } = civilFromDay(day);
  const fixed = (m: number, d: number): Day => observed(dayFromCivil(year, m, d));
  const rules: [Day | undefined, string][] = [
    [newYearsDay(year), "New Year's Day"],
    [year >= 1998 ? nthWeekday(year, 1, 1, 3) : undefined, 'Martin Luther King Jr. Day'],
    [nthWeekday(year, 2, 1, 3), "Washington's Birthday"],
    [addDays(easterSunday(year), -2), 'Good Friday'],
    [lastWeekday(year, 5, 1), 'Memorial Day'],
    [year >= 2022 ? fixed(6, 19) : undefined, 'Juneteenth'],
    [fixed(7, 4), 'Independence Day'],
    [nthWeekday(year, 9, 1, 1), 'Labor Day'],
    [nthWeekday(year, 11, 4, 4), 'Thanksgiving Day'],
    [fixed(12, 25), 'Christmas Day'],
  ];
  return rules.find(([d]) => d === day)?.[1];
}

/** The cause of an unscheduled full-day closure on `day`, or undefined. */
export function unscheduledClosure(day: Day): string | undefined {
  return UNSCHEDULED.get(formatDay(day));
}

/** A weekday the exchanges are open. */
export function isTradingDay(day: Day): boolean {
  return !isWeekend(day) && marketHoliday(day) === undefined && unscheduledClosure(day) === undefined;
}

/** Why there is no trading on `day` ("a Saturday", "a market holiday (Good Friday)"), or undefined on a trading day. */
export function noTradingBecause(day: Day): string | undefined {
  if (isWeekend(day)) return `a ${weekdayName(day)}`;
  const holiday = marketHoliday(day);
  if (holiday !== undefined) return `a market holiday (${holiday})`;
  const closure = unscheduledClosure(day);
  return closure === undefined ? undefined : `a day the exchanges closed (${closure})`;
}

/** What a run on a day without trading tells its user: "2025-04-05 is a Saturday: using the closes of Friday 2025-04-04". */
export function nonTradingDayNote(date: Day, tradingDay: Day): string {
  const why = noTradingBecause(date) ?? 'a day without trading in the price data';
  return `${formatDay(date)} is ${why}: using the closes of ${weekdayName(tradingDay)} ${formatDay(tradingDay)}`;
}

/**
 * Whether the closes of `latest` (the data's last trading day on or before `date`) stand for
 * `date`: every day after `latest` through `date` had no trading — by the calendar, or because the
 * data runs past `date` and passes over those days (an exchange closure the calendar cannot know).
 * Past the end of the data, a weekday that is not a holiday has closes that are not there yet.
 */
export function standsFor(latest: Day, date: Day, dataContinues: boolean): boolean {
  if (latest > date) return false;
  if (dataContinues) return true;
  for (let d = addDays(latest, 1); d <= date; d = addDays(d, 1)) if (isTradingDay(d)) return false;
  return true;
}

/** Day of the `n`-th `wd` (0 = Sunday) of a month. */
function nthWeekday(year: number, month: number, wd: number, n: number): Day {
  const first = dayFromCivil(year, month, 1);
  return addDays(first, ((wd - weekday(first) + 7) % 7) + 7 * (n - 1));
}

function lastWeekday(year: number, month: number, wd: number): Day {
  const last = dayFromCivil(year, month, daysInMonth(year, month));
  return addDays(last, -((weekday(last) - wd + 7) % 7));
}

/** A Saturday holiday is observed on Friday, a Sunday one on Monday. */
function observed(day: Day): Day {
  const w = weekday(day);
  return w === 6 ? addDays(day, -1) : w === 0 ? addDays(day, 1) : day;
}

/** January 1, or Monday January 2 when it is a Sunday; none when it is a Saturday. */
function newYearsDay(year: number): Day | undefined {
  const d = dayFromCivil(year, 1, 1);
  const w = weekday(d);
  return w === 6 ? undefined : w === 0 ? addDays(d, 1) : d;
}

/** Gregorian Easter Sunday (the anonymous algorithm of Meeus/Jones/Butcher). */
function easterSunday(year: number): Day {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayFromCivil(year, month, day);
}
