import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDay, type Day } from '../../core/kernel/calendar.js';
import { describeIssue } from '../../core/kernel/errors.js';
import { symbol } from '../../core/ledger/household.js';
import { closeOnOrBefore } from '../../core/market/prices.js';
import { gaps, membersOn, membershipOn, sectorOf, shareClassesOf, trustedFrom } from '../../core/direct/indexUniverse.js';
import { INDEX_ENV, loadIndexPrices, loadIndexUniverse, resolveIndexDir, SAMPLE_INDEX } from './indexDirectory.js';

const d = (s: string): Day => parseDay(s) as Day;
const tmp = mkdtempSync(join(tmpdir(), 'lotsmith-index-'));
const dirWith = (name: string, membership: string, gics?: string): string => {
  const dir = join(tmp, name);
  mkdirSync(join(dir, 'prices'), { recursive: true });
  writeFileSync(join(dir, 'membership_intervals.csv'), membership);
  if (gics !== undefined) writeFileSync(join(dir, 'gics_2026-01-01.csv'), gics);
  return dir;
};

describe('the compact S&P 500 sample (test/fixtures/sp500)', () => {
  const load = loadIndexUniverse(SAMPLE_INDEX);
  const u = load.universe!;
  const { book, issues } = loadIndexPrices(SAMPLE_INDEX);

  it('reads without issues', () => {
    expect(load.issues).toEqual([]);
    expect(issues).toEqual([]);
    expect(book.series.size).toBe(32);
  });

  it('knows who was a member on a day (point in time)', () => {
    // HP left the index on 2020-05-22 and M on 2020-04-06 (membership_intervals.csv).
    expect(membersOn(u, d('2020-04-01'))).toContain(symbol('M'));
    expect(membersOn(u, d('2020-04-07'))).not.toContain(symbol('M'));
    expect(membershipOn(u, symbol('HP'), d('2020-05-22'))).toBeDefined();
    expect(membershipOn(u, symbol('HP'), d('2020-05-26'))).toBeUndefined();
  });

  it('trusts a recycled ticker only after its previous interval ended', () => {
    // AAL: 1996-01-02 … 1997-01-15, then from 2015-03-23.
    expect(membershipOn(u, symbol('AAL'), d('1996-06-03'))?.end).toBe(d('1997-01-15'));
    expect(trustedFrom(u, symbol('AAL'), d('2020-06-01'))).toBe(d('1997-01-16'));
    expect(trustedFrom(u, symbol('AAPL'), d('2020-06-01'))).toBe(-Infinity);
  });

  it('has sectors for today\'s members only, and share classes of one issuer', () => {
    expect(sectorOf(u, symbol('XOM'))).toBe('Energy');
    expect(sectorOf(u, symbol('DISCA'))).toBeUndefined();
    expect(shareClassesOf(u, symbol('DISCK'))).toEqual([symbol('DISCA')]);
    expect(shareClassesOf(u, symbol('AAPL'))).toEqual([]);
  });

  it('reports members without prices as gaps, never fills them', () => {
    const day = d('2020-06-01');
    const found = gaps(u, day, (s) => book.series.has(s), (s) => {
      const series = book.series.get(s);
      return series !== undefined && closeOnOrBefore(series, day) !== undefined;
    });
    expect(found).toEqual([]);
    const withoutApple = gaps(u, day, (s) => s !== symbol('AAPL'), () => true);
    expect(withoutApple).toEqual([{ symbol: symbol('AAPL'), reason: 'no_price_file' }]);
  });

  it('is a verbatim subset of the shared data set where that is present', () => {
    const shared = join(SAMPLE_INDEX, '..', '..', '..', '..', 'shared', 'data', 'sp500');
    if (!existsSync(shared)) return;
    for (const file of ['membership_intervals.csv', 'gics_2026-08-08.csv', 'prices/AAL.csv', 'prices/DISCK.csv']) {
      const full = new Set(readFileSync(join(shared, file), 'utf8').split('\n'));
      for (const line of readFileSync(join(SAMPLE_INDEX, file), 'utf8').split('\n')) expect(full.has(line), `${file}: ${line}`).toBe(true);
    }
  });
});

describe('bad index directories get clear errors', () => {
  it('names the file, row and field of a bad membership row', () => {
    const dir = dirWith('bad-date', 'ticker,start_date,end_date\nAAPL,1982-11-30,\nMSFT,1994-06-01,1994-05-01\nXOM,June 2,\n');
    const { universe, issues } = loadIndexUniverse(dir);
    expect(universe).toBeUndefined();
    const text = issues.map(describeIssue);
    expect(text).toEqual([
      `${join(dir, 'membership_intervals.csv')}, row 3, field end_date: end 1994-05-01 is before start 1994-06-01 [BAD_VALUE]`,
      `${join(dir, 'membership_intervals.csv')}, row 4, field start_date: expected YYYY-MM-DD, got "June 2" [BAD_DATE]`,
    ]);
  });

  it('refuses overlapping intervals of one ticker and a missing column', () => {
    const overlap = loadIndexUniverse(dirWith('overlap', 'ticker,start_date,end_date\nAAL,2015-03-23,\nAAL,2016-01-04,2017-01-03\n'));
    expect(overlap.issues.map((i) => i.code)).toEqual(['CONFLICT']);
    const noColumn = loadIndexUniverse(dirWith('no-column', 'ticker,start\nAAL,2015-03-23\n'));
    expect(describeIssue(noColumn.issues[0]!)).toContain('missing start_date, end_date');
  });

  it('reads an index without a sector file (replacements fall back to correlation)', () => {
    const { universe, issues } = loadIndexUniverse(dirWith('no-gics', 'ticker,start_date,end_date\nAAL,2015-03-23,\n'));
    expect(issues).toEqual([]);
    expect(universe?.sectors.size).toBe(0);
  });

  it('says where to put the data when there is none', () => {
    const r = resolveIndexDir({ env: {}, cwd: join(tmp, 'nowhere'), packageRoot: join(tmp, 'nowhere') });
    expect(r.ok).toBe(false);
    const flagged = resolveIndexDir({ env: { [INDEX_ENV]: 'missing' }, cwd: tmp });
    expect(flagged).toEqual({ ok: false, message: expect.stringContaining(`${INDEX_ENV}: "missing" is not a directory`) });
    expect(loadIndexUniverse(join(tmp, 'absent')).issues[0]?.code).toBe('NOT_FOUND');
  });
});
