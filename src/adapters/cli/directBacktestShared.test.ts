/**
 * `lotsmith direct backtest` on the shared S&P 500 data set (skipped when ../shared/data/sp500 is
 * absent, as on a fresh clone): one account from 2019 with 50 names, the default config otherwise.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../files/priceDirectory.js';
import { lotsmith } from './testIo.test-util.js';

const INDEX = join(PACKAGE_ROOT, '..', 'shared', 'data', 'sp500');
const PRICES = join(PACKAGE_ROOT, '..', 'shared', 'data', 'prices');

describe.skipIf(!existsSync(INDEX) || !existsSync(PRICES))('lotsmith direct backtest on the shared S&P 500 data', () => {
  it('runs an account of 50 names from 2019 with no wash sale, every harvest within the budget', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lotsmith-direct-shared-'));
    const r = await lotsmith('direct', 'backtest', '--index', INDEX, '--prices', PRICES, '--from', '2019-01-02', '--accounts', '1', '--names', '50', '-o', out, '--format', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out) as { stocks: number; strategies: { id: string; washSales: number; verified: number; lots: number; harvestedPerYear: number }[]; harvestRisk: { beyondBudget: number } };
    expect(v.stocks).toBeGreaterThan(500);
    for (const s of v.strategies) expect([s.id, s.washSales, s.verified]).toEqual([s.id, 0, 1]);
    expect(v.harvestRisk.beyondBudget).toBe(0);
    const direct = v.strategies.find((s) => s.id === 'direct_cost_benefit');
    expect(direct?.lots).toBeGreaterThan(50);
    expect(direct?.harvestedPerYear).toBeGreaterThan(0);
  }, 1_200_000);
});
