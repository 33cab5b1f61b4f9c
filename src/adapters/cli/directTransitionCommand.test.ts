/** `lotsmith direct transition` in-process on the repository's samples (test/fixtures/sp500, the market fixture). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_INDEX } from '../files/indexDirectory.js';
import { FIXTURE_PRICES } from '../files/testPrices.test-util.js';
import { PACKAGE_ROOT } from '../files/priceDirectory.js';
import { lotsmith } from './testIo.test-util.js';

const CONFIG = join(PACKAGE_ROOT, 'test', 'fixtures', 'direct-backtest.json');
const base = ['direct', 'transition', '--config', CONFIG, '--index', SAMPLE_INDEX, '--prices', FIXTURE_PRICES, '--names', '12', '--to', '2020-05-29'];

describe('lotsmith direct transition', () => {
  it('prints the path per year, harvested and not', async () => {
    const r = await lotsmith(...base, '--position', 'MSFT:0.4', '--from', '2020-03-02', '--gain-budget', '30000', '--format', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out) as { symbol: string; paths: { harvest: boolean; washSales: number; years: { year: number; netRealized: number }[] }[] };
    expect(v.symbol).toBe('MSFT');
    expect(v.paths.map((p) => p.harvest)).toEqual([true, false]);
    for (const p of v.paths) {
      expect(p.washSales).toBe(0);
      expect(p.years.map((y) => y.year)).toEqual([2020]);
    }
    const table = await lotsmith(...base, '--position', 'MSFT:0.4', '--from', '2020-03-02', '--gain-budget', '30000');
    expect(table.code).toBe(0);
    expect(table.out).toContain('MSFT, harvested daily (cost-benefit)');
    expect(table.out).toContain('MSFT, never harvested');
    expect(table.out).toContain('ex-ante TE');
  }, 300_000);

  it('refuses an unknown ticker, a stock out of the index, bad fractions and bad dates, naming the flag (exit 1)', async () => {
    const cases: [string[], string][] = [
      [['--position', 'ZZZZ:0.4', '--from', '2020-03-02'], 'field --position: unknown ticker ZZZZ'],
      [['--position', 'M:0.4', '--from', '2020-05-01'], 'field --position: M is not a member of the index on 2020-05-01'],
      [['--position', 'MSFT:1.5', '--from', '2020-03-02'], 'field --position'],
      [['--position', 'MSFT:0.4', '--basis-fraction', '1.2', '--from', '2020-03-02'], 'field --basis-fraction'],
      [['--position', 'MSFT:0.4', '--acquired', '2020-04-01', '--from', '2020-03-02'], 'field --acquired'],
      [['--position', 'MSFT:0.4', '--from', '2020-03-02', '--profile', 'nobody'], 'field --profile: unknown profile "nobody"'],
      [['--position', 'MSFT:0.4', '--from', '2021-03-01'], 'field --to: the window ends before it starts'],
    ];
    for (const [args, message] of cases) {
      const r = await lotsmith(...base, ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err, args.join(' ')).toContain(message);
    }
  }, 300_000);

  it('refuses bad flag syntax (exit 2)', async () => {
    for (const args of [
      ['--position', 'MSFT', '--from', '2020-03-02'],
      ['--position', 'MSFT:forty', '--from', '2020-03-02'],
      ['--position', 'MSFT:0.4', '--from', '2020-3-2'],
      ['--position', 'MSFT:0.4', '--from', '2020-03-02', '--gain-budget', 'lots'],
      ['--position', 'MSFT:0.4', '--from', '2020-03-02', '--format', 'xml'],
    ]) {
      const r = await lotsmith(...base, ...args);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });
});
