/** `lotsmith direct build` in-process on the compact real sample (test/fixtures/sp500, SPY). */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_INDEX } from '../files/indexDirectory.js';
import { FIXTURE_PRICES } from '../files/testPrices.test-util.js';
import { lotsmith } from './testIo.test-util.js';

const base = ['direct', 'build', '--index', SAMPLE_INDEX, '--prices', FIXTURE_PRICES, '--window', '120'];

describe('lotsmith direct build', () => {
  it('prints weights and the tracking error against equal weights on the same names', async () => {
    const r = await lotsmith(...base, '--date', '2020-09-30', '--max-weight', '0.1', '--format', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out) as { members: number; names: number; tracking_error: number; equal_weight_tracking_error: number; holdings: { weight: number }[] };
    expect(v.members).toBe(30);
    expect(v.tracking_error).toBeLessThanOrEqual(v.equal_weight_tracking_error);
    expect(v.holdings.reduce((s, h) => s + h.weight, 0)).toBeCloseTo(1, 4);
    const text = await lotsmith(...base, '--date', '2020-09-30', '--max-weight', '0.1', '--names', '10');
    expect(text.out).toMatch(/^2020-09-30: \d+ of 30 members of the index/);
  });

  it('refuses an unknown ticker, a date without prices and infeasible bounds, each with a clear message', async () => {
    const unknown = await lotsmith(...base, '--date', '2020-09-30', '--exclude', 'AAPL,ZZZZ');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('--exclude: unknown ticker ZZZZ: never a member of the index');
    const early = await lotsmith(...base, '--date', '2009-06-01');
    expect(early.code).toBe(1);
    expect(early.err).toContain('no prices on 2009-06-01');
    const tight = await lotsmith(...base, '--date', '2020-09-30', '--max-weight', '0.02');
    expect(tight.code).toBe(1);
    expect(tight.err).toContain('infeasible bounds: the bounds let at most 60.00 % be invested');
    const flag = await lotsmith(...base, '--date', '2020-09-30', '--max-weight', '2');
    expect(flag.code).toBe(2);
  });
});

