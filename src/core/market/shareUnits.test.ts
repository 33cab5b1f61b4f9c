/**
 * Split-adjusted and as-traded units on the real split dates of the shared data (through the
 * fixture in test/fixtures/market, whose files run to the data set's last day, so every later
 * split is in them): SCHB 2:1 on 2022-03-11 and 3:1 on 2024-10-11, SCHF 2:1 on 2024-10-10, SCHD
 * 3:1 on 2024-10-11, SCHH 2:1 on 2022-03-08, SCHP 2:1 on 2024-10-11, XLE 2:1 on 2025-12-04.
 */
import { describe, expect, it } from 'vitest';
import { loadPriceBook } from '../../adapters/files/priceDirectory.js';
import { fullPriceDir, seriesOf, testPrices } from '../../adapters/files/testPrices.test-util.js';
import { formatDay, parseDay, type Day } from '../kernel/calendar.js';
import { symbol } from '../ledger/household.js';
import { closeOnOrBefore, indexOnOrBefore, type PriceSeries } from './prices.js';
import { asTraded, closeInDayUnits, marketOn, splitAdjust, splitFactorAfter, splitsOf } from './shareUnits.js';

const d = (s: string): Day => parseDay(s) as Day;
const SPLITS: Record<string, [string, number][]> = {
  SCHB: [
    ['2022-03-11', 2],
    ['2024-10-11', 3],
  ],
  SCHF: [['2024-10-10', 2]],
  SCHD: [['2024-10-11', 3]],
  SCHH: [['2022-03-08', 2]],
  SCHP: [['2024-10-11', 2]],
  XLE: [['2025-12-04', 2]],
};
const book = testPrices(...Object.keys(SPLITS), 'VTI');
const schb = seriesOf(book, 'SCHB');
const at = (s: PriceSeries, day: string): number => indexOnOrBefore(s.days, d(day));

