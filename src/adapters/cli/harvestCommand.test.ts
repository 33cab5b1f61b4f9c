/**
 * `lotsmith harvest` on the example household at the April 2025 low, at real closes: the orders,
 * every loss's verdict with its reason, and clear errors for incomplete cases.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lotsmith } from './testIo.test-util.js';

const CASE = 'examples/households/harvest-2025-04.json';

interface Json {
  orders: { side: string; account: string; symbol: string; rule: string }[];
  candidates: { account: string; symbol: string; verdict: string; why: string; economics: { net: number; benefit: number } | null }[];
  harvestBenefit: number;
}

describe('lotsmith harvest', () => {
  it('harvests the losses it may, into alternates on other indexes, and says why it leaves the others', async () => {
    const r = await lotsmith('harvest', '--input', CASE, '--date', '2025-04-08', '--format', 'json');
    expect(r.err).toBe('');
    const j = JSON.parse(r.out) as Json;
    const harvests = j.orders.filter((o) => o.rule === 'harvest').map((o) => `${o.account} ${o.symbol}`);
    expect(harvests).toEqual(['joint VTI', 'joint VEA', 'joint VIG']);
    expect(j.orders.filter((o) => o.rule === 'harvest_replacement').map((o) => o.symbol)).toEqual(['SCHB', 'SCHF', 'SCHD']);
    // VIG: harvesting today beats keeping the option for tomorrow by a few cents — enough.
    const vig = j.candidates.find((c) => c.symbol === 'VIG');
    expect(vig?.verdict).toBe('harvest');
    expect(vig?.economics?.net).toBeLessThan(100);
    const vwo = j.candidates.find((c) => c.symbol === 'VWO');
    expect(vwo?.verdict).toBe('recent_purchase_would_wash');
    expect(vwo?.why).toMatch(/bought 2025-03-28 in ira/);
    expect(j.candidates.find((c) => c.account === 'spouse')?.verdict).toBe('locked_by_account');
    for (const c of j.candidates.filter((x) => x.verdict === 'harvest')) expect(c.economics?.net).toBeGreaterThan(0);
    expect(j.harvestBenefit).toBeGreaterThan(5000);
    // No order buys a class sold at a loss today, in any account.
    const lossSold = new Set(j.orders.filter((o) => o.rule === 'harvest').map((o) => o.symbol));
    expect(j.orders.filter((o) => o.side === 'buy' && lossSold.has(o.symbol))).toEqual([]);
  });

  it('matches its golden report', async () => {
    const r = await lotsmith('harvest', '--input', CASE, '--date', '2025-04-08');
    const path = 'test/golden/harvest-2025-04-08.table.txt';
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, r.out);
    expect(r.out).toBe(readFileSync(path, 'utf8'));
  });

  it('raises a withdrawal without harvesting it twice', async () => {
    const r = await lotsmith('harvest', '--input', CASE, '--date', '2025-04-08', '--withdraw', 'spouse=5000', '--format', 'json');
    const j = JSON.parse(r.out) as Json & { notes: string[] };
    expect(j.notes).toContain('withdrawal of $5000.00 from spouse');
  });

  it('asks for the tax profile when the case has none, naming the file and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lotsmith-h-'));
    const doc = JSON.parse(readFileSync(CASE, 'utf8')) as Record<string, unknown>;
    delete doc['taxProfile'];
    writeFileSync(join(dir, 'case.json'), JSON.stringify(doc));
    const r = await lotsmith('harvest', '--input', join(dir, 'case.json'), '--date', '2025-04-08');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/case\.json, field taxProfile: the harvester needs the household tax profile/);
  });

  it('rejects targets for an unknown account and weights that do not sum to 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lotsmith-h-'));
    const doc = JSON.parse(readFileSync(CASE, 'utf8')) as Record<string, unknown>;
    doc['targets'] = { nope: { riskScore: 5 }, joint: { weights: { us_stocks: 0.5 } } };
    writeFileSync(join(dir, 'case.json'), JSON.stringify(doc));
    const r = await lotsmith('harvest', '--input', join(dir, 'case.json'), '--date', '2025-04-08');
    expect(r.err).toMatch(/field targets\.nope: unknown account "nope"/);
    expect(r.err).toMatch(/field targets\.joint: weights must sum to 1 \(got 0\.5\)/);
  });

  it('rejects a malformed --withdraw', async () => {
    const r = await lotsmith('harvest', '--input', CASE, '--date', '2025-04-08', '--withdraw', 'joint');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--withdraw: "joint" is not ACCOUNT=AMOUNT/);
  });
});
