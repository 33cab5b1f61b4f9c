/**
 * The transition's path through the direct backtest's day loop on the repository's 32-stock 2020
 * sample (runs on a fresh clone): an account arriving with 40 % of its value in low-basis MSFT on
 * the eve of the March 2020 crash, a $30,000 yearly budget, harvested daily and never.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDay, type Day } from '../kernel/calendar.js';
import type { Usd } from '../kernel/exact.js';
import { symbol } from '../ledger/household.js';
import { StoppingTables } from '../harvest/stopping/opportunityCost.js';
import { checkProperty } from '../kernel/property.test-util.js';
import { loadQpSolver } from '../../adapters/solver/highsQp.js';
import { prepareDirectBacktest, type PreparedDirectBacktest } from './directBacktest.js';
import { fixtureSpec } from './directBacktest.test-util.js';
import { arrivalSpec, runTransition, type Arrival, type TransitionOutcome } from './transitionPath.js';

const day = (s: string): Day => parseDay(s) as Day;
const BUDGET = 3_000_000 as Usd;

let p: PreparedDirectBacktest;
let outcome: TransitionOutcome;

const arrival: Arrival = {
  symbol: symbol('MSFT'),
  share: 0.4,
  basisFraction: 0.1,
  acquired: day('2012-06-01'),
  value: 100_000_000 as Usd,
  start: day('2020-03-02'),
  profile: 0,
};

beforeAll(async () => {
  const solver = await loadQpSolver({ timeLimitSeconds: 5 });
  const spec = fixtureSpec(1);
  // A short window and 12 names keep the two runs to seconds.
  const prepared = prepareDirectBacktest(
    { ...spec, to: day('2020-07-31'), population: { ...spec.population, vintages: [2020], startDay: 'first_trading_day' }, model: { ...spec.model, construction: { ...spec.model.construction, names: 12 } } },
    solver,
    new StoppingTables(),
  );
  if (!prepared.ok) throw new Error(JSON.stringify(prepared.issues));
  p = prepared.value;
  const r = runTransition(p, arrival, BUDGET);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  outcome = r.value;
}, 300_000);

describe('the transition path (fixture)', () => {
  it('moves the position in as one long-term lot at its basis and the rest as cash', () => {
    const lot = outcome.spec.initialLots?.[0];
    const price = (p.direct.data.close[p.direct.data.symbolIndex.get(symbol('MSFT')) as number] as Float64Array)[outcome.spec.start] as number;
    expect(lot?.shares).toBe(Math.floor((1_000_000 * 0.4) / price) * 1e6);
    const position = Math.round(outcome.shares * price * 100);
    expect(lot?.basis).toBe(Math.round(position * 0.1));
    expect(outcome.spec.initialDeposit + position).toBe(100_000_000);
  });

  it("keeps each year within the budget: gains at most the budget plus the losses, beyond it only by fee sales on days without room", () => {
    for (const path of outcome.paths) {
      expect(path.years.length, path.strategy).toBeGreaterThan(0);
      for (const y of path.years) {
        const at = `${path.strategy} ${y.year}`;
        expect(y.netRealized, at).toBe(y.gains - y.losses);
        expect(y.transitionGain, at).toBeGreaterThan(0);
        // Only the quarterly fee's sales on a day the budget had no room left may pass it (recorded).
        expect(y.gains, at).toBeLessThanOrEqual(BUDGET + y.losses + y.withdrawalOverrun);
        expect(y.withdrawalOverrun, at).toBeLessThanOrEqual(y.fees);
      }
      for (const r of path.reports) if (r.gain > 0) expect(r.realizedBefore + r.gain, `${path.strategy} ${r.date}`).toBeLessThanOrEqual(BUDGET);
    }
    // Harvesting off: no harvests, and the budget is what bounds the year.
    const never = outcome.paths.find((x) => !x.harvest);
    expect(never?.years.every((y) => y.harvested === 0)).toBe(true);
  });

  it('lowers the concentrated weight and tracking error, without a wash sale', () => {
    for (const path of outcome.paths) {
      const last = path.years.at(-1);
      expect(last?.shares, path.strategy).toBeLessThan(outcome.shares);
      expect(last?.exAnteTrackingError).toBeGreaterThan(0);
      expect(last?.realizedTrackingError).toBeGreaterThan(0);
      expect(path.washSales, path.strategy).toBe(0);
      expect(path.mismatches, path.strategy).toEqual([]);
    }
  });

  it('transitions at least as fast with harvesting: the crash losses pay for more of the gain', () => {
    const [harvested, never] = outcome.paths;
    expect(harvested?.harvest).toBe(true);
    expect(never?.harvest).toBe(false);
    harvested?.years.forEach((y, k) => {
      const n = never?.years[k];
      expect(y.weight).toBeLessThanOrEqual((n?.weight ?? 0) + 1e-9);
      expect(y.shares).toBeLessThan(n?.shares ?? 0);
      // MSFT rose 30 % from March to July: only the harvested run's sales outpaced it.
      expect(y.weight).toBeLessThan(0.4);
      expect(y.transitionGain).toBeGreaterThanOrEqual(n?.transitionGain ?? 0);
      expect(y.harvested).toBeGreaterThan(0);
    });
  });

  it('refuses a bad arrival, naming the field', () => {
    const ctx = p.direct;
    const field = (a: Partial<Arrival>): string | undefined => {
      const r = arrivalSpec(ctx, { ...arrival, ...a });
      return r.ok ? undefined : `${r.issues[0]?.at.field}: ${r.issues[0]?.message}`;
    };
    expect(field({ symbol: symbol('ZZZZ') })).toMatch(/^position: unknown ticker ZZZZ/);
    expect(field({ symbol: symbol('M'), start: day('2020-05-01') })).toMatch(/^position: M is not a member of the index on 2020-05-01/);
    expect(field({ share: 1.4 })).toMatch(/^position: .*\(0, 1\]/);
    expect(field({ share: 0 })).toMatch(/^position:/);
    expect(field({ basisFraction: -0.1 })).toMatch(/^basisFraction:/);
    expect(field({ acquired: day('2020-03-02') })).toMatch(/^acquired:/);
    expect(field({ start: day('2020-08-03') })).toMatch(/^from: no trading day/);
    expect(field({})).toBeUndefined();
  });

  it('property: any arrival keeps the budget rule day by day and year by year, and washes no loss', () => {
    const days = ['2020-03-02', '2020-03-16', '2020-04-01', '2020-05-01'];
    checkProperty(
      fc.property(
        fc.constantFrom('MSFT', 'AAPL', 'JNJ', 'XOM'),
        fc.integer({ min: 15, max: 60 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 80 }),
        fc.constantFrom(...days),
        (ticker, sharePct, basisPct, budgetK, start) => {
          const budget = (budgetK * 100_000) as Usd;
          const r = runTransition(p, { ...arrival, symbol: symbol(ticker), share: sharePct / 100, basisFraction: basisPct / 100, start: day(start) }, budget);
          if (!r.ok) throw new Error(JSON.stringify(r.issues));
          for (const path of r.value.paths) {
            expect(path.washSales, path.strategy).toBe(0);
            expect(path.mismatches, path.strategy).toEqual([]);
            for (const rep of path.reports) if (rep.gain > 0) expect(rep.realizedBefore + rep.gain).toBeLessThanOrEqual(budget);
            for (const y of path.years) {
              expect(y.gains, `${path.strategy} ${y.year}`).toBeLessThanOrEqual(budget + y.losses + y.withdrawalOverrun);
              expect(y.shares).toBeLessThanOrEqual(r.value.shares);
            }
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 300_000);
});
