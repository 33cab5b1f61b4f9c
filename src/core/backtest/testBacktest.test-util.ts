/** A small real backtest for tests: the shipped universe, real prices (the fixture, 2020 on), one tax profile. */
import { readUniverse } from '../../adapters/files/universeFile.js';
import { parseDay, type Day } from '../kernel/calendar.js';
import type { Usd } from '../kernel/exact.js';
import type { Symbol } from '../ledger/household.js';
import type { PriceBook, PriceSeries } from '../market/prices.js';
import { DEFAULT_CONFIG } from '../harvest/config.js';
import { FEDERAL_2025, rate } from '../harvest/testHousehold.test-util.js';
import type { BacktestSpec } from './backtest.js';
import { DEFAULT_STRATEGIES } from './strategies.js';

const day = (s: string): Day => parseDay(s) as Day;

/** Accounts of vintages 2020-2021 over [from, to], calibrated on 2020 unless told otherwise, every default strategy. */
export function testSpec(from: string, to: string, count: number, options: { verify?: boolean; split?: string } = {}): BacktestSpec {
  const universe = readUniverse();
  if (!universe.ok) throw new Error('the shipped universe does not load');
  return {
    universe: universe.value,
    strategies: DEFAULT_STRATEGIES,
    population: {
      count,
      vintages: [2020, 2021],
      riskScores: [3, 8, 10],
      initialDeposit: { min: 20_000, max: 200_000 },
      monthlyDepositShare: 0.5,
      monthlyDeposit: { min: 200, max: 2_000 },
      startDay: 'random',
      profileWeights: [1],
      seed: 11,
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
    from: day(from),
    to: day(to),
    split: day(options.split ?? '2021-01-01'),
    calibrate: true,
    verify: options.verify ?? true,
    focusRisk: 8,
    benchmark: 'VTI' as BacktestSpec['benchmark'],
    tuningThresholds: [0.02, 0.05, 0.1],
  };
}

/** The fixture with the rows of `symbols` before `from` removed (real rows, fewer of them). */
export function startingOn(book: PriceBook, symbols: readonly string[], from: Day): PriceBook {
  const series = new Map<Symbol, PriceSeries>();
  for (const [s, x] of book.series) {
    if (!symbols.includes(s)) {
      series.set(s, x);
      continue;
    }
    const i = x.days.findIndex((d) => d >= from);
    series.set(s, { ...x, days: x.days.slice(i), close: x.close.slice(i), dividend: x.dividend.slice(i), adjClose: x.adjClose.slice(i), split: x.split.slice(i) });
  }
  return { series, ambiguous: book.ambiguous };
}
