/**
 * The direct-index backtest with a mixed allocation on the repo's fixtures: every account of the
 * direct family holds 70 % direct index and 30 % bond funds in one account, the ETF comparator
 * 70 % US-stock funds and the same 30 %. The ledger re-books every history without a wash sale or
 * a difference, the mixed accounts end near their split, and their funds are the bond class's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { accountId, type Symbol } from '../ledger/household.js';
import { book } from '../ledger/booking.js';
import type { PriceBook, PriceSeries } from '../market/prices.js';
import { SLEEVE_TARGET } from '../harvest/sleevePart.js';
import { StoppingTables } from '../harvest/stopping/opportunityCost.js';
import { loadPriceBook, SAMPLE_PRICES } from '../../adapters/files/priceDirectory.js';
import { loadQpSolver } from '../../adapters/solver/highsQp.js';
import { prepareDirectBacktest, runDirectAccount, summarizeDirect, type PreparedDirectBacktest } from './directBacktest.js';
import { fixtureBook, fixtureSpec } from './directBacktest.test-util.js';
import { DIRECT_STRATEGIES, directHousehold, directRun } from './directRun.js';
import type { QpSolver } from './qp.js';

const BONDS = ['BND', 'AGG', 'VCIT'];
let solver: QpSolver;
let p: PreparedDirectBacktest;

beforeAll(async () => {
  solver = await loadQpSolver({ timeLimitSeconds: 5 });
  const base = fixtureBook();
  const bonds = loadPriceBook(SAMPLE_PRICES, { symbols: BONDS }).book;
  const prices: PriceBook = { series: new Map<Symbol, PriceSeries>([...base.series, ...bonds.series]), ambiguous: new Map() };
  const prepared = prepareDirectBacktest({ ...fixtureSpec(2, prices), targets: new Map([[SLEEVE_TARGET, 0.7], ['us_bonds', 0.3]]) }, solver, new StoppingTables());
  if (!prepared.ok) throw new Error(JSON.stringify(prepared.issues));
  p = prepared.value;
});

describe('a mixed direct-index backtest (70 % direct index, 30 % bond funds; fixture)', () => {
  it('books every history without a wash sale or a difference; the comparator holds the same bonds beside US-stock funds', () => {
    const r = summarizeDirect(p, p.accounts.map((a) => runDirectAccount(p, a)));
    for (const s of r.strategies) {
      expect(s.verified, s.id).toBe(2);
      expect(s.washSales, s.id).toBe(0);
      expect(s.mismatches, s.id).toEqual([]);
    }
    expect([...r.etfFunds].sort()).toEqual(['AGG', 'BND', 'ITOT', 'SCHB', 'VCIT', 'VTI']);
    expect(r.harvestRisk.beyondBudget).toBe(0);
  });

  it('keeps each harvested account near 70 / 30, the 30 % in the bond class, harvesting stocks', () => {
    const end = p.direct.end;
    for (const spec of p.accounts) {
      const run = directRun(p.direct, spec, DIRECT_STRATEGIES[1] as (typeof DIRECT_STRATEGIES)[number]);
      const household = directHousehold(p.direct, spec, { id: accountId(spec.id), type: 'taxable', owner: 'self' });
      const ledger = book(household, run.events ?? []);
      if (!ledger.ok) throw new Error(JSON.stringify(ledger.issues));
      let stocks = 0;
      let funds = 0;
      for (const lot of ledger.value.openLots) {
        const mark = (p.direct.marks[p.direct.data.symbolIndex.get(lot.symbol) as number] as Float64Array)[end] as number;
        const value = (lot.shares / 1e6) * mark;
        if (BONDS.includes(lot.symbol)) funds += value;
        else stocks += value;
      }
      expect(funds, spec.id).toBeGreaterThan(0);
      expect(Math.abs(stocks / (stocks + funds) - 0.7), spec.id).toBeLessThan(0.06);
      expect(run.reports.length, spec.id).toBeGreaterThan(0);
    }
  });
});
