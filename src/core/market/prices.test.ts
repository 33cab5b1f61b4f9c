import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { seriesOf, testPrices } from '../../adapters/files/testPrices.test-util.js';
import { addDays, formatDay, parseDay, type Day } from '../kernel/calendar.js';
import {
  adjCloseOnOrBefore,
  annualizedVolatility,
  closeOnOrBefore,
  correlation,
  DEFAULT_MAX_STALE_DAYS,
  formatMonth,
  indexOnOrBefore,
  isAmbiguous,
  maxDrawdown,
  monthlyCorrelation,
  monthlyReturns,
  totalReturnFromCloses,
  withEarlierHistory,
  type PriceSeries,
} from './prices.js';
import { symbol } from '../ledger/household.js';
import { checkProperty } from '../kernel/property.test-util.js';

const d = (s: string): Day => parseDay(s) as Day;
const book = testPrices('SPY', 'VTI', 'SCHD', 'XLE', 'IEFA', 'VEA');
const spy = seriesOf(book, 'SPY');
const vti = seriesOf(book, 'VTI');
const first = (s: PriceSeries): Day => s.days[0] as Day;
const last = (s: PriceSeries): Day => s.days[s.days.length - 1] as Day;
const anyDayAround = (s: PriceSeries) => fc.integer({ min: first(s) - 30, max: last(s) + 30 }).map((n) => n as Day);

