/**
 * A direct-index backtest on the repo's fixtures: the 32-stock 2020 sample, SPY and VTI/SCHB/ITOT
 * from the market fixture; and the multi-year sample (test/fixtures/sp500-years).
 */
import { join } from 'node:path';
import { loadIndexPrices, loadIndexUniverse } from '../../adapters/files/indexDirectory.js';
import { readUniverse } from '../../adapters/files/universeFile.js';
import { loadPriceBook, PACKAGE_ROOT, SAMPLE_PRICES } from '../../adapters/files/priceDirectory.js';
import { parseDay, type Day } from '../kernel/calendar.js';
import { describeIssue } from '../kernel/errors.js';
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

/** 22 stocks, SPY and VTI from 2017-10-02 to 2020-12-11 (provenance in its README). */
export const YEARS_FIXTURE = join(PACKAGE_ROOT, 'test', 'fixtures', 'sp500-years');

/**
 * `fixtureSpec`'s settings on the multi-year sample, 2017-10-02 through 2020-12-11, one account
 * opening on the first trading day of 2018; the ETF comparator holds VTI alone (the sample's
 * only fund).
 */
export function yearsSpec(): DirectBacktestSpec {
  const index = loadIndexUniverse(YEARS_FIXTURE);
  const stocks = loadIndexPrices(YEARS_FIXTURE);
  const etfs = loadPriceBook(join(YEARS_FIXTURE, 'etf'));
  const problems = [...index.issues, ...stocks.issues, ...etfs.issues];
  if (index.universe === undefined || problems.length > 0) throw new Error(problems.map(describeIssue).join('\n'));
  const book: PriceBook = { series: new Map<Symbol, PriceSeries>([...stocks.book.series, ...etfs.book.series]), ambiguous: etfs.book.ambiguous };
  const base = fixtureSpec(1, book);
  const vtiOnly = { ...base.universe, classes: base.universe.classes.map((c) => (c.id === 'us_stocks' ? { ...c, securities: c.securities.filter((x) => x.symbol === 'VTI') } : c)) };
  return {
    ...base,
    index: index.universe,
    universe: vtiOnly,
    population: { ...base.population, vintages: [2018], startDay: 'first_trading_day' },
    from: day('2017-10-02'),
    to: day('2020-12-11'),
  };
}
