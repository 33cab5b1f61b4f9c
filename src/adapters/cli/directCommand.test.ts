/** `lotsmith direct build` in-process on the compact real sample (test/fixtures/sp500, SPY). */
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
