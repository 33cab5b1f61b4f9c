/**
 * The hindsight bound: its arithmetic on a path small enough to check by hand (a tranche bought at
 * 100 that falls to 90, recovers to 95, falls to 80 and ends at 85, one year a step), the
 * tranches a baseline's sales retire, and, on simulated histories with rebalancing and
 * withdrawals, the three things that make it a yardstick: it is never below what any strategy
 * harvested from the account, never above what the baseline bought, and no year of it exceeds
 * what the holdings could lose that year.
 */
import { describe, expect, it } from 'vitest';
import { FIXTURE_PRICES } from '../../adapters/files/testPrices.test-util.js';
import { loadPriceBook } from '../../adapters/files/priceDirectory.js';
import { usdOf } from '../kernel/exact.js';
import { symbol } from '../ledger/household.js';
import { prepareBacktest, simulateSlice } from './backtest.js';
import { hindsightBound, hindsightIndex, TrancheBook } from './hindsight.js';
import type { MarketData } from './marketData.js';
import { testSpec } from './testBacktest.test-util.js';

const close = Float64Array.from([100, 90, 95, 80, 85]);
const data: MarketData = {
  days: Int32Array.from([0, 366, 732, 1098, 1464]),
  symbols: [symbol('X')],
  symbolIndex: new Map([[symbol('X'), 0]]),
  close: [close],
  dividend: [new Float64Array(5)],
  adjClose: [close],
};
const ONE_FUND = [{ id: 'x', symbols: [0] }];
const tranche = { from: 0, to: 4, symbol: 0, shares: 1e6, cost: 10_000 };

describe('the hindsight bound on a hand-checked path', () => {
  it('harvests every new low below the cost the day it is set: $10 a year in, $10 more three years in', () => {
    const b = hindsightBound([tranche], data, hindsightIndex(data, 4, 0, ONE_FUND), []);
    expect(b.harvests).toEqual([
      { t: 1, short: 0, long: 1_000 },
      { t: 3, short: 0, long: 1_000 },
    ]);
    expect(b.purchases).toBe(10_000);
  });

  it('stops at the day a sale retires the tranche', () => {
    const b = hindsightBound([{ ...tranche, to: 2 }], data, hindsightIndex(data, 4, 0, ONE_FUND), []);
    expect(b.harvests).toEqual([{ t: 1, short: 0, long: 1_000 }]);
  });

  it('discounts each new low from its own day', () => {
    const b = hindsightBound([tranche], data, hindsightIndex(data, 4, 0.1, ONE_FUND), []);
    const years = (d: number): number => d / 365.25;
    expect(b.discountedLoss).toBeCloseTo(1_000 / 1.1 ** years(366) + 1_000 / 1.1 ** years(1098), 6);
  });

  it('bounds each window by the low inside it, as if the tranche had not been harvested before', () => {
    const b = hindsightBound([tranche], data, hindsightIndex(data, 4, 0, ONE_FUND), [
      [0, 2],
      [3, 4],
      [4, 4],
    ]);
    expect(b.windowLosses).toEqual([1_000, 2_000, 1_500]);
  });

  it('finds nothing for a tranche that never falls below its cost', () => {
    const b = hindsightBound([{ ...tranche, from: 3, cost: 8_000 }], data, hindsightIndex(data, 4, 0, ONE_FUND), [[0, 4]]);
    expect(b.harvests).toEqual([]);
    expect(b.windowLosses).toEqual([0]);
  });

  it('lets the dollars follow the class fund that falls most each day: a harvest into an alternate that falls further is inside the bound', () => {
    // Y, the alternate, falls with X to 90, rises to 99 and then falls further than X, to 79.2.
    // Harvesting X at 90 into Y and Y at 79.2 realizes 10 + 10.8 = 20.8 per share, more than
    // X's own path allows (100 - 80 = 20). The class's lowest path: 100, 90, 95, 76, 80.75 (each
    // day the worse of the two returns), whose new lows give 10 + 14 = 24.
    const y = Float64Array.from([100, 90, 99, 79.2, 85]);
    const two: MarketData = { ...data, symbols: [symbol('X'), symbol('Y')], symbolIndex: new Map([[symbol('X'), 0], [symbol('Y'), 1]]), close: [close, y], dividend: [new Float64Array(5), new Float64Array(5)], adjClose: [close, y] };
    const b = hindsightBound([tranche], two, hindsightIndex(two, 4, 0, [{ id: 'xy', symbols: [0, 1] }]), []);
    expect(b.harvests).toEqual([
      { t: 1, short: 0, long: 1_000 },
      { t: 3, short: 0, long: 1_400 },
    ]);
    expect(hindsightBound([tranche], two, hindsightIndex(two, 4, 0, [{ id: 'x', symbols: [0] }, { id: 'y', symbols: [1] }]), []).harvests.reduce((s, h) => s + h.long, 0)).toBe(2_000);
  });

  it('retires the lowest cost per share first: the 90 tranche goes, the 100 tranche keeps its loss', () => {
    const book = new TrancheBook();
    book.buy(0, 0, 1e6, 10_000);
    book.buy(1, 0, 1e6, 9_000);
    book.sell(2, 0, 1.5e6);
    expect(book.all(4)).toEqual([
      { from: 1, to: 2, symbol: 0, shares: 1e6, cost: 9_000 },
      { from: 0, to: 2, symbol: 0, shares: 0.5e6, cost: 5_000 },
      { from: 0, to: 4, symbol: 0, shares: 0.5e6, cost: 5_000 },
    ]);
  });
});

