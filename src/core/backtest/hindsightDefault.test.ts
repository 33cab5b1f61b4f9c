/**
 * The hindsight bound over the default run's population (data/backtest-default.json on the full
 * shared prices, 150 accounts, 2010-2026): on every account it is at least what every strategy
 * harvested, the tuning thresholds' runs included, and at most what the baseline bought. Skipped
 * where the machine has no full price directory ($LOTSMITH_PRICES or ../shared/data/prices).
 *
 * One run serves every assertion, in this thread with the ledger's re-booking off (not what is
 * tested here): the worker pool's threads load the compiled modules, which a test does not have,
 * and the runs do not depend on the number of workers (backtestCommand.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fullPriceDir } from '../../adapters/files/testPrices.test-util.js';
import { setupBacktest } from '../../adapters/workers/backtestSetup.js';
import { usdOf } from '../kernel/exact.js';
import { simulateSlice } from './backtest.js';
import type { AccountRun } from './simulation.js';

const prices = fullPriceDir();
const loss = (hs: readonly { short: number; long: number }[]): number => hs.reduce((s, h) => s + h.short + h.long, 0);

describe.skipIf(prices === undefined)('the hindsight bound on the default population (full shared prices)', () => {
  const runs: AccountRun[] = [];

  beforeAll(async () => {
    const setup = setupBacktest({ pricesDir: prices as string, overrides: { verify: false } });
    if (!setup.ok) throw new Error(JSON.stringify(setup.issues));
    const prepared = { ...setup.value.prepared, ctx: { ...setup.value.prepared.ctx, keepEvents: true } };
    // One account at a time, yielding between them: minutes of synchronous work would starve the
    // test runner's messages to its worker and fail the run.
    for (let i = 0; i < prepared.accounts.length; i++) {
      runs.push(...simulateSlice(prepared, i, i + 1));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }, 3_600_000);

  it('covers the whole default population', () => {
    expect(runs.length).toBe(150);
  });

  it('is never below what any strategy (or tuning threshold) harvested from any account', () => {
    const above: string[] = [];
    for (const a of runs) {
      const bound = loss(a.hindsight.harvests);
      for (const r of a.runs) if (loss(r.harvests) > bound) above.push(`${a.spec.id} ${r.strategy}: harvested ${loss(r.harvests)} c > bound ${bound} c`);
      for (const x of a.tuning) if (loss(x.harvests) > bound) above.push(`${a.spec.id} daily ${x.fraction * 100} %: harvested ${loss(x.harvests)} c > bound ${bound} c`);
    }
    expect(above, above.join('\n')).toEqual([]);
  });

  it('is never above what the baseline bought on any account', () => {
    const over: string[] = [];
    for (const a of runs) {
      const bought = (a.runs[0]?.events ?? []).reduce((s, e) => s + (e.kind === 'buy' ? usdOf(e.shares, e.price) : 0), 0);
      const bound = loss(a.hindsight.harvests);
      if (bound > a.hindsight.purchases || Math.abs(a.hindsight.purchases - bought) > bought * 1e-6 + 100) {
        over.push(`${a.spec.id}: bound ${bound} c, tranches' cost ${a.hindsight.purchases} c, baseline's buys ${bought} c`);
      }
    }
    expect(over, over.join('\n')).toEqual([]);
  });
});
