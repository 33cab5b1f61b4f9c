/**
 * `lotsmith universe` in-process, against data/universe.json and real prices: the fixture (2020
 * onward), so the "data" column differs from the file's, which data/universe.json measured over
 * 2010-2024 on the full data set (that agreement is checked in core/securities/universe.test.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_UNIVERSE_FILE } from '../files/universeFile.js';
import { FIXTURE_PRICES } from '../files/testPrices.test-util.js';
import { lotsmith } from './testIo.test-util.js';

const prices = FIXTURE_PRICES;

interface JsonView {
  check: { ok: boolean; issues: string[] };
  classes: { id: string; volatility: { file: number; data: number | null }; securities: { symbol: string; prices: string | null }[]; correlations: { a: string; b: string; file: number | null; data: number | null; months: number | null }[] }[];
  riskScores: { riskScore: number; stocks: number }[];
}

describe('lotsmith universe', () => {
  it('prints every class with the file and the data side by side, the index history and the risk mapping', async () => {
    const r = await lotsmith('universe', '--prices', prices);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    // 21.70 %: VTI's daily volatility 2020-2024 (0.21696 in core/market/prices.test.ts).
    expect(r.out).toMatch(/US stocks \[us_stocks, stocks\]\s+expected return 6\.70 %\s+volatility 17\.53 % \(file\) \/ 21\.70 % \(data\)/);
    expect(r.out).toMatch(/│ VTI\/SCHB\s+│\s+0\.9997 │\s+0\.9999 │\s+59 │ 2020-02\.\.2024-12 │/);
    expect(r.out).toMatch(/│ tertiary\s+│ IEFA\s+│ iShares\s+│ MSCI EAFE Investable Market Index \(IMI\)\s+│ 0\.07 % │ 0\.6 bp\s+│ adj_only from 2020-01-02 │/);
    expect(r.out).toMatch(/│ VEA\/IEFA\s+│\s+0\.9980 │\s+0\.9984 │\s+59 │ 2020-02\.\.2024-12 │/);
    expect(r.out).toMatch(/│ XLE\/IYE\s+│\s+- │\s+- │/);
    expect(r.out).toContain('VTEB and MUB tracked the same index through 2021-09-14: not alternates before then.');
    expect(r.out).toMatch(/│ 8\s+│\s+30 %.*│\s+75 % │/);
  });

  it('gives the same in JSON, recomputed over another window on request', async () => {
    const r = await lotsmith('universe', '--prices', prices, '--format', 'json', '--through', '2022-12-31');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out) as JsonView;
    expect(v.check).toEqual({ ok: true, issues: [] });
    expect(v.classes).toHaveLength(9);
    const us = v.classes[0]!;
    expect(us.correlations[0]).toMatchObject({ a: 'VTI', b: 'SCHB', file: 0.9997, months: 35, from: '2020-02', to: '2022-12' });
    const energy = v.classes.find((c) => c.id === 'natural_resources')!;
    expect(energy.securities.map((s) => s.prices)).toEqual(['full', 'full', null]);
    expect(v.riskScores.map((p) => Math.round(p.stocks * 100))).toEqual([20, 31, 46, 60, 75, 90]);
  });

  it('exits 1 (missing data, as every command) with both ways to supply prices when --prices is not a directory', async () => {
    const r = await lotsmith('universe', '--prices', join(tmpdir(), 'no-such-prices-dir'));
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/--prices: ".*no-such-prices-dir" is not a directory/);
    expect(r.err).toContain('export LOTSMITH_PRICES=DIR');
  });

  it('shows a universe that pairs two funds on one index, and fails the check', async () => {
    const doc = JSON.parse(readFileSync(DEFAULT_UNIVERSE_FILE, 'utf8')) as { classes: { securities: Record<string, unknown>[] }[] };
    const bonds = doc.classes[6]!.securities;
    bonds.push({ ...bonds[1], symbol: 'SCHZ', name: 'Schwab U.S. Aggregate Bond ETF', issuer: 'Schwab', priceData: false });
    const file = join(mkdtempSync(join(tmpdir(), 'lotsmith-ucli-')), 'universe.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = await lotsmith('universe', '--file', file, '--prices', prices);
    expect(r.code).toBe(1);
    expect(r.out).toContain('SCHZ');
    expect(r.err).toContain(`error: ${file}, field classes[6].securities[3].index: SCHZ and AGG both track Bloomberg US Aggregate Bond Index: substantially identical, not alternates [BAD_VALUE]`);
  });

  it('reports a bad price file by file, row and field, notes missing ones, and still prints the universe', async () => {
    const own = mkdtempSync(join(tmpdir(), 'lotsmith-uprices-'));
    const vti = readFileSync(join(prices, 'VTI.csv'), 'utf8').split('\n').slice(0, 30);
    vti[3] = vti[3]!.replace(/^2020-01-06/, '2020-01-32');
    writeFileSync(join(own, 'VTI.csv'), vti.join('\n'));
    const r = await lotsmith('universe', '--prices', own);
    expect(r.code).toBe(1);
    expect(r.out).toContain('US stocks [us_stocks, stocks]');
    expect(r.err).toContain(`error: ${join(own, 'VTI.csv')}, row 4, field date: "2020-01-32" is not a date in YYYY-MM-DD form [BAD_DATE]`);
    expect(r.err).toContain(`note: ${join(own, 'SCHB.csv')}: no price file SCHB.csv in ${own} [UNKNOWN_SECURITY]`);
    expect(r.err).not.toContain('IYE.csv');
  });

  it('rejects an unknown format and a bad date as usage errors', async () => {
    expect((await lotsmith('universe', '--prices', prices, '--format', 'csv')).code).toBe(2);
    expect((await lotsmith('universe', '--prices', prices, '--through', '2024-13-01')).err).toMatch(/--through: "2024-13-01" is not a date/);
  });
});
