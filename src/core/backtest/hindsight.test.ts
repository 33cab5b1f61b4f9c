/**
 * The hindsight bound's arithmetic on a path small enough to check by hand: a tranche bought at
 * 100 that falls to 90, recovers to 95, falls to 80 and ends at 85.
 */
import { describe, expect, it } from 'vitest';
import { symbol } from '../ledger/household.js';
import { hindsightBound, hindsightIndex } from './hindsight.js';
import type { MarketData } from './marketData.js';

const close = Float64Array.from([100, 90, 95, 80, 85]);
const data: MarketData = {
  days: Int32Array.from([0, 365, 730, 1095, 1460]),
  symbols: [symbol('X')],
  symbolIndex: new Map([[symbol('X'), 0]]),
  close: [close],
  dividend: [new Float64Array(5)],
  adjClose: [close],
};
const tranche = { t: 0, symbol: 0, shares: 1e6, cost: 10_000 };

describe('the hindsight bound', () => {
  it('harvests each tranche once, at its low: 100 - 80 = $20, long-term (three years on)', () => {
    const b = hindsightBound([tranche], data, hindsightIndex(data, 4, 0), []);
    expect(b.harvests).toEqual([{ t: 3, short: 0, long: 2_000 }]);
  });

  it('values every new low the day it is set: $10 a year in, $10 three years in, each discounted', () => {
    const b = hindsightBound([tranche], data, hindsightIndex(data, 4, 0.1), []);
    const years = (d: number): number => d / 365.25;
    expect(b.discountedLoss).toBeCloseTo(1_000 / 1.1 ** years(365) + 1_000 / 1.1 ** years(1095), 6);
  });

  it('bounds each window by the low inside it, as if the tranche had not been harvested before', () => {
    const b = hindsightBound([tranche], data, hindsightIndex(data, 4, 0), [
      [0, 2],
      [3, 4],
      [4, 4],
    ]);
    expect(b.windowLosses).toEqual([1_000, 2_000, 1_500]);
  });

  it('finds nothing for a tranche that never falls below its cost', () => {
    const b = hindsightBound([{ ...tranche, t: 3, cost: 8_000 }], data, hindsightIndex(data, 4, 0), [[0, 4]]);
    expect(b.harvests).toEqual([]);
    expect(b.windowLosses).toEqual([0]);
  });
});

