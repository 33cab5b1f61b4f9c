/**
 * `lotsmith harvest` on the example household at the April 2025 low, at real closes (the fixture
 * in test/fixtures/market): the orders, every loss's verdict with its reason, prices in the day's
 * share units, and clear errors for incomplete cases and dates without closes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dayFromCivil } from '../../core/kernel/calendar.js';
import { FIXTURE_PRICES } from '../files/testPrices.test-util.js';
import { runCli } from './program.js';
import { captureIo, lotsmith } from './testIo.test-util.js';

const CASE = 'examples/households/harvest-2025-04.json';

interface Json {
  orders: { side: string; account: string; symbol: string; rule: string; price: number; shares: number; amount?: number }[];
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

  it('buys at the day\'s as-traded price: XLE at $76.44 on 2025-04-08, before its 2:1 split of 2025-12-04 ($38.22 split-adjusted)', async () => {
    const r = await lotsmith('harvest', '--input', CASE, '--date', '2025-04-08', '--format', 'json');
    const xle = (JSON.parse(r.out) as Json).orders.find((o) => o.symbol === 'XLE');
    expect(xle && [xle.side, xle.price]).toEqual(['buy', 76.44]);
    expect(Math.abs((xle?.shares ?? 0) * 76.44 - (xle?.amount ?? 0))).toBeLessThan(0.01);
  });

  it('uses Friday\'s closes on a Saturday and says so', async () => {
    const r = await lotsmith('harvest', '--input', CASE, '--date', '2025-04-12', '--format', 'json');
    expect(r.code).toBe(0);
    expect(r.err).toBe('lotsmith: note: 2025-04-12 is a Saturday: using the closes of Friday 2025-04-11\n');
  });

  it('has no closes for today when the data ends before it: says so, how to pick a date, and exits 1', async () => {
    const c = captureIo({ LOTSMITH_PRICES: FIXTURE_PRICES }, dayFromCivil(2026, 8, 3));
    const code = await runCli(['harvest', '--input', CASE], c.io);
    expect(code).toBe(1);
    expect(c.out()).toBe('');
    expect(c.err()).toBe(
      'lotsmith: no --date was given, so the date is today (2026-08-03); pass --date YYYY-MM-DD for a day the price data covers\n' +
        `error: ${FIXTURE_PRICES}: no closes for Monday 2026-08-03: the price data ends on Monday 2026-07-13 [NO_CLOSES]\n` +
        'lotsmith: 1 problem found; nothing was applied.\n',
    );
    const before = await lotsmith('harvest', '--input', CASE, '--date', '2019-06-03');
    expect(before.code).toBe(1);
    expect(before.err).toContain('no closes for Monday 2019-06-03: the price data starts on Thursday 2020-01-02 [NO_CLOSES]');
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
