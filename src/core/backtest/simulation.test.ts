/**
 * The backtest simulator on real prices: it cannot see the future (changing every price after a
 * day leaves every event up to that day unchanged), and the ledger's re-booking of each simulated
 * history agrees with the simulation to the cent and finds no wash sale, under every strategy.
 */
import { describe, expect, it } from 'vitest';
import { FIXTURE_PRICES } from '../../adapters/files/testPrices.test-util.js';
import { loadPriceBook } from '../../adapters/files/priceDirectory.js';
import { parseDay, type Day } from '../kernel/calendar.js';
import type { PriceBook, PriceSeries } from '../market/prices.js';
import { prng } from '../kernel/random.js';
import { prepareBacktest, simulateSlice, summarize } from './backtest.js';
import { testSpec } from './testBacktest.test-util.js';

const { book } = loadPriceBook(FIXTURE_PRICES);
const day = (s: string): Day => parseDay(s) as Day;
const spec = (from: string, to: string, count: number, verify = true) => testSpec(from, to, count, { verify });

/** The book with every close and dividend after `after` moved by up to ±30 %. */
function perturbedAfter(source: PriceBook, after: Day): PriceBook {
  const rand = prng(99);
  const series = new Map<PriceSeries['symbol'], PriceSeries>();
  for (const [s, x] of source.series) {
    const close = x.close.slice();
    const dividend = x.dividend.slice();
    const adjClose = x.adjClose.slice();
    x.days.forEach((d, i) => {
      if (d <= after) return;
      const f = 0.7 + 0.6 * rand();
      close[i] = (close[i] as number) * f;
      adjClose[i] = (adjClose[i] as number) * f;
      dividend[i] = (dividend[i] as number) * 2;
    });
    series.set(s, { ...x, close, dividend, adjClose });
  }
  return { series, ambiguous: source.ambiguous };
}

describe('no look-ahead', () => {
  it('changing every price after a day changes no event on or before it, under any strategy', () => {
    const cut = day('2021-03-19');
    const s = { ...spec('2020-01-02', '2021-12-31', 3, false) };
    const run = (b: PriceBook) => {
      const p = prepareBacktest(s, b);
      if (!p.ok) throw new Error(JSON.stringify(p.issues));
      return simulateSlice({ ...p.value, ctx: { ...p.value.ctx, keepEvents: true } }, 0, 3);
    };
    const before = run(book);
    const after = run(perturbedAfter(book, cut));
    let compared = 0;
    before.forEach((a, i) =>
      a.runs.forEach((r, k) => {
        const upToCut = (events: typeof r.events) => (events ?? []).filter((e) => e.date <= cut);
        const x = upToCut(r.events);
        compared += x.length;
        expect(upToCut(after[i]?.runs[k]?.events)).toEqual(x);
      }),
    );
    expect(compared).toBeGreaterThan(100);
    // ... and the future did change something.
    expect(after.map((a) => a.runs.map((r) => r.finalValue))).not.toEqual(before.map((a) => a.runs.map((r) => r.finalValue)));
  });
});

describe('the ledger re-books every simulated history', () => {
  it('agrees with the simulation to the cent and finds no wash sale, under every strategy (2020-2022)', () => {
    const p = prepareBacktest(spec('2020-01-02', '2022-12-30', 4), book);
    if (!p.ok) throw new Error(JSON.stringify(p.issues));
    const runs = simulateSlice(p.value, 0, 4);
    const results = summarize(p.value, runs);
    for (const w of results.metrics.washSales) {
      expect({ strategy: w.strategy, verified: w.verified, disallowed: w.disallowed, washSales: w.washSales, mismatches: w.mismatches }).toEqual({
        strategy: w.strategy,
        verified: 4,
        disallowed: 0,
        washSales: 0,
        mismatches: [],
      });
    }
    const daily = results.metrics.capture.find((c) => c.strategy === 'daily_cost_benefit');
    expect(daily?.harvested).toBeGreaterThan(0);
  });
});
