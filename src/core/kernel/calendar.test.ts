import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { badDayMessage, civilFromDay, dayFromCivil, formatDay, parseDay, sameDateYearsLater, type Day } from './calendar.js';
import { checkProperty } from './property.test-util.js';

const d = (s: string): Day => parseDay(s) as Day;

describe('calendar days', () => {
  it('round-trips every day between 1900 and 2199', () => {
    checkProperty(
      fc.property(fc.integer({ min: dayFromCivil(1900, 1, 1), max: dayFromCivil(2199, 12, 31) }), (n) => {
        const day = n as Day;
        const c = civilFromDay(day);
        expect(dayFromCivil(c.year, c.month, c.day)).toBe(day);
        expect(parseDay(formatDay(day))).toBe(day);
      }),
    );
  });

  it('counts days across years and leap days', () => {
    expect(d('2025-03-03') - d('2025-01-06')).toBe(56);
    expect(d('2024-03-01') - d('2024-02-28')).toBe(2);
    expect(d('1970-01-01')).toBe(0);
    expect(formatDay(d('1954-09-21'))).toBe('1954-09-21');
  });

  it('rejects dates that do not exist or are not YYYY-MM-DD', () => {
    for (const bad of ['2025-02-29', '2025-13-01', '2025-00-10', '2025-1-1', '20250101', '2025-04-31', 'x025-01-01']) {
      expect(parseDay(bad)).toBeUndefined();
    }
    expect(parseDay('2024-02-29')).toBeDefined();
  });

  it('accepts input dates from 1900-01-01 to 2199-12-31 only, and says why one is refused', () => {
    for (const out of ['0000-01-01', '1899-12-31', '2200-01-01', '9999-12-31']) {
      expect(parseDay(out)).toBeUndefined();
      expect(badDayMessage(out)).toBe(`"${out}" is outside the dates Lotsmith accepts (1900-01-01 to 2199-12-31)`);
    }
    expect(formatDay(d('1900-01-01'))).toBe('1900-01-01');
    expect(formatDay(d('2199-12-31'))).toBe('2199-12-31');
    expect(badDayMessage('2025-02-30')).toBe('"2025-02-30" is not a calendar date in YYYY-MM-DD form');
  });

  it('rolls Feb 29 to Mar 1 in a year without one', () => {
    expect(formatDay(sameDateYearsLater(d('2024-02-29'), 1))).toBe('2025-03-01');
    expect(formatDay(sameDateYearsLater(d('2024-02-29'), 4))).toBe('2028-02-29');
  });
});
