/**
 * `lotsmith lots --prices DIR`: lots valued at the as-of date's closes in that date's share units
 * (the SCHB lot bought before two later splits), the trading day used on a weekend, the
 * user's own --price winning, and refusals for a ledger missing a split or a date without closes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PRICES } from '../files/testPrices.test-util.js';
import { lotsmith } from './testIo.test-util.js';

const dir = mkdtempSync(join(tmpdir(), 'lotsmith-lots-'));
function caseFile(name: string, extra: Record<string, string>[] = []): string {
  const file = join(dir, `${name}.json`);
  const events = [
    { id: 'd1', date: '2020-02-19', account: 'brokerage', action: 'deposit', amount: '8088.00' },
    { id: 'b1', date: '2020-02-19', account: 'brokerage', action: 'buy', symbol: 'SCHB', shares: '100', price: '80.88' },
    ...extra,
  ];
  writeFileSync(file, JSON.stringify({ settings: { taxYear: 2020 }, accounts: [{ id: 'brokerage', type: 'taxable', owner: 'self' }], events }));
  return file;
}
const SCHB = caseFile('schb');

interface LotsJson {
  asOf: string;
  openLots: { lotId: string; symbol: string; shares: number; price: number | null; marketValue: number | null; unrealizedGainLoss: number | null }[];
}
const lots = (out: string): LotsJson['openLots'] => (JSON.parse(out) as LotsJson).openLots;

describe('lotsmith lots --prices DIR', () => {
  it('values the SCHB lot bought at $80.88 at $53.80 on 2020-03-20 (as traded; $8.97 split-adjusted): -$2,708.00', async () => {
    const r = await lotsmith('lots', '--input', SCHB, '--as-of', '2020-03-20', '--prices', FIXTURE_PRICES, '--format', 'json');
    expect(r.err).toBe('');
    expect(lots(r.out)).toEqual([expect.objectContaining({ lotId: 'b1', shares: 100, price: 53.8, marketValue: 5380, unrealizedGainLoss: -2708 })]);
  });

  it('says which trading day\'s closes value a weekend', async () => {
    const r = await lotsmith('lots', '--input', SCHB, '--as-of', '2020-03-22', '--prices', FIXTURE_PRICES, '--format', 'json');
    expect(r.err).toBe('lotsmith: note: 2020-03-22 is a Sunday: using the closes of Friday 2020-03-20\n');
    expect(lots(r.out)[0]?.marketValue).toBe(5380);
  });

  it('values 200 shares after the 2:1 split the ledger books, at the day\'s $49.60', async () => {
    const split = caseFile('schb-split', [{ id: 's1', date: '2022-03-11', action: 'split', symbol: 'SCHB', split_from: '1', split_to: '2' }]);
    const r = await lotsmith('lots', '--input', split, '--as-of', '2022-03-11', '--prices', FIXTURE_PRICES, '--format', 'json');
    expect(lots(r.out)).toEqual([expect.objectContaining({ shares: 200, price: 49.6, marketValue: 9920, unrealizedGainLoss: 1832 })]);
  });

  it('lets a price the user gives win, as traded', async () => {
    const r = await lotsmith('lots', '--input', SCHB, '--as-of', '2020-03-20', '--prices', FIXTURE_PRICES, '--price', 'SCHB=50', '--format', 'json');
    expect(lots(r.out)[0]?.marketValue).toBe(5000);
  });

  it('refuses to value lots whose ledger lacks a split the prices show, and prints nothing', async () => {
    const r = await lotsmith('lots', '--input', SCHB, '--as-of', '2022-03-14', '--prices', FIXTURE_PRICES);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(`error: ${SCHB}, row 2 (event b1), field symbol: the price data shows a 2-for-1 split of SCHB on 2022-03-11`);
    expect(r.err).toContain('[SPLIT_MISMATCH]');
  });

  it('has no closes after the data ends; a bad directory is a usage error', async () => {
    const late = await lotsmith('lots', '--input', SCHB, '--as-of', '2026-07-15', '--prices', FIXTURE_PRICES);
    expect(late.code).toBe(1);
    expect(late.err).toContain(`error: ${FIXTURE_PRICES}: no closes for Wednesday 2026-07-15: the price data ends on Monday 2026-07-13 [NO_CLOSES]`);
    const bad = await lotsmith('lots', '--input', SCHB, '--prices', join(dir, 'nowhere'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--prices: ".*nowhere" is not a directory/);
  });

  it('shows a security without prices without a value, and says so', async () => {
    const iye = caseFile('iye', [{ id: 'b2', date: '2020-03-02', account: 'brokerage', action: 'buy', symbol: 'IYE', shares: '10', price: '20' }]);
    const r = await lotsmith('lots', '--input', iye, '--as-of', '2020-03-20', '--prices', FIXTURE_PRICES, '--format', 'json');
    expect(r.code).toBe(0);
    expect(r.err).toBe('lotsmith: note: no close for IYE on 2020-03-20: shown without a value\n');
    expect(lots(r.out).map((l) => [l.symbol, l.marketValue])).toEqual([
      ['SCHB', 5380],
      ['IYE', null],
    ]);
  });
});
