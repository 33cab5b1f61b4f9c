/** `lotsmith direct backtest` in-process on the repository's samples (test/fixtures/sp500, the market fixture). */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_INDEX } from '../files/indexDirectory.js';
import { FIXTURE_PRICES } from '../files/testPrices.test-util.js';
import { PACKAGE_ROOT } from '../files/priceDirectory.js';
import { lotsmith } from './testIo.test-util.js';

const CONFIG = join(PACKAGE_ROOT, 'test', 'fixtures', 'direct-backtest.json');
const base = ['direct', 'backtest', '--index', SAMPLE_INDEX, '--prices', FIXTURE_PRICES, '--quiet'];

function configWith(change: (doc: Record<string, unknown>) => void): string {
  const doc = JSON.parse(readFileSync(CONFIG, 'utf8')) as Record<string, unknown>;
  change(doc);
  const file = join(mkdtempSync(join(tmpdir(), 'lotsmith-direct-')), 'config.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe('lotsmith direct backtest', () => {
  it('runs the four strategies on the same client and writes the report directory', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lotsmith-direct-report-'));
    const r = await lotsmith(...base, '--config', CONFIG, '-o', out, '--format', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out) as { accounts: number; strategies: { id: string; washSales: number; verified: number }[] };
    expect(v.accounts).toBe(1);
    expect(v.strategies.map((s) => s.id)).toEqual(['direct_none', 'direct_cost_benefit', 'none', 'daily_cost_benefit']);
    for (const s of v.strategies) expect([s.washSales, s.verified]).toEqual([0, 1]);
    for (const f of ['summary.md', 'strategies.csv', 'vintages.csv', 'accounts.csv', 'harvests.csv', 'results.json']) expect(readFileSync(join(out, f), 'utf8').length).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('Chaudhuri, Burnham & Lo (2020)');
  }, 600_000);

  it('runs a mixed allocation (70 % direct index, 30 % bond funds in one account) beside the same mix with a US-stock fund', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lotsmith-direct-mixed-'));
    const r = await lotsmith(...base, '--config', join(PACKAGE_ROOT, 'test', 'fixtures', 'direct-backtest-mixed.json'), '-o', out, '--format', 'json');
    expect([r.code, r.err]).toEqual([0, '']);
    const v = JSON.parse(r.out) as { allocation: unknown; etfFunds: string[]; strategies: { washSales: number; verified: number }[] };
    expect(v.allocation).toEqual({ targets: { direct_index: 0.7, us_bonds: 0.3 }, etfClass: 'us_stocks' });
    expect(v.etfFunds).toEqual(['VTI', 'SCHB', 'ITOT', 'BND', 'AGG', 'VCIT']);
    for (const s of v.strategies) expect([s.washSales, s.verified]).toEqual([0, 1]);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('every account direct_index 70.00 %, us_bonds 30.00 % in one account');
    const noIndex = await lotsmith(...base, '--config', configWith((d) => (d['targets'] = { us_bonds: 1 })));
    expect([noIndex.code, noIndex.err]).toEqual([1, expect.stringContaining('targets.direct_index: a mixed allocation weighs the direct index as "direct_index"')]);
    const unknown = await lotsmith(...base, '--config', configWith((d) => (d['targets'] = { direct_index: 0.7, bonds: 0.3 })));
    expect([unknown.code, unknown.err]).toEqual([1, expect.stringContaining('targets.bonds: no asset class "bonds" in the universe')]);
    const sum = await lotsmith(...base, '--config', configWith((d) => (d['targets'] = { direct_index: 0.7, us_bonds: 0.2 })));
    expect([sum.code, sum.err]).toEqual([1, expect.stringContaining('targets: the weights must sum to 1')]);
  }, 600_000);

  it('refuses a bad config field, an unknown ticker, a window without prices and infeasible bounds, naming the field (exit 1)', async () => {
    const field = await lotsmith(...base, '--config', configWith((d) => ((d['direct'] as Record<string, unknown>)['maxWeigth'] = 0.1)));
    expect(field.code).toBe(1);
    expect(field.err).toContain('direct');
    expect(field.err).toContain('maxWeigth');
    const ticker = await lotsmith(...base, '--config', configWith((d) => ((d['direct'] as Record<string, unknown>)['excludeSymbols'] = ['AAPL', 'ZZZZ'])));
    expect(ticker.code).toBe(1);
    expect(ticker.err).toContain('unknown ticker ZZZZ');
    expect(ticker.err).toContain('direct.excludeSymbols[1]');
    const early = await lotsmith(...base, '--config', CONFIG, '--from', '2005-01-03', '--to', '2005-12-30');
    expect(early.code).toBe(1);
    expect(early.err).toContain('fewer than two trading days');
    const tight = await lotsmith(...base, '--config', CONFIG, '--names', '5');
    expect(tight.code).toBe(1);
    expect(tight.err).toContain('infeasible bounds');
    expect(tight.err).toContain('direct.maxWeight');
  });

  it('exits 2 on a bad flag value', async () => {
    expect((await lotsmith(...base, '--accounts', 'many')).code).toBe(2);
    expect((await lotsmith(...base, '--from', '2020-13-40')).code).toBe(2);
    expect((await lotsmith(...base, '--format', 'xml')).code).toBe(2);
  });
});