describe('the hindsight bound on simulated histories with rebalancing and withdrawals', () => {
  // Tax flows reinvested: a year that owes tax withdraws it, so the baselines sell for fees,
  // rebalancing and withdrawals.
  const spec = { ...testSpec('2020-01-02', '2023-12-29', 8, { verify: false }), taxFlows: 'reinvest' as const };
  const prepared = prepareBacktest(spec, loadPriceBook(FIXTURE_PRICES).book);
  if (!prepared.ok) throw new Error(JSON.stringify(prepared.issues));
  const runs = simulateSlice({ ...prepared.value, ctx: { ...prepared.value.ctx, keepEvents: true } }, 0, 8);
  const loss = (hs: readonly { short: number; long: number }[]): number => hs.reduce((s, h) => s + h.short + h.long, 0);

  it('is never below any strategy\'s harvested losses on any account', () => {
    for (const a of runs) for (const r of a.runs) expect(loss(r.harvests), `${a.spec.id} ${r.strategy}`).toBeLessThanOrEqual(loss(a.hindsight.harvests));
    expect(runs.some((a) => (a.runs[0]?.events ?? []).some((e) => e.kind === 'withdrawal'))).toBe(true);
  });

  it('is never above the baseline\'s purchases, and no year of it above the holdings\' value at the year\'s start plus its purchases', () => {
    const { data: d, calendar } = prepared.value.ctx;
    for (const a of runs) {
      const base = a.runs[0];
      if (base === undefined) throw new Error('no baseline');
      const bought = (base.events ?? []).reduce((s, e) => s + (e.kind === 'buy' ? usdOf(e.shares, e.price) : 0), 0);
      expect(loss(a.hindsight.harvests)).toBeLessThanOrEqual(a.hindsight.purchases);
      expect(Math.abs(a.hindsight.purchases - bought)).toBeLessThanOrEqual(bought * 1e-6 + 100);
      for (const y of base.years) {
        const inYear = a.hindsight.harvests.filter((h) => calendar.year[h.t] === y.year);
        const purchases = (base.events ?? []).reduce((s, e) => (e.kind === 'buy' && calendar.year[d.days.indexOf(e.date)] === y.year ? s + usdOf(e.shares, e.price) : s), 0);
        expect(loss(inYear) / 100).toBeLessThanOrEqual(y.beginningBalance + purchases / 100);
      }
    }
  });
});
