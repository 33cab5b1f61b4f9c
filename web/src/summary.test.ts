import { describe, expect, it } from 'vitest';
import type { Disposition, Proposal, WashBlock } from './api.js';
import { balance, harvestTotals, harvestingYieldByYear, lossesByYear, washCalendar } from './summary.js';

const proposal = (over: Partial<Proposal>): Proposal => ({
  id: 'p', household: 'h', runDate: '2026-03-02', status: 'proposed', version: 1, benefit: '0', reason: null,
  orders: [], notes: [], candidates: [], ...over,
});

const harvest = (loss: string) => ({ account: 'taxable', symbol: 'VTI', lotId: 'l1', verdict: 'harvest', loss, why: '' });

describe('harvestTotals', () => {
  it('counts committed proposals of the year, and proposed ones as awaiting', () => {
    const t = harvestTotals([
      proposal({ status: 'filled', benefit: '350.10', candidates: [harvest('1000.05'), { ...harvest('99'), verdict: 'below_minimum' }] }),
      proposal({ status: 'approved', benefit: 0.2, candidates: [harvest('0.1')] }),
      proposal({ status: 'proposed', benefit: '999' }),
      proposal({ status: 'rejected', benefit: '999', candidates: [harvest('5000')] }),
      proposal({ status: 'filled', runDate: '2025-12-30', benefit: '999', candidates: [harvest('5000')] }),
    ], 2026);
    expect(t).toEqual({ harvestedLoss: 100015n, taxSaved: 35030n, committed: 2, awaiting: 1 });
  });
});

const sale = (dateSold: string, realizedGainLoss: number): Disposition => ({
  saleEventId: 's', account: 'a', symbol: 'VTI', lotId: 'l', shares: 1, dateSold, proceeds: 0, costBasis: 0,
  realizedGainLoss, disallowedLoss: 0, reportedGainLoss: realizedGainLoss, term: 'short',
});

describe('Harvesting Yield by year', () => {
  it('divides each year\'s realized losses by its beginning balance; gains do not offset', () => {
    const losses = lossesByYear([sale('2025-06-01', -500), sale('2024-02-01', -100.1), sale('2025-07-01', 800), sale('2025-08-01', -0.2)]);
    expect(losses).toEqual([{ year: 2024, loss: 10010n, sales: 1 }, { year: 2025, loss: 50020n, sales: 2 + 1 }]);
    const y = harvestingYieldByYear(losses, new Map([[2025, 1_000_000n]]));
    expect(y[0]?.harvestingYield).toBeNull();
    expect(y[1]?.harvestingYield).toBeCloseTo(0.05002, 12);
  });

  it('a balance is value plus cash, unknown when a lot has no price', () => {
    expect(balance([{ marketValue: 100.1 }, { marketValue: '0.2' }], { a: 5 })).toBe(10530n);
    expect(balance([{ marketValue: null }], {})).toBeNull();
  });
});

describe('wash-sale calendar', () => {
  const block = (account: string, symbol: string, blockedThrough: string): WashBlock => ({ account, symbol, blockedThrough, reason: 'r' });

  it('keeps blocks in force, soonest end first, with days left including today', () => {
    const rows = washCalendar([block('ira', 'VEA', '2026-03-20'), block('taxable', 'VTI', '2026-03-01'), block('joint', 'VEA', '2026-03-02'), block('ira', 'VTI', '2026-03-02')], '2026-03-02');
    expect(rows.map((r) => [r.account, r.symbol, r.daysLeft])).toEqual([['ira', 'VTI', 1], ['joint', 'VEA', 1], ['ira', 'VEA', 19]]);
  });
});
