/**
 * Holding period (IRC §1222; Pub 550, "Holding Period"): it starts the day after the trade date
 * and includes the day of sale; a position is long-term when held more than one year.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dayFromCivil, formatDay, parseDay, type Day } from '../kernel/calendar.js';
import { checkProperty } from '../kernel/property.test-util.js';
import { holdingPeriodStart, longTermFrom, termOf } from './holdingPeriod.js';

const d = (s: string): Day => parseDay(s) as Day;

describe('holding period (IRC 1222, Pub 550 "Holding Period")', () => {
  it('starts the day after the trade date (Pub 550: "begin counting on the date after the day you acquired")', () => {
    expect(formatDay(holdingPeriodStart(d('2024-12-31')))).toBe('2025-01-01');
    expect(formatDay(longTermFrom(d('2024-03-15')))).toBe('2025-03-16');
  });

  it('WS-033/034: bought 2024-03-15, sold 2025-03-15 is short, 2025-03-16 long', () => {
    expect(termOf(d('2024-03-15'), d('2025-03-15'))).toBe('short');
    expect(termOf(d('2024-03-15'), d('2025-03-16'))).toBe('long');
  });

  it('the period starts the day after purchase: bought 2015-02-28, leap day 2016-02-29 is still short (Fairmark)', () => {
    expect(termOf(d('2015-02-28'), d('2016-02-29'))).toBe('short');
    expect(termOf(d('2015-02-28'), d('2016-03-01'))).toBe('long');
  });

  it('a Feb 29 purchase starts its period on Mar 1: long-term from Mar 1 of the next year', () => {
    expect(termOf(d('2024-02-29'), d('2025-02-28'))).toBe('short');
    expect(termOf(d('2024-02-29'), d('2025-03-01'))).toBe('long');
  });

  it('a period that starts on Feb 29 runs through Feb 28 of the next year', () => {
    expect(formatDay(longTermFrom(d('2024-02-28')))).toBe('2025-03-01');
    expect(termOf(d('2024-02-28'), d('2025-02-28'))).toBe('short');
  });

  it('is never long-term within 365 days and always long-term after 366', () => {
    checkProperty(
      fc.property(fc.integer({ min: dayFromCivil(1950, 1, 1), max: dayFromCivil(2100, 1, 1) }), fc.integer({ min: 0, max: 800 }), (a, held) => {
        const acquired = a as Day;
        const sold = (a + held) as Day;
        if (held <= 365) expect(termOf(acquired, sold)).toBe('short');
        if (held > 366) expect(termOf(acquired, sold)).toBe('long');
      }),
    );
  });
});
