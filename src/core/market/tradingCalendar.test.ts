/**
 * The exchange calendar against NYSE's published holiday lists and against the trading days of
 * real price files: every weekday a file skips is a holiday or closure, and no holiday has a row.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PRICES, fullPriceDir } from '../../adapters/files/testPrices.test-util.js';
import { formatDay, parseDay, type Day } from '../kernel/calendar.js';
import { isTradingDay, isWeekend, marketHoliday, nonTradingDayNote, noTradingBecause, standsFor } from './tradingCalendar.js';

const d = (s: string): Day => parseDay(s) as Day;

/** Weekdays without trading in a year, by the calendar. */
function closedWeekdays(year: number): string[] {
  const out: string[] = [];
  for (let day = d(`${year}-01-01`); day <= d(`${year}-12-31`); day++) {
    if (!isWeekend(day) && !isTradingDay(day)) out.push(formatDay(day));
  }
  return out;
}

describe('the US exchange calendar', () => {
  it('has the holidays NYSE published for 2025 (with the day of mourning for Jimmy Carter) and 2026', () => {
    expect(closedWeekdays(2025)).toEqual(['2025-01-01', '2025-01-09', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-11-27', '2025-12-25']);
    expect(closedWeekdays(2026)).toEqual(['2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25']);
  });

  it('moves a Saturday holiday to Friday and a Sunday one to Monday, but never New Year\'s Day to the Friday that ends a year', () => {
    expect(marketHoliday(d('2021-12-24'))).toBe('Christmas Day');
    expect(marketHoliday(d('2022-06-20'))).toBe('Juneteenth');
    expect(marketHoliday(d('2027-06-18'))).toBe('Juneteenth');
    expect(marketHoliday(d('2023-01-02'))).toBe("New Year's Day");
    expect(isTradingDay(d('2021-12-31'))).toBe(true);
    expect(marketHoliday(d('2021-06-18'))).toBeUndefined();
  });

  it('says why a day has no trading', () => {
    expect(noTradingBecause(d('2025-04-05'))).toBe('a Saturday');
    expect(noTradingBecause(d('2025-04-18'))).toBe('a market holiday (Good Friday)');
    expect(noTradingBecause(d('2012-10-29'))).toBe('a day the exchanges closed (Hurricane Sandy)');
    expect(noTradingBecause(d('2025-04-17'))).toBeUndefined();
    expect(nonTradingDayNote(d('2025-04-05'), d('2025-04-04'))).toBe('2025-04-05 is a Saturday: using the closes of Friday 2025-04-04');
    expect(nonTradingDayNote(d('2025-07-04'), d('2025-07-03'))).toBe('2025-07-04 is a market holiday (Independence Day): using the closes of Thursday 2025-07-03');
  });

  it('lets the last trading day\'s closes stand for the days without trading after it, and not for a trading day past the data', () => {
    expect(standsFor(d('2025-07-03'), d('2025-07-06'), false)).toBe(true);
    expect(standsFor(d('2026-07-13'), d('2026-07-14'), false)).toBe(false);
    expect(standsFor(d('2026-07-10'), d('2026-07-12'), false)).toBe(true);
    expect(standsFor(d('2026-07-10'), d('2026-07-13'), false)).toBe(false);
    // The data runs past the day and skips it: a closure the calendar may not know.
    expect(standsFor(d('2012-10-26'), d('2012-10-30'), true)).toBe(true);
    expect(standsFor(d('2025-04-08'), d('2025-04-07'), true)).toBe(false);
  });
});

/** Weekdays between a file's first and last row where its having a row and the calendar disagree. */
function disagreements(file: string): string[] {
  const days = readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => d(l.slice(0, 10)));
  const rows = new Set<number>(days);
  const out: string[] = [];
  for (let day = days[0] as Day; day <= (days[days.length - 1] as Day); day++) if (isTradingDay(day) !== rows.has(day)) out.push(formatDay(day));
  return out;
}

describe('the calendar and the trading days of real prices', () => {
  it('agrees with every row of the fixture\'s SPY and XLE (2020-01-02 to 2026-07-13)', () => {
    expect(disagreements(join(FIXTURE_PRICES, 'SPY.csv'))).toEqual([]);
    expect(disagreements(join(FIXTURE_PRICES, 'XLE.csv'))).toEqual([]);
  });

  const full = fullPriceDir();
  it.runIf(full !== undefined)('agrees with every row of the full data set\'s SPY, VTI and AGG (2010-01-04 to 2026-07-13; where this machine has it)', () => {
    for (const t of ['SPY', 'VTI', 'AGG']) expect(disagreements(join(full as string, `${t}.csv`)), t).toEqual([]);
  });
});
