import { describe, expect, it } from 'vitest';
import { calendarDate, cents, count, daysBetween, percent, plural, price, scaled, shares, sumCents, usd } from './format.js';

describe('money from exact amounts', () => {
  it('reads JSON numbers through their decimal text, never float arithmetic', () => {
    expect(cents(0.1 + 0.2)).toBe(30n); // 0.30000000000000004 rounds at the third place
    expect(sumCents([0.1, 0.2])).toBe(30n);
    expect(usd(sumCents([0.1, 0.2]))).toBe('$0.30');
    expect(usd(1234567.89)).toBe('$1,234,567.89');
    expect(usd('-80')).toBe('-$80.00');
    expect(usd('-0.004')).toBe('$0.00');
  });

  it('sums ten thousand cents exactly where floats drift', () => {
    const many = Array.from({ length: 10_000 }, () => 0.01);
    expect(many.reduce((s, v) => s + v, 0)).not.toBe(100);
    expect(usd(sumCents(many))).toBe('$100.00');
  });

  it('keeps amounts beyond 2^53 cents exact', () => {
    expect(usd('123456789012345678.91')).toBe('$123,456,789,012,345,678.91');
  });

  it('accepts decimal strings with separators and exponents', () => {
    expect(cents('1,250.5')).toBe(125050n);
    expect(cents(1e21)).toBe(100000000000000000000000n);
    expect(scaled('1.5e-7', 8).units).toBe(15n);
    expect(() => cents('abc')).toThrow(/not a decimal/);
    expect(() => cents('')).toThrow(/not a decimal/);
  });
});

describe('shares and prices', () => {
  it('shows shares to six places without trailing zeros', () => {
    expect(shares(1250)).toBe('1,250');
    expect(shares('3.500000')).toBe('3.5');
    expect(shares(0.123456)).toBe('0.123456');
  });

  it('shows prices with two to eight places', () => {
    expect(price(101.25)).toBe('$101.25');
    expect(price(7)).toBe('$7.00');
    expect(price('0.12345678')).toBe('$0.12345678');
  });
});

describe('other figures', () => {
  it('percent, counts, dates', () => {
    expect(percent(0.012345)).toBe('1.23%');
    expect(count(1234567)).toBe('1,234,567');
    expect(calendarDate('2026-03-09')).toBe('Mar 9, 2026');
    expect(daysBetween('2026-02-27', '2026-03-02')).toBe(3);
    expect([plural(1, 'error'), plural(1204, 'error')]).toEqual(['1 error', '1,204 errors']);
  });
});