describe('the closes of a day in that day\'s share units', () => {
  it('prices the issue\'s SCHB lot (100 sh at $80.88 on 2020-02-19) at $53.80 on 2020-03-20, not the split-adjusted $8.97', () => {
    expect(closeOnOrBefore(schb, d('2020-03-20'))?.value).toBe(8.966667);
    expect(closeInDayUnits(schb, d('2020-03-20'))?.value).toBe(53.8);
    expect(closeInDayUnits(schb, d('2020-02-19'))?.value).toBe(80.88);
    // 100 × (80.88 − 53.80) = $2,708.00 lost, where the split-adjusted close shows $7,191.33.
    expect(Math.round(100 * (80.88 - (closeInDayUnits(schb, d('2020-03-20'))?.value as number)) * 100) / 100).toBe(2708);
  });

  it('undoes only the splits after the day: x6 before 2022-03-11, x3 until 2024-10-11, x1 after', () => {
    expect([splitFactorAfter(schb, at(schb, '2022-03-10')), splitFactorAfter(schb, at(schb, '2022-03-11')), splitFactorAfter(schb, at(schb, '2024-10-11'))]).toEqual([6, 3, 1]);
    expect(closeInDayUnits(schb, d('2022-03-10'))?.value).toBe(100.67);
    expect(closeInDayUnits(schb, d('2022-03-11'))?.value).toBe(49.6);
    expect(closeInDayUnits(schb, d('2024-10-10'))?.value).toBe(66.7);
    expect(closeInDayUnits(schb, d('2024-10-11'))?.value).toBe(22.4);
    // A weekend answers with Friday's close in Friday's units.
    expect(closeInDayUnits(schb, d('2022-03-13'))).toEqual({ index: at(schb, '2022-03-11'), day: d('2022-03-11'), value: 49.6 });
  });

  it('reads every split of the six funds from the split column, on the shared data\'s dates', () => {
    for (const [ticker, splits] of Object.entries(SPLITS)) {
      expect(splitsOf(seriesOf(book, ticker)).map((s) => [formatDay(s.day), s.ratio]), ticker).toEqual(splits);
    }
  });

  it('jumps by the split ratio on each split day as traded, where the split-adjusted close moves by a day\'s market move', () => {
    for (const [ticker, splits] of Object.entries(SPLITS)) {
      const s = seriesOf(book, ticker);
      const traded = asTraded(s.close, s.dividend, s.split).close;
      for (const [day, ratio] of splits) {
        const i = at(s, day);
        const adjustedMove = (s.close[i] as number) / (s.close[i - 1] as number);
        const tradedMove = (traded[i] as number) / (traded[i - 1] as number);
        expect(Math.abs(adjustedMove - 1), `${ticker} ${day}`).toBeLessThan(0.03);
        expect(Math.abs(tradedMove * ratio - 1), `${ticker} ${day}`).toBeLessThan(0.03);
      }
    }
  });

  it('converts dividends too: SCHB paid $0.3374 a share on 2020-03-25 (0.056233 split-adjusted)', () => {
    const { dividend } = asTraded(schb.close, schb.dividend, schb.split);
    expect(dividend[at(schb, '2020-03-25')]).toBeCloseTo(0.337398, 9);
  });

  it('restores the cent the 6-decimal split-adjusted values lost, and moves no value by more than their precision', () => {
    for (const ticker of Object.keys(SPLITS)) {
      const s = seriesOf(book, ticker);
      const traded = asTraded(s.close, s.dividend, s.split).close;
      traded.forEach((v, i) => {
        if (Number.isNaN(s.close[i])) return expect(v).toBeNaN();
        const product = (s.close[i] as number) * splitFactorAfter(s, i);
        expect(Math.abs(v / product - 1), `${ticker} row ${i}`).toBeLessThan(2e-7);
        // Converted rows land on the cent; the rest are the file's own values (a few recovered closes are not on it).
        if (splitFactorAfter(s, i) !== 1) expect(Math.abs(v * 100 - Math.round(v * 100)), `${ticker} ${formatDay(s.days[i] as Day)}: ${v}`).toBeLessThan(1e-6);
        else expect(v).toBe(s.close[i]);
      });
    }
  });

  it('is the inverse of splitAdjust on every row of the six funds', () => {
    for (const ticker of Object.keys(SPLITS)) {
      const s = seriesOf(book, ticker);
      const traded = asTraded(s.close, s.dividend, s.split);
      const back = splitAdjust(traded.close, traded.dividend, s.split);
      const known = (i: number): boolean => !Number.isNaN(s.close[i]);
      back.close.forEach((c, i) => known(i) && expect(Math.abs(c / (s.close[i] as number) - 1)).toBeLessThan(2e-7));
      back.dividend.forEach((v, i) => known(i) && expect(v).toBeCloseTo(s.dividend[i] as number, 12));
    }
  });

  it('serves a market view in either units; a fund without splits reads the same in both', () => {
    const day = d('2020-03-20');
    expect(marketOn(book, day, 'as_traded').close(symbol('SCHB'))).toBe(53.8);
    expect(marketOn(book, day, 'split_adjusted').close(symbol('SCHB'))).toBe(8.966667);
    expect(marketOn(book, day, 'as_traded').close(symbol('VTI'))).toBe(marketOn(book, day, 'split_adjusted').close(symbol('VTI')));
    expect(marketOn(book, day, 'as_traded').close(symbol('NOPE'))).toBeUndefined();
  });
});

const full = fullPriceDir();

describe.runIf(full !== undefined)('every split of the full shared data set (where this machine has it)', () => {
  it('shows the ratio jump as traded on every split row of every file, reverse splits included (TFI 1-for-2 on 2016-03-15)', () => {
    const { book: all } = loadPriceBook(full as string);
    const seen: string[] = [];
    for (const s of all.series.values()) {
      const traded = asTraded(s.close, s.dividend, s.split).close;
      for (const split of splitsOf(s)) {
        const i = indexOnOrBefore(s.days, split.day);
        seen.push(`${s.symbol} ${formatDay(split.day)} ${split.ratio}`);
        expect(Math.abs(((traded[i] as number) / (traded[i - 1] as number)) * split.ratio - 1), `${s.symbol} ${formatDay(split.day)}`).toBeLessThan(0.03);
      }
    }
    expect(seen.sort()).toEqual([
      'ITOT 2016-07-25 2',
      'SCHB 2022-03-11 2',
      'SCHB 2024-10-11 3',
      'SCHD 2024-10-11 3',
      'SCHF 2024-10-10 2',
      'SCHH 2022-03-08 2',
      'SCHP 2024-10-11 2',
      'TFI 2016-03-15 0.5',
      'XLE 2025-12-04 2',
    ]);
  });
});
