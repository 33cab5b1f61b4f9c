import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usd } from '../kernel/exact.js';
import { applyRate, netOf, parseRate, rate, rateToNumber, sumAtRates } from './rate.js';
import { checkProperty } from '../kernel/property.test-util.js';

describe('rates in parts per million', () => {
  it('parses decimals exactly, as numbers or strings', () => {
    expect(rate('0.22')).toBe(220_000);
    expect(rate(0.038)).toBe(38_000);
    expect(rate('0.0519')).toBe(51_900);
    expect(rateToNumber(rate(0.0725))).toBe(0.0725);
    expect(parseRate('0.1234567').ok).toBe(false);
    expect(parseRate('abc').ok).toBe(false);
  });

  it('applies a rate to the cent, half away from zero', () => {
    expect(applyRate(usd('11525.01'), rate('0.22'))).toBe(usd('2535.50'));
    expect(applyRate(usd('0.05'), rate('0.1'))).toBe(usd('0.01'));
    expect(applyRate(usd('-0.05'), rate('0.1'))).toBe(usd('-0.01'));
  });

  it('sums several products and rounds once', () => {
    expect(sumAtRates([[usd('0.03'), rate('0.5')], [usd('0.03'), rate('0.5')]])).toBe(usd('0.03'));
    expect(applyRate(usd('0.03'), rate('0.5')) + applyRate(usd('0.03'), rate('0.5'))).toBe(usd('0.04'));
  });

  it('nets a state rate of its federal deduction', () => {
    expect(netOf(rate('0.10'), rate('0.37'))).toBe(rate('0.063'));
  });

  it('one rounding of a sum is within half a cent of the exact value', () => {
    checkProperty(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 1_000_000 })), { maxLength: 8 }), (items) => {
        const exactTimesMillion = items.reduce((a, [x, r]) => a + BigInt(x) * BigInt(r), 0n);
        const got = BigInt(sumAtRates(items.map(([x, r]) => [x as never, r as never])));
        const diff = got * 1_000_000n - exactTimesMillion;
        expect(diff <= 500_000n && diff >= -500_000n).toBe(true);
      }),
    );
  });
});
