/**
 * The price directory as a MarketSource, on the fixture: closes in the day's own share units, the
 * files' splits, the last trading day's closes for a weekend or holiday, and no closes (an issue)
 * past the end of the data or before its start.
 */
import { describe, expect, it } from 'vitest';
import { formatDay, parseDay, type Day } from '../../core/kernel/calendar.js';
import { describeIssue, type Result } from '../../core/kernel/errors.js';
import { symbol } from '../../core/ledger/household.js';
import type { MarketDay } from '../../app/ports.js';
import { priceDirectoryMarket } from './priceDirectoryMarket.js';
import { FIXTURE_PRICES } from './testPrices.test-util.js';

const market = priceDirectoryMarket(FIXTURE_PRICES);
const on = (date: string, ...tickers: string[]): Promise<Result<MarketDay>> => market.marketOn(parseDay(date) as Day, tickers.map(symbol));
const value = (r: Result<MarketDay>): MarketDay => {
  if (!r.ok) throw new Error(r.issues.map(describeIssue).join('\n'));
  return r.value;
};
const problem = (r: Result<MarketDay>): string => (r.ok ? 'no problem' : r.issues.map(describeIssue).join('\n'));

describe('priceDirectoryMarket', () => {
  it('quotes each close in the day\'s own share units and hands over the files\' splits', async () => {
    const m = value(await on('2020-03-20', 'SCHB', 'VTI', 'XLE'));
    expect(formatDay(m.tradingDay)).toBe('2020-03-20');
    expect(m.view.close(symbol('SCHB'))).toBe(53.8);
    expect(m.view.close(symbol('VTI'))).toBe(115.19);
    // XLE: 12.93 split-adjusted, x2 for the 2:1 split of 2025-12-04.
    expect(m.view.close(symbol('XLE'))).toBe(25.86);
    expect(m.missing).toEqual([]);
    expect(m.splits.get(symbol('SCHB'))?.map((s) => `${formatDay(s.day)} ${s.ratio}`)).toEqual(['2022-03-11 2', '2024-10-11 3']);
    expect(m.splits.get(symbol('VTI'))).toEqual([]);
  });

  it('uses the last trading day\'s closes on a weekend or holiday', async () => {
    expect(formatDay(value(await on('2025-04-05', 'VTI')).tradingDay)).toBe('2025-04-04');
    expect(formatDay(value(await on('2025-07-04', 'VTI')).tradingDay)).toBe('2025-07-03');
    expect(formatDay(value(await on('2026-07-12', 'VTI')).tradingDay)).toBe('2026-07-10');
  });

  it('has no closes for a day after the data ends or before it starts, and says which', async () => {
    expect(problem(await on('2026-07-14', 'VTI', 'SCHD'))).toBe(`${FIXTURE_PRICES}: no closes for Tuesday 2026-07-14: the price data ends on Monday 2026-07-13 [NO_CLOSES]`);
    expect(problem(await on('2026-07-18', 'VTI'))).toMatch(/no closes for Saturday 2026-07-18: the price data ends on Monday 2026-07-13/);
    // SCHD's total-return rows start 2019-12-02, its closes 2020-01-02: only closes count.
    expect(problem(await on('2019-12-31', 'SCHD'))).toMatch(/no closes for Tuesday 2019-12-31: the price data starts on Thursday 2020-01-02 \[NO_CLOSES\]/);
    expect(problem(await on('2025-04-08', 'IEFA', 'IYE'))).toMatch(/no closes for Tuesday 2025-04-08: the price directory has no closes for any of the symbols asked for/);
  });

  it('lists the symbols without a close: no file, or total returns only', async () => {
    const m = value(await on('2025-04-08', 'VTI', 'IYE', 'IEFA'));
    expect(m.missing).toEqual(['IYE', 'IEFA']);
    expect(m.view.close(symbol('IYE'))).toBeUndefined();
  });
});
