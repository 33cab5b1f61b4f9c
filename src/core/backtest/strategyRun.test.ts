/**
 * The fast day loop (strategyRun.ts) against the reference loop (referenceRun.ts), which rebuilds
 * the household's state and asks `screen` every day: a few hundred accounts on real prices through
 * 2022's falls and recoveries, under strategies with every kind of trigger and schedule, must give
 * the same ledger events (every deposit, dividend, fee, sale with its lots and fill, purchase), the
 * same years, harvests, values and hindsight bound — and so the same summary, to the cent.
 */
import { describe, expect, it } from 'vitest';
import { FIXTURE_PRICES } from '../../adapters/files/testPrices.test-util.js';
import { loadPriceBook } from '../../adapters/files/priceDirectory.js';
import type { Usd } from '../kernel/exact.js';
import { prepareBacktest, simulateSlice, summarize, type BacktestSpec } from './backtest.js';
import type { AccountRun } from './simulation.js';
import { DEFAULT_STRATEGIES } from './strategies.js';
import { testSpec } from './testBacktest.test-util.js';

const { book } = loadPriceBook(FIXTURE_PRICES);

/** Accounts opened on random days of 2022, run to March 2023: the year's losses, harvests and switch-backs. */
function spec(taxFlows: BacktestSpec['taxFlows'], accounts: number): BacktestSpec {
  const base = testSpec('2021-01-04', '2023-03-31', accounts, { verify: false, split: '2022-01-01' });
  return {
    ...base,
    taxFlows,
    strategies: DEFAULT_STRATEGIES.filter((s) => ['none', 'monthly', 'daily_5pct', 'daily_cost_benefit'].includes(s.id)),
    population: {
      ...base.population,
      vintages: [2022],
      riskScores: [2, 5, 8, 10],
      initialDeposit: { min: 5_000, max: 400_000 },
      monthlyDepositShare: 0.6,
      seed: 23,
    },
    profiles: [
      ...base.profiles,
      {
        id: 'low',
        label: 'single, 12 % / 0 %',
        tax: { ...(base.profiles[0] as BacktestSpec['profiles'][number]).tax, profile: { filingStatus: 'single', income: { kind: 'taxable', ordinaryTaxableIncome: 4_000_000 as Usd } } },
      },
    ],
  };
}

function runBoth(s: BacktestSpec, accounts: number): { fast: AccountRun[]; reference: AccountRun[]; summaries: [unknown, unknown] } {
  const p = prepareBacktest({ ...s, population: { ...s.population, profileWeights: [2, 1] } }, book);
  if (!p.ok) throw new Error(JSON.stringify(p.issues));
  const at = (path: 'fast' | 'reference') => ({ ...p.value, ctx: { ...p.value.ctx, path, keepEvents: true } });
  const fast = simulateSlice(at('fast'), 0, accounts);
  const reference = simulateSlice(at('reference'), 0, accounts);
  return { fast, reference, summaries: [summarize(at('fast'), fast), summarize(at('reference'), reference)] };
}

describe('the fast day loop equals the reference loop', () => {
  for (const [taxFlows, accounts, minimum] of [
    ['external', 200, { events: 100_000, sales: 10_000, harvests: 5_000 }],
    ['reinvest', 50, { events: 30_000, sales: 3_000, harvests: 1_500 }],
  ] as const) {
    it(`${accounts} accounts, 4 strategies, taxes ${taxFlows}: every event, year and figure`, () => {
      const { fast, reference, summaries } = runBoth(spec(taxFlows, accounts), accounts);
      let events = 0;
      let sales = 0;
      let harvests = 0;
      reference.forEach((r, i) => {
        const f = fast[i] as AccountRun;
        r.runs.forEach((run, k) => {
          const other = f.runs[k];
          expect(other?.events, `${r.spec.id} ${run.strategy}: events`).toEqual(run.events);
          events += run.events?.length ?? 0;
          sales += run.events?.filter((e) => e.kind === 'sell').length ?? 0;
          harvests += run.harvests.length;
        });
        expect(f, r.spec.id).toEqual(r);
      });
      expect(summaries[0]).toEqual(summaries[1]);
      // The comparison covers real work: many sales, harvests under every harvesting strategy.
      expect(events).toBeGreaterThan(minimum.events);
      expect(sales).toBeGreaterThan(minimum.sales);
      expect(harvests).toBeGreaterThan(minimum.harvests);
    });
  }
});
