/** `lotsmith bench direct` in-process on the compact real sample (test/fixtures/sp500, SPY): the JSON contract, no timings asserted. */
import { describe, expect, it } from 'vitest';
import { SAMPLE_INDEX } from '../files/indexDirectory.js';
import { FIXTURE_PRICES } from '../files/testPrices.test-util.js';
import { lotsmith } from './testIo.test-util.js';

describe('lotsmith bench direct', () => {
  it('ends with the line {"accounts","lots","msPerAccountDay","solveMs"} on a tiny run', async () => {
    const r = await lotsmith('bench', 'direct', '--index', SAMPLE_INDEX, '--prices', FIXTURE_PRICES, '--accounts', '2', '--days', '2', '--lots', '640', '--format', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    const last = JSON.parse(lines[lines.length - 1] as string) as Record<string, number>;
    expect(Object.keys(last)).toEqual(['accounts', 'lots', 'msPerAccountDay', 'solveMs']);
    expect(last['accounts']).toBe(2);
    // ~640 lots (at least 20 per stock) per account, over the priced members with a full risk window.
    expect(last['lots']).toBeGreaterThanOrEqual(2 * 600);
    expect(last['lots']).toBeLessThanOrEqual(2 * 700);
    expect(last['msPerAccountDay']).toBeGreaterThan(0);
    expect(last['solveMs']).toBeGreaterThan(0);
    const full = JSON.parse(lines[0] as string) as { stocks: number; lotsPerAccount: number; index: string };
    expect(full.index).toBe(SAMPLE_INDEX);
    expect(full.lotsPerAccount).toBe(full.stocks * Math.max(20, Math.round(640 / full.stocks)));
  });

  it('refuses a bad --accounts', async () => {
    const r = await lotsmith('bench', 'direct', '--index', SAMPLE_INDEX, '--prices', FIXTURE_PRICES, '--accounts', '0');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--accounts: "0" is not a positive integer');
  });
});
