/**
 * Dates as US brokers write them: `MM/DD/YYYY` (zero padding optional), with a time of day after
 * it in lot files (`09/24/2020 13:42:07`), and Schwab's back-dated postings
 * `MM/DD/YYYY as of MM/DD/YYYY` (posting date, then the effective date). Titles carry the export's
 * date either way round (`as of 02:45 AM ET, 09/25/2020`, `as of 12:33 PM ET, 2025/05/04`).
 *
 * Example: parsePostingDate('04/17/2023 as of 04/15/2023') gives posted 2023-04-17, asOf 2023-04-15.
 */
import { dayFromCivil, daysInMonth, type Day } from '../../core/kernel/calendar.js';

function civil(year: number, month: number, day: number): Day | undefined {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return dayFromCivil(year, month, day);
}

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const US_DATE_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)?$/;

/** `MM/DD/YYYY` naming a real calendar date, else undefined. */
export function parseUsDate(text: string): Day | undefined {
  const m = US_DATE.exec(text.trim());
  return m === null ? undefined : civil(Number(m[3]), Number(m[1]), Number(m[2]));
}

/** `MM/DD/YYYY` optionally followed by a time of day (ignored: lots are dated by calendar day). */
export function parseUsDateTime(text: string): Day | undefined {
  const m = US_DATE_TIME.exec(text.trim());
  return m === null ? undefined : civil(Number(m[3]), Number(m[1]), Number(m[2]));
}

export interface PostingDate {
  readonly posted: Day;
  /** The effective date when the row was back-dated ("as of"). */
  readonly asOf?: Day;
}

/** `MM/DD/YYYY` or `MM/DD/YYYY as of MM/DD/YYYY`. */
export function parsePostingDate(text: string): PostingDate | undefined {
  const parts = text.trim().split(/\s+as\s+of\s+/i);
  if (parts.length > 2) return undefined;
  const posted = parseUsDate(parts[0] ?? '');
  if (posted === undefined) return undefined;
  if (parts.length === 1) return { posted };
  const asOf = parseUsDate(parts[1] ?? '');
  return asOf === undefined ? undefined : { posted, asOf };
}

/** The last date written in a title line, `MM/DD/YYYY` or `YYYY/MM/DD`. */
export function dateInTitle(text: string): Day | undefined {
  let found: Day | undefined;
  for (const m of text.matchAll(/\b(\d{4})\/(\d{1,2})\/(\d{1,2})\b|\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g)) {
    const d = m[1] !== undefined ? civil(Number(m[1]), Number(m[2]), Number(m[3])) : civil(Number(m[6]), Number(m[4]), Number(m[5]));
    if (d !== undefined) found = d;
  }
  return found;
}