describe('lookups never look ahead (docs/prices.md)', () => {
  it('reads the README check values', () => {
    expect(closeOnOrBefore(spy, d('2020-03-23'))?.value).toBe(222.95);
    expect(closeOnOrBefore(spy, d('2024-12-31'))?.value).toBe(586.08);
  });

  it('answers a weekend with the Friday close and nothing before the first row', () => {
    const sunday = closeOnOrBefore(vti, d('2024-12-29'));
    expect(sunday && formatDay(sunday.day)).toBe('2024-12-27');
    expect(sunday?.value).toBe(294.07);
    expect(closeOnOrBefore(vti, d('2020-01-01'))).toBeUndefined();
  });

  it('never carries the last price more than maxStaleDays past the end of the series', () => {
    expect(closeOnOrBefore(vti, addDays(last(vti), DEFAULT_MAX_STALE_DAYS))?.day).toBe(last(vti));
    expect(closeOnOrBefore(vti, addDays(last(vti), DEFAULT_MAX_STALE_DAYS + 1))).toBeUndefined();
    expect(closeOnOrBefore(vti, addDays(last(vti), 2), { maxStaleDays: 1 })).toBeUndefined();
  });

  it('returns the latest row on or before the query, never a later one', () => {
    checkProperty(
      fc.property(anyDayAround(vti), (q) => {
        const o = closeOnOrBefore(vti, q);
        const i = indexOnOrBefore(vti.days, q);
        if (o === undefined) {
          expect(i < 0 || q - (vti.days[i] as number) > DEFAULT_MAX_STALE_DAYS).toBe(true);
          return;
        }
        expect(o.day).toBeLessThanOrEqual(q);
        expect(o.index === vti.days.length - 1 || (vti.days[o.index + 1] as number) > q).toBe(true);
        expect(o.value).toBe(vti.close[o.index]);
      }),
    );
  });

  it('finds the same index as a linear scan', () => {
    checkProperty(
      fc.property(anyDayAround(spy), (q) => {
        let expected = -1;
        for (let i = 0; i < spy.days.length; i++) if ((spy.days[i] as number) <= q) expected = i;
        expect(indexOnOrBefore(spy.days, q)).toBe(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('flags the ex-dates listed in _ambiguous_days.csv', () => {
    expect(isAmbiguous(book, symbol('SPY'), d('2022-12-16'))).toBe(true);
    expect(isAmbiguous(book, symbol('SPY'), d('2022-12-15'))).toBe(false);
  });
});

describe('series merged from prices/ and prices_adj_only/', () => {
  // As in the full data set, where SCHD's closes start 2016-04-28 and its total returns years
  // earlier: here the fixture's SCHD from 2020-06-01 on, and its adj_close alone before.
  const real = seriesOf(book, 'SCHD');
  const j = indexOnOrBefore(real.days, d('2020-06-01'));
  const slice = (from: number, to: number, source: PriceSeries['source']): PriceSeries => ({
    symbol: real.symbol,
    days: real.days.slice(from, to),
    close: source === 'adj_only' ? new Float64Array(to - from).fill(Number.NaN) : real.close.slice(from, to),
    dividend: source === 'adj_only' ? new Float64Array(to - from).fill(Number.NaN) : real.dividend.slice(from, to),
    adjClose: real.adjClose.slice(from, to),
    split: real.split.slice(from, to),
    source,
  });
  const schd = withEarlierHistory(slice(j, real.days.length, 'full'), slice(0, j + 1, 'adj_only'));

  it('has no close before the prices/ file starts but a total-return price before it', () => {
    expect(schd.source).toBe('mixed');
    expect(formatDay(first(schd))).toBe('2020-01-02');
    expect(closeOnOrBefore(schd, d('2020-05-29'))).toBeUndefined();
    expect(adjCloseOnOrBefore(schd, d('2020-05-29'))?.value).toBe(real.adjClose[j - 1]);
    expect(closeOnOrBefore(schd, d('2020-06-01'))?.value).toBe(17.486666);
    expect([schd.split[0], schd.split[schd.split.length - 1]]).toEqual([1, 1]);
  });

  it('chains the early adj_close onto the full file and keeps days strictly ascending', () => {
    expect(schd.adjClose[j]).toBe(14.029426);
    expect(schd.adjClose[j - 1]).toBe(14.045464);
    expect(schd.days.length).toBe(real.days.length);
    for (let i = 1; i < schd.days.length; i++) expect(schd.days[i] as number).toBeGreaterThan(schd.days[i - 1] as number);
  });

  it('uses the full file alone when the earlier history has no row on its first day', () => {
    const full = slice(j, real.days.length, 'full');
    expect(withEarlierHistory(full, slice(0, j, 'adj_only'))).toBe(full);
  });
});

describe('returns and risk statistics', () => {
  const yearReturn = (s: PriceSeries, y: number): number =>
    (adjCloseOnOrBefore(s, d(`${y}-12-31`))?.value as number) / (adjCloseOnOrBefore(s, d(`${y - 1}-12-31`))?.value as number) - 1;

  it('reproduces the README 2022 total returns', () => {
    expect(yearReturn(seriesOf(book, 'XLE'), 2022)).toBeCloseTo(0.643, 3);
    expect(yearReturn(seriesOf(book, 'SCHD'), 2022)).toBeCloseTo(-0.033, 3);
  });

  it('counts only complete months and starts returns in the second month', () => {
    const m = monthlyReturns(seriesOf(book, 'IEFA'), d('2024-12-15'));
    expect(formatMonth(m.months[0] as number)).toBe('2020-02');
    expect(formatMonth(m.months[m.months.length - 1] as number)).toBe('2024-11');
  });

  it('correlates a series with itself perfectly and pairs symmetrically', () => {
    checkProperty(
      fc.property(fc.integer({ min: d('2020-04-30'), max: d('2024-12-31') }), (n) => {
        const through = n as Day;
        expect(monthlyCorrelation(vti, vti, through)?.value).toBeCloseTo(1, 12);
        const ab = monthlyCorrelation(vti, spy, through);
        expect(ab?.value).toBeCloseTo(monthlyCorrelation(spy, vti, through)?.value as number, 12);
        expect(Math.abs(ab?.value as number)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 20 },
    );
  });

  it('measures the universe pairs over their longest common period ending 2024-12-31', () => {
    // 0.99841 over 2020-02..2024-12, computed independently from the fixture's adj_close.
    const c = monthlyCorrelation(seriesOf(book, 'VEA'), seriesOf(book, 'IEFA'), d('2024-12-31'));
    expect(c?.value).toBeCloseTo(0.99841, 5);
    expect(c && [c.months, formatMonth(c.firstMonth), formatMonth(c.lastMonth)]).toEqual([59, '2020-02', '2024-12']);
    expect(correlation({ months: new Int32Array(), returns: new Float64Array() }, monthlyReturns(vti, d('2024-12-31')))).toBeUndefined();
  });

  it('annualizes daily log-return volatility, unchanged by the price scale', () => {
    // 0.21696 over 1,257 daily returns 2020-2024, computed independently from the fixture.
    const v = annualizedVolatility(vti, { through: d('2024-12-31') });
    expect(v?.value).toBeCloseTo(0.21696, 5);
    expect(v?.returns).toBe(1257);
    checkProperty(
      fc.property(fc.double({ min: 0.01, max: 100, noNaN: true }), (k) => {
        const scaled = { ...vti, adjClose: vti.adjClose.map((x) => x * k) };
        expect(annualizedVolatility(scaled, { through: d('2024-12-31') })?.value).toBeCloseTo(v?.value as number, 9);
      }),
      { numRuns: 20 },
    );
  });

  it('finds the 2020 drawdown of SPY, peak to trough', () => {
    const dd = maxDrawdown(spy, { from: d('2020-01-01'), through: d('2020-12-31') });
    expect(dd?.depth).toBeCloseTo(0.3372, 4);
    expect(dd && [formatDay(dd.peak), formatDay(dd.trough)]).toEqual(['2020-02-19', '2020-03-23']);
  });
});

describe('deriving prices the file does not carry', () => {
  it('rebuilds total return from closes and dividends within 0.1 % a year of adj_close', () => {
    for (const s of [spy, vti]) {
      const tr = totalReturnFromCloses(s.close, s.dividend);
      expect(tr[tr.length - 1]).toBeCloseTo(s.close[s.close.length - 1] as number, 9);
      for (let i = 252; i < s.days.length; i += 21) {
        const ours = (tr[i] as number) / (tr[i - 252] as number);
        const theirs = (s.adjClose[i] as number) / (s.adjClose[i - 252] as number);
        expect(Math.abs(ours / theirs - 1)).toBeLessThan(1e-3);
      }
    }
  });
});
