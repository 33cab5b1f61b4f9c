/**
 * `lotsmith backtest` end to end: a small real run writes its report and prints JSON; worker
 * threads give exactly the results of one thread; missing prices and bad configs are clear errors.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PRICES, fullPriceDir } from '../files/testPrices.test-util.js';
import { runCli } from './program.js';
import { captureIo, lotsmith } from './testIo.test-util.js';

const dir = mkdtempSync(join(tmpdir(), 'lotsmith-backtest-'));
const SMALL = ['--accounts', '3', '--from', '2020-01-02', '--to', '2021-06-30', '--quiet', '--format', 'json'];

type Results = { metrics: Record<string, unknown>; run: Record<string, unknown> };

describe('lotsmith backtest', () => {
  it('runs a small backtest on real prices, writes the report and prints the results', async () => {
    const out = join(dir, 'one');
    const r = await lotsmith('backtest', ...SMALL, '--workers', '1', '--out', out);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Results;
    expect(Object.keys(j.metrics)).toEqual(expect.arrayContaining(['cohorts', 'capture', 'washSales']));
    for (const f of ['report.html', 'results.json', 'cohorts.csv', 'accounts.csv', 'charts/table5_heatmap.svg']) expect(existsSync(join(out, f))).toBe(true);
  });

  it('gives the same results on worker threads as in one thread (the built CLI)', () => {
    const cli = join(process.cwd(), 'dist/adapters/cli/main.js');
    const run = (workers: string): Results => {
      const stdout = execFileSync(process.execPath, [cli, 'backtest', ...SMALL, '--workers', workers, '--prices', FIXTURE_PRICES, '--out', join(dir, `w${workers}`)], { encoding: 'utf8' });
      return JSON.parse(stdout) as Results;
    };
    expect(run('2').metrics).toEqual(run('1').metrics);
  });

  it('says how to supply prices when there are none', async () => {
    const r = await lotsmith('backtest', '--prices', join(dir, 'nowhere'), '--quiet');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no price data/);
    expect(r.err).toMatch(/LOTSMITH_PRICES=DIR/);
  });

  // Only where no price directory is found, as on a fresh clone: in CI ../shared is found first.
  it.runIf(fullPriceDir() === undefined)('falls back to the sample in the repository with --sample-fallback (npm start), and says so and how to get more', async () => {
    const c = captureIo({});
    const out = join(dir, 'sample');
    const code = await runCli(['backtest', '--sample-fallback', '--accounts', '2', '--to', '2021-03-31', '--workers', '1', '--quiet', '--format', 'json', '--out', out], c.io);
    expect(code).toBe(0);
    expect(c.err()).toContain(`no price directory found, so this run uses the compact sample in ${FIXTURE_PRICES}`);
    expect(c.err()).toContain('npm start -- --prices DIR');
    const j = JSON.parse(c.out()) as { window: { from: string; split: string } };
    expect(j.window).toMatchObject({ from: '2020-01-02', split: '2021-01-01' });
    const none = captureIo({});
    expect(await runCli(['backtest', '--quiet', '--out', join(dir, 'none')], none.io)).toBe(1);
    expect(none.err()).toMatch(/no price data\.\nNo price directory found/);
  });

  it('names the file and field of a bad config, and writes nothing', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ strategies: ['none', 'daily_3pct'], accounts: { count: 2, vintages: [2020], riskScores: [11], initialDeposit: { min: 1, max: 2 } }, profiles: [{ id: 'x', filingStatus: 'single', grossOrdinaryIncome: 1 }] }));
    const out = join(dir, 'bad');
    const r = await lotsmith('backtest', '--config', file, '--out', out, '--quiet');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.json, field strategies\[1\]: a built-in strategy/);
    expect(r.err).toMatch(/field accounts\.riskScores\[0\]/);
    expect(existsSync(out)).toBe(false);
  });

  it('rejects a bad --workers', async () => {
    const r = await lotsmith('backtest', '--workers', 'two');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--workers: "two" is not a positive whole number/);
  });
});
