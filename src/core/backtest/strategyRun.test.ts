/**
 * The fast day loop (strategyRun.ts) against the reference loop (referenceRun.ts), which rebuilds
 * the household's state and asks `screen` every day: a few hundred accounts on real prices through
 * 2022's falls and recoveries, under strategies with every kind of trigger and schedule, must give
 * the same ledger events (every deposit, dividend, fee, sale with its lots and fill, purchase), the
 * same years, harvests, values, tuning runs and hindsight bound — and so the same summary, to the
 * cent; and again on prices where one asset class cannot trade for months, so accounts phase it in.
 */
import { describe, expect, it } from 'vitest';
import { FIXTURE_PRICES } from '../../adapters/files/testPrices.test-util.js';
import { loadPriceBook } from '../../adapters/files/priceDirectory.js';
import { parseDay, type Day } from '../kernel/calendar.js';
import type { Usd } from '../kernel/exact.js';
import { prepareBacktest, simulateSlice, summarize, type BacktestSpec } from './backtest.js';
import type { AccountRun } from './simulation.js';
import { DEFAULT_STRATEGIES } from './strategies.js';
import { startingOn, testSpec } from './testBacktest.test-util.js';

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

type Prepared = Extract<ReturnType<typeof prepareBacktest>, { ok: true }>['value'];

function prepared(s: BacktestSpec, prices = book): Prepared {
  const p = prepareBacktest({ ...s, population: { ...s.population, profileWeights: [2, 1] } }, prices);
  if (!p.ok) throw new Error(JSON.stringify(p.issues));
  return p.value;
}

const on = (p: Prepared, path: 'fast' | 'reference'): Prepared => ({ ...p, ctx: { ...p.ctx, path, keepEvents: true } });

/** Runs accounts [from, to) both ways and compares them; returns what was compared. */
function compareSlice(p: Prepared, from: number, to: number, out: { fast: AccountRun[]; reference: AccountRun[] }): { events: number; sales: number; harvests: number } {
  const fast = simulateSlice(on(p, 'fast'), from, to);
  const reference = simulateSlice(on(p, 'reference'), from, to);
  let events = 0;
  let sales = 0;
  let harvests = 0;
  reference.forEach((r, i) => {
    const f = fast[i] as AccountRun;
    r.runs.forEach((run, k) => {
      expect(f.runs[k]?.events, `${r.spec.id} ${run.strategy}: events`).toEqual(run.events);
      events += run.events?.length ?? 0;
      sales += run.events?.filter((e) => e.kind === 'sell').length ?? 0;
      harvests += run.harvests.length;
    });
    expect(f, r.spec.id).toEqual(r);
  });
  out.fast.push(...fast);
  out.reference.push(...reference);
  return { events, sales, harvests };
}

const SLICE = 20;

describe('the fast day loop equals the reference loop', () => {
  for (const [taxFlows, accounts, minimum] of [
    ['external', 200, { events: 100_000, sales: 10_000, harvests: 5_000 }],
    ['reinvest', 50, { events: 30_000, sales: 3_000, harvests: 1_500 }],
  ] as const) {
    describe(`${accounts} accounts, 4 strategies, taxes ${taxFlows}`, () => {
      let p: Prepared | undefined;
      const runs = { fast: [] as AccountRun[], reference: [] as AccountRun[] };
      const seen = { events: 0, sales: 0, harvests: 0 };
      for (let from = 0; from < accounts; from += SLICE) {
        const to = Math.min(from + SLICE, accounts);
        it(`accounts ${from + 1}-${to}: every event, year and figure`, async () => {
          // A turn of the event loop between long slices lets the runner's messages through.
          await new Promise((resolve) => setTimeout(resolve, 0));
          p ??= prepared(spec(taxFlows, accounts));
          const c = compareSlice(p, from, to, runs);
          seen.events += c.events;
          seen.sales += c.sales;
          seen.harvests += c.harvests;
        });
      }
      it('the same summary, to the cent, over real work', () => {
        if (p === undefined) throw new Error('no slice ran');
        expect(runs.fast).toHaveLength(accounts);
        expect(summarize(on(p, 'fast'), runs.fast)).toEqual(summarize(on(p, 'reference'), runs.reference));
        // Many sales, and harvests under every harvesting strategy.
        expect(seen.events).toBeGreaterThan(minimum.events);
        expect(seen.sales).toBeGreaterThan(minimum.sales);
        expect(seen.harvests).toBeGreaterThan(minimum.harvests);
      });
    });
  }

  it('with an asset class that cannot trade until mid-2022: 20 accounts phase it in the same way', () => {
    // The emerging-markets funds' rows before 2022-06-01 cut: accounts opened earlier in 2022 start without the class.
    const cut = parseDay('2022-06-01') as Day;
    const p = prepared(spec('external', 20), startingOn(book, ['VWO', 'SCHE', 'IEMG'], cut));
    expect(p.accounts.filter((a) => (p.ctx.data.days[a.start] as Day) < cut).length).toBeGreaterThan(5);
    const runs = { fast: [] as AccountRun[], reference: [] as AccountRun[] };
    const c = compareSlice(p, 0, 20, runs);
    expect(summarize(on(p, 'fast'), runs.fast)).toEqual(summarize(on(p, 'reference'), runs.reference));
    expect(c.sales).toBeGreaterThan(100);
  });
});
