/**
 * Calendar dates without time zones. A `Day` is the count of days since 1970-01-01 in the
 * proleptic Gregorian calendar, so date arithmetic is integer arithmetic and the 61-day window
 * is `sale - 30 <= d <= sale + 30`. Conversions use Howard Hinnant's civil-from-days algorithm;
 * nothing here reads a clock or a time zone.
 *
 * Example: parseDay('2025-03-03') - parseDay('2025-01-06') === 56.
 */

declare const dayBrand: unique symbol;
export type Day = number & { readonly [dayBrand]: true };

export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export function dayFromCivil(year: number, month: number, day: number): Day {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return (era * 146097 + doe - 719468) as Day;
}

export function civilFromDay(d: Day): CivilDate {
  const z = d + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * The years a date read from input may fall in. Anything outside is a typo (0000-01-01, 9999-12-31)
 * rather than a trade, and would otherwise reach holding periods and tax years unnoticed. Every
 * parser of input dates goes through parseDay / parseDayAt, so this is the one place the range is set.
 */
export const FIRST_INPUT_YEAR = 1900;
export const LAST_INPUT_YEAR = 2199;
export const INPUT_DATE_RANGE = `${FIRST_INPUT_YEAR}-01-01 to ${LAST_INPUT_YEAR}-12-31`;

/** Parses exactly `YYYY-MM-DD` naming a real calendar date in the input range; anything else is undefined. */
export function parseDay(text: string): Day | undefined {
  return parseDayAt(text, 0, text.length);
}

/** `parseDay` of text[start, end), without copying it out (bulk decoders). */
export function parseDayAt(text: string, start: number, end: number): Day | undefined {
  if (end - start !== 10 || text.charCodeAt(start + 4) !== 45 || text.charCodeAt(start + 7) !== 45) return undefined;
  const year = digits(text, start, 4);
  const month = digits(text, start + 5, 2);
  const day = digits(text, start + 8, 2);
  if (year < FIRST_INPUT_YEAR || year > LAST_INPUT_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return dayFromCivil(year, month, day);
}

/** Why `text` is not a date parseDay accepts, in words for an error message. */
export function badDayMessage(text: string): string {
  const m = /^(\d{4})-\d{2}-\d{2}$/.exec(text);
  const year = m === null ? NaN : Number(m[1]);
  if (year < FIRST_INPUT_YEAR || year > LAST_INPUT_YEAR) return `"${text}" is outside the dates Lotsmith accepts (${INPUT_DATE_RANGE})`;
  return `"${text}" is not a calendar date in YYYY-MM-DD form`;
}

function digits(text: string, start: number, count: number): number {
  let v = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

export function formatDay(d: Day): string {
  const { year, month, day } = civilFromDay(d);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

export function addDays(d: Day, n: number): Day {
  return (d + n) as Day;
}

export function yearOf(d: Day): number {
  return civilFromDay(d).year;
}

export function firstDayOfYear(year: number): Day {
  return dayFromCivil(year, 1, 1);
}

export function lastDayOfYear(year: number): Day {
  return dayFromCivil(year, 12, 31);
}

/**
 * The same month and day `years` later; a Feb 29 that does not exist in the target year becomes
 * Mar 1 (the next day that does), which is how holding months that start on a 29th roll over.
 */
export function sameDateYearsLater(d: Day, years: number): Day {
  const { year, month, day } = civilFromDay(d);
  const target = year + years;
  if (month === 2 && day === 29 && !isLeapYear(target)) return dayFromCivil(target, 3, 1);
  return dayFromCivil(target, month, day);
}
