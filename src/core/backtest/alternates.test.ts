/**
 * Every asset class has at least two tradable funds on every day any of its funds trades, so a
 * harvest always has an alternate to go to. IEFA, IEMG, DGRO and VTEB have total-return closes
 * only, and SCHP, SCHE, SCHD and SCHH real closes only from 2016-04-28, so they are traded on their
 * total-return series (marketData.ts: as an accumulating share class, for the whole window).
 * Checked on the fixture and, where the full shared data is found, on 2010-2026: there from
 * 2011-10-20, when SCHD, the second dividend-growth fund, was launched — before it VIG was the only
 * one that existed (as TIP was the only TIPS fund before SCHP's launch on 2010-08-05).
 */
import { describe, expect, it } from 'vitest';
import { FIXTURE_PRICES, fullPriceDir } from '../../adapters/files/testPrices.test-util.js';
import { loadPriceBook } from '../../adapters/files/priceDirectory.js';
import { readUniverse } from '../../adapters/files/universeFile.js';
import { formatDay, parseDay, type Day } from '../kernel/calendar.js';
import type { PriceBook } from '../market/prices.js';
import { marketData } from './marketData.js';

const universe = readUniverse();
if (!universe.ok) throw new Error('the shipped universe does not load');
const classes = universe.value.classes;
const symbols = classes.flatMap((c) => c.securities.map((s) => s.symbol));

/** Days (from `from` on) on which some class has a tradable fund but fewer than two. */
function singleFundDays(book: PriceBook, totalReturnTrading: boolean, from: Day): string[] {
  const data = marketData(book, symbols, { totalReturnTrading });
  const out: string[] = [];
  for (let t = 0; t < data.days.length; t++) {
    if ((data.days[t] as number) < from) continue;
    for (const c of classes) {
      const tradable = c.securities.filter((s) => {
        const i = data.symbolIndex.get(s.symbol);
        return i !== undefined && !Number.isNaN((data.close[i] as Float64Array)[t] as number);
      }).length;
      if (tradable === 1) out.push(`${formatDay(data.days[t] as Day)} ${c.id}`);
    }
  }
  return out;
}

describe('tradable alternates', () => {
  it('every class has two tradable funds on every day of the fixture, the total-return-only funds traded on their series', () => {
    const { book } = loadPriceBook(FIXTURE_PRICES);
    expect(singleFundDays(book, true, parseDay('2020-01-02') as Day)).toEqual([]);
    const traded: string[] = [];
    marketData(book, symbols, { totalReturnTrading: true, onTotalReturn: (s) => traded.push(s) });
    expect(traded.sort()).toEqual(['DGRO', 'IEFA', 'IEMG', 'VTEB']);
  });

  const full = fullPriceDir();
  it.skipIf(full === undefined)('on the full shared data (2010-2026), from SCHD\'s launch on 2011-10-20 on; without total-return trading, three classes have one fund for years', () => {
    const { book } = loadPriceBook(full as string, { symbols });
    expect(singleFundDays(book, true, parseDay('2011-10-20') as Day)).toEqual([]);
    const without = singleFundDays(book, false, parseDay('2011-10-20') as Day);
    expect(new Set(without.map((d) => d.split(' ')[1]))).toEqual(new Set(['emerging_markets', 'dividend_growth', 'tips']));
  });
});
