/** A direct-index backtest on the repo's fixtures: the 32-stock 2020 sample, SPY and VTI/SCHB/ITOT from the market fixture. */
import { readUniverse } from '../../adapters/files/universeFile.js';
import { loadPriceBook, SAMPLE_PRICES } from '../../adapters/files/priceDirectory.js';
import { parseDay, type Day } from '../kernel/calendar.js';
import type { Usd } from '../kernel/exact.js';
import type { Symbol } from '../ledger/household.js';
import type { PriceBook, PriceSeries } from '../market/prices.js';
import { DEFAULT_CONFIG } from '../harvest/config.js';
import { FEDERAL_2025, rate } from '../harvest/testHousehold.test-util.js';
import type { DirectBacktestSpec } from './directBacktest.js';
import { DEFAULT_DIRECT } from './directSleeve.js';
import { BENCHMARK, sampleIndex } from './testIndex.test-util.js';

const day = (s: string): Day => parseDay(s) as Day;

/** The fixture's stocks with SPY and the US-stock funds in one book. */
export function fixtureBook(): PriceBook {
  const { book } = sampleIndex();
  const etfs = loadPriceBook(SAMPLE_PRICES, { symbols: ['VTI', 'SCHB', 'ITOT'] }).book;
  return { series: new Map<Symbol, PriceSeries>([...book.series, ...etfs.series]), ambiguous: new Map() };
}

/** `count` accounts opening between 2020-03-02 and 2020-12-10, a 30-day risk window re-estimated monthly. */
export function fixtureSpec(count: number, book: PriceBook = fixtureBook(), seed = 7): DirectBacktestSpec {
  const universe = readUniverse();
  if (!universe.ok) throw new Error('the shipped universe does not load');
  return {
    index: sampleIndex().universe,
    book,
    benchmark: BENCHMARK,
    universe: universe.value,
    etfClass: 'us_stocks',
    population: {
      count,
      vintages: [2020],
      riskScores: [10],
      initialDeposit: { min: 100_000, max: 1_000_000 },
      monthlyDepositShare: 0.5,
      monthlyDeposit: { min: 1_000, max: 10_000 },
      startDay: 'random',
      profileWeights: [1],
      seed,
    },
    profiles: [
      {
        id: 'p',
        label: 'single, 35 % / 20 %',
        tax: {
          table: FEDERAL_2025,
          profile: { filingStatus: 'single', income: { kind: 'taxable', ordinaryTaxableIncome: 25_000_000 as Usd } },
          rates: { ordinary: rate('0.35'), shortTerm: rate('0.35'), longTerm: rate('0.20') },
        },
      },
    ],
    config: DEFAULT_CONFIG,
    feeRate: 0.0025,
    taxFlows: 'external',
    discountRate: 0.08,
    from: day('2020-03-02'),
    to: day('2020-12-11'),
    direct: { ...DEFAULT_DIRECT, construction: { maxWeight: 0.12, maxSectorWeight: 0.4 }, minTrade: 5_000 as Usd },
    model: { window: 30, factors: 5, everyMonths: 1, construction: { maxWeight: 0.12, maxSectorWeight: 0.4, names: 20 } },
    verify: true,
  };
}
