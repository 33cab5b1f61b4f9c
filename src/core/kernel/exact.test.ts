import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, exact, format, mulDivRound, perShare, price, prorate, scaleBy, shares, usd, usdOf, type Usd } from './exact.js';
import { checkProperty } from './property.test-util.js';

describe('exact numbers', () => {
  it('parses decimal strings exactly into scaled integers', () => {
    expect(shares('2.3639')).toBe(2_363_900);
    expect(usd('750.00')).toBe(75_000);
    expect(price('7.5')).toBe(750_000_000);
    expect(usd('-0.05')).toBe(-5);
    expect(shares('1e-6')).toBe(1);
  });

  it('rejects strings with more decimals than the unit holds, and malformed text', () => {
    expect(exact('usd', '1.005')).toMatchObject({ ok: false });
    expect(exact('shares', '0.0000001')).toMatchObject({ ok: false });
    for (const bad of ['', '.', '1.2.3', '1,000', 'abc', ' 1', '--1', '1e']) expect(exact('usd', bad).ok).toBe(false);
  });

  it('rounds JSON numbers (binary floats) half away from zero to the unit', () => {
    expect(exact('usd', 0.1 + 0.2)).toEqual({ ok: true, value: 30 });
    expect(exact('usd', 1.005)).toEqual({ ok: true, value: 101 });
    expect(exact('usd', -2.675)).toEqual({ ok: true, value: -268 });
  });

  it('formats money with cents and trims shares', () => {
    expect(format('usd', 105_000)).toBe('1050.00');
    expect(format('usd', -5)).toBe('-0.05');
    expect(format('shares', 2_363_900)).toBe('2.3639');
    expect(format('shares', 100_000_000)).toBe('100');
  });

  it('prices trades to the cent: Pub 550 Example 1 costs $1,000.00', () => {
    expect(usdOf(shares('100'), price('10'))).toBe(usd('1000'));
    expect(usdOf(shares('3'), price('0.005'))).toBe(usd('0.02'));
  });

  it('mulDivRound equals exact BigInt rounding, half away from zero', () => {
    const big = (a: number, b: number, c: number): number => {
      const p = BigInt(a) * BigInt(b);
      const neg = p < 0n;
      const abs = neg ? -p : p;
      const C = BigInt(c);
      const q = abs / C;
      const r = abs - q * C;
      const rounded = 2n * r >= C ? q + 1n : q;
      return Number(neg ? -rounded : rounded);
    };
    checkProperty(
      fc.property(
        fc.integer({ min: -1e11, max: 1e11 }),
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 1, max: 1e12 }),
        (a, b, c) => {
          const expected = big(a, b, c);
          if (!Number.isSafeInteger(expected)) return;
          expect(mulDivRound(a, b, c)).toBe(expected === 0 ? 0 : expected);
        },
      ),
      { numRuns: 20_000 },
    );
    expect(mulDivRound(3, 1, 2)).toBe(2);
    expect(mulDivRound(-3, 1, 2)).toBe(-2);
    expect(mulDivRound(9_007_199_254_740_991, 3, 6)).toBe(4_503_599_627_370_496);
  });

  it('allocate splits a total exactly, in proportion', () => {
    checkProperty(
      fc.property(fc.integer({ min: -1e10, max: 1e10 }), fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 20 }), (total, weights) => {
        const parts = allocate(total as Usd, weights);
        expect(parts.reduce((s, p) => s + p, 0)).toBe(total);
        const whole = weights.reduce((s, w) => s + w, 0);
        if (whole > 0) weights.forEach((w, i) => expect(Math.abs((parts[i] as number) - (total * w) / whole)).toBeLessThanOrEqual(1.0000001));
      }),
    );
  });

  it('prorates basis and scales splits exactly', () => {
    expect(prorate(usd('1050'), 40, 100)).toBe(usd('420'));
    expect(scaleBy(shares('10'), 3, 2)).toBe(shares('15'));
    expect(scaleBy(shares('1'), 1, 3)).toBe(shares('0.333333'));
    expect(perShare(usd('1050'), shares('100'))).toBe(price('10.5'));
  });
});