describe('lotsmith direct harvest', () => {
  const harvest = ['direct', 'harvest', '--input', 'examples/direct/household-2020.json', '--account', 'direct', '--index', SAMPLE_INDEX, '--prices', FIXTURE_PRICES, '--window', '40'];

  it('proposes the day\'s harvests of a direct index with their tracking-error reports, and a transition within its gain budget', async () => {
    const r = await lotsmith(...harvest, '--date', '2020-03-20', '--gain-budget', '20000', '--format', 'json');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out) as {
      orders: { side: string; symbol: string; rule: string }[];
      direct: {
        candidates: number;
        harvests: { sold: { symbol: string; loss: number }[]; trackingError: { after: number }; budget: number }[];
        transitions: { gain: number; left: number; realizedBefore: number; budget: number }[];
      };
    };
    // Bought 2020-02-14, by 2020-03-20 the crash has put most of the ten stocks at a loss.
    const harvested = v.direct.harvests.flatMap((h) => h.sold.map((s) => s.symbol));
    expect(harvested.length).toBeGreaterThan(3);
    expect(v.orders.filter((o) => o.rule === 'harvest').map((o) => o.symbol).sort()).toEqual([...harvested].sort());
    // No harvested stock is bought back the same day.
    expect(v.orders.filter((o) => o.side === 'buy' && harvested.includes(o.symbol))).toEqual([]);
    const t = v.direct.transitions[0];
    expect(t).toBeDefined();
    // The harvested losses came first; the transition's gain fits the budget they enlarged.
    expect(t!.realizedBefore).toBeLessThan(0);
    expect(t!.realizedBefore + t!.gain).toBeLessThanOrEqual(t!.budget);
    expect(t!.left).toBeCloseTo(t!.budget - t!.realizedBefore - t!.gain, 2);
    expect(v.orders.some((o) => o.symbol === 'MSFT' && o.rule === 'rebalance')).toBe(true);
    const table = await lotsmith(...harvest, '--date', '2020-03-20');
    expect(table.code).toBe(0);
    expect(table.out).toContain('Direct index: 32 stocks in the risk model');
    expect(table.out).toMatch(/TE before/);
  });

  it('runs an account holding the direct index beside a bond ETF: each part harvests, the deposit goes by deficit', async () => {
    const mixed = ['direct', 'harvest', '--input', 'examples/direct/household-mixed-2020.json', '--account', 'taxable', '--index', SAMPLE_INDEX, '--prices', FIXTURE_PRICES, '--window', '40'];
    const r = await lotsmith(...mixed, '--date', '2020-03-20', '--format', 'json');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out) as { orders: { side: string; symbol: string; rule: string; shares: number; price: number; amount?: number }[]; direct: { harvests: { sold: { symbol: string }[] }[] } };
    const funds = new Set(['BND', 'AGG', 'VCIT']);
    const value = (o: { side: string; shares: number; price: number; amount?: number }): number => o.amount ?? o.shares * o.price;
    const total = (side: string, fund: boolean): number => v.orders.filter((o) => o.side === side && funds.has(o.symbol) === fund).reduce((s, o) => s + value(o), 0);
    // BND's loss is harvested into AGG with BND's own proceeds; the stocks' harvests are replaced by stocks.
    expect(v.orders.filter((o) => funds.has(o.symbol)).map((o) => [o.side, o.symbol, o.rule])).toEqual([
      ['sell', 'BND', 'harvest'],
      ['buy', 'AGG', 'harvest_replacement'],
    ]);
    expect(total('buy', true)).toBeCloseTo(total('sell', true), 0);
    expect(v.direct.harvests.flatMap((h) => h.sold.map((s) => s.symbol)).length).toBeGreaterThan(3);
    // The crash left the direct index far below its 70 %: all of the $25,185.12 in cash (the deposit and the rest) goes to it.
    expect(total('buy', false) - total('sell', false)).toBeCloseTo(25_185.12, 0);
    const plain = await lotsmith('harvest', '--input', 'examples/direct/household-mixed-2020.json', '--date', '2020-03-20', '--prices', FIXTURE_PRICES);
    expect([plain.code, plain.err]).toEqual([1, expect.stringContaining('"direct_index" is the weight of a direct index, but account "taxable" is not run as one')]);
  });

  it('refuses an unknown ticker, a date without prices, infeasible bounds, an unknown account and a direct account with ETF targets but no direct_index weight', async () => {
    const unknown = await lotsmith(...harvest, '--date', '2020-03-20', '--exclude', 'ZZZZ');
    expect([unknown.code, unknown.err]).toEqual([1, expect.stringContaining('unknown ticker ZZZZ: never a member of the index')]);
    const late = await lotsmith(...harvest, '--date', '2021-03-22');
    expect([late.code, late.err]).toEqual([1, expect.stringContaining('no prices on 2021-03-22')]);
    const tight = await lotsmith(...harvest, '--date', '2020-03-20', '--max-weight', '0.02');
    expect([tight.code, tight.err]).toEqual([1, expect.stringContaining('infeasible bounds: the bounds let at most 64.00 % be invested')]);
    const account = await lotsmith('direct', 'harvest', ...harvest.slice(2).map((a) => (a === 'direct' ? 'joint' : a)), '--date', '2020-03-20');
    expect([account.code, account.err]).toEqual([1, expect.stringContaining('direct index in unknown account "joint"')]);
    const withTargets = join(mkdtempSync(join(tmpdir(), 'lotsmith-direct-')), 'case.json');
    writeFileSync(withTargets, JSON.stringify({ ...JSON.parse(readFileSync('examples/direct/household-2020.json', 'utf8')), targets: { direct: { riskScore: 6 } } }));
    const both = await lotsmith(...harvest.map((a) => (a === 'examples/direct/household-2020.json' ? withTargets : a)), '--date', '2020-03-20');
    expect([both.code, both.err]).toEqual([1, expect.stringContaining('targets.direct: account "direct" is named as a direct index and has ETF targets without a "direct_index" weight')]);
  });
});
