import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDay, parseDay, type Day } from '../../core/kernel/calendar.js';
import { describeIssue } from '../../core/kernel/errors.js';
import { symbol } from '../../core/ledger/household.js';
import { isAmbiguous } from '../../core/market/prices.js';
import { loadPriceBook, PRICES_ENV, resolvePriceDir } from './priceDirectory.js';
import { FIXTURE_PRICES, fullPriceDir } from './testPrices.test-util.js';

const fixture = FIXTURE_PRICES;
const fixtureAdjOnly = join(dirname(fixture), 'prices_adj_only');
const full = fullPriceDir();
const tmp = mkdtempSync(join(tmpdir(), 'lotsmith-prices-'));
const mk = (...parts: string[]): string => {
  const p = join(tmp, ...parts);
  mkdirSync(p, { recursive: true });
  return p;
};
/** The header and the rows from `from` on (count of them) of a real file, optionally only some columns. */
const rows = (folder: string, ticker: string, from: string, count: number, columns?: string[]): string => {
  const lines = readFileSync(join(folder, `${ticker}.csv`), 'utf8').trim().split('\n');
  const start = lines.findIndex((l) => l.startsWith(from));
  const picked = [lines[0] as string, ...lines.slice(start, start + count)];
  if (columns === undefined) return picked.join('\n') + '\n';
  const head = (lines[0] as string).split(',');
  return picked.map((l) => columns.map((c) => l.split(',')[head.indexOf(c)]).join(',')).join('\n') + '\n';
};

describe('resolvePriceDir: --prices, then LOTSMITH_PRICES, then ../shared/data/prices', () => {
  const cwd = mk('work', 'main');
  const fromCwd = mk('work', 'shared', 'data', 'prices');
  const pkg = mk('pkg', 'lotsmith');
  const fromPkg = mk('pkg', 'shared', 'data', 'prices');
  const flagDir = mk('mine');
  const envDir = mk('env');

  it('prefers the flag, then the environment, then the working directory, then the package', () => {
    expect(resolvePriceDir({ flag: '../../mine', env: { [PRICES_ENV]: envDir }, cwd, packageRoot: pkg })).toEqual({ ok: true, dir: flagDir, from: 'flag' });
    expect(resolvePriceDir({ env: { [PRICES_ENV]: envDir }, cwd, packageRoot: pkg })).toEqual({ ok: true, dir: envDir, from: 'env' });
    expect(resolvePriceDir({ env: {}, cwd, packageRoot: pkg })).toEqual({ ok: true, dir: fromCwd, from: 'cwd' });
    expect(resolvePriceDir({ env: { [PRICES_ENV]: '' }, cwd: pkg, packageRoot: cwd })).toEqual({ ok: true, dir: fromPkg, from: 'cwd' });
    expect(resolvePriceDir({ env: {}, cwd: tmp, packageRoot: pkg })).toEqual({ ok: true, dir: fromPkg, from: 'package' });
  });

  it('does not fall through when an explicit choice is missing', () => {
    const r = resolvePriceDir({ flag: 'nope', env: { [PRICES_ENV]: envDir }, cwd, packageRoot: pkg });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/--prices: "nope" is not a directory/);
    const e = resolvePriceDir({ env: { [PRICES_ENV]: join(tmp, 'gone') }, cwd, packageRoot: pkg });
    expect(!e.ok && e.message).toMatch(/LOTSMITH_PRICES: ".*gone" is not a directory/);
  });

  it('tells the user both ways to supply prices and the file format when nothing is found', () => {
    const r = resolvePriceDir({ env: {}, cwd: mk('a', 'b'), packageRoot: mk('c', 'd') });
    expect(r.ok).toBe(false);
    const message = r.ok ? '' : r.message;
    expect(message).toContain('--prices DIR');
    expect(message).toContain(`export ${PRICES_ENV}=DIR`);
    expect(message).toContain('date,close,adj_close,dividend,split');
    expect(message).toContain('date,adj_close');
    expect(message).toContain('npm start -- --prices DIR');
  });

  it('names the place it looked once when the working directory is the package', () => {
    const here = mk('e', 'f');
    const r = resolvePriceDir({ env: {}, cwd: here, packageRoot: here });
    const message = r.ok ? '' : r.message;
    const looked = join(tmp, 'e', 'shared', 'data', 'prices');
    expect(message.split(looked).length - 1).toBe(1);
    expect(message).toMatch(/^No price directory found: no --prices, LOTSMITH_PRICES is not set, and there is no .*\/e\/shared\/data\/prices\.\n/);
  });
});

describe('loadPriceBook on the fixture (test/fixtures/market)', () => {
  it('loads every ticker without a problem, merging the adj-only history', () => {
    const { book, issues } = loadPriceBook(fixture);
    expect(issues.map(describeIssue)).toEqual([]);
    expect(book.series.size).toBe(26);
    expect(readdirSync(fixtureAdjOnly).sort()).toEqual(['DGRO.csv', 'IEFA.csv', 'IEMG.csv', 'VTEB.csv']);
    const source = (t: string) => book.series.get(symbol(t))?.source;
    expect([source('SPY'), source('SCHD'), source('IEFA'), source('VTEB')]).toEqual(['full', 'full', 'adj_only', 'adj_only']);
    expect(isAmbiguous(book, symbol('AGG'), parseDay('2021-02-26') as Day)).toBe(true);
    expect([...book.ambiguous.values()].reduce((n, s) => n + s.size, 0)).toBe(105);
  });

  it('loads only the requested tickers and names the ones it cannot find', () => {
    const { book, issues } = loadPriceBook(fixture, { symbols: ['vti', 'IYE'] });
    expect([...book.series.keys()]).toEqual(['VTI']);
    expect(issues.map(describeIssue)).toEqual([expect.stringMatching(/IYE\.csv: no price file IYE\.csv in .*prices or .*prices_adj_only \[UNKNOWN_SECURITY\]/)]);
  });

  it('reads prices_adj_only on its own without treating itself as a sibling', () => {
    const { book, issues } = loadPriceBook(fixtureAdjOnly, { symbols: ['IEFA'] });
    expect(issues).toEqual([]);
    expect(book.series.get(symbol('IEFA'))?.source).toBe('adj_only');
  });
});

describe.runIf(full !== undefined)('the full shared data set (where this machine has it: $LOTSMITH_PRICES or ../shared/data/prices)', () => {
  const dir = full as string;

  it('loads every ticker without a problem: 33 series, 140 ambiguous days', () => {
    const { book, issues } = loadPriceBook(dir);
    expect(issues.map(describeIssue)).toEqual([]);
    expect(book.series.size).toBe(33);
    expect([...book.ambiguous.values()].reduce((n, s) => n + s.size, 0)).toBe(140);
  });

  it('holds every row of the fixture unchanged: the fixture is a subset cut to its last row', () => {
    for (const [from, to] of [
      [fixture, dir],
      [fixtureAdjOnly, join(dirname(dir), 'prices_adj_only')],
    ] as const) {
      for (const f of readdirSync(from)) {
        const mine = readFileSync(join(from, f), 'utf8').trim().split('\n');
        const theirs = new Set(readFileSync(join(to, f), 'utf8').trim().split('\n'));
        expect(mine.filter((l) => !theirs.has(l)), f).toEqual([]);
        if (!f.startsWith('_') && from === fixture) expect(readFileSync(join(to, f), 'utf8').trim().endsWith(mine[mine.length - 1] as string), f).toBe(true);
      }
    }
  });
});

describe("loadPriceBook on a user's own directory", () => {
  const user = mk('user', 'prices');
  const userAdj = mk('user', 'prices_adj_only');
  // SCHD's closes from 2020-06-01 and, as earlier total-return-only history, the adj_close of the
  // rows before (prices_adj_only/ in the full set has the same adj_close values).
  writeFileSync(join(user, 'SCHD.csv'), rows(fixture, 'SCHD', '2020-06-01', 5));
  writeFileSync(join(userAdj, 'SCHD.csv'), rows(fixture, 'SCHD', '2020-05-15', 12, ['date', 'adj_close']));
  writeFileSync(join(user, 'iefa.csv'), rows(fixtureAdjOnly, 'IEFA', '2024-12-02', 5));
  writeFileSync(join(user, 'SPY.csv'), rows(fixture, 'SPY', '2024-12-16', 5).replace(/2024-12-18,\d+\.\d+/, '2024-12-18,-586'));

  it('merges a sibling prices_adj_only, keeps good files and reports bad ones by file, row and field', () => {
    const { book, issues } = loadPriceBook(user);
    const schd = book.series.get(symbol('SCHD'));
    expect(schd?.source).toBe('mixed');
    expect(schd && formatDay(schd.days[0] as Day)).toBe('2020-05-15');
    expect(schd && [schd.days.length, Number.isNaN(schd.close[9]), schd.close[10]]).toEqual([15, true, 17.486666]);
    expect(book.series.get(symbol('IEFA'))?.source).toBe('adj_only');
    expect(book.series.has(symbol('SPY'))).toBe(false);
    expect(issues.map(describeIssue)).toEqual([expect.stringMatching(/SPY\.csv, row 4, field close: must be positive, got -586 \[NOT_POSITIVE\]/)]);
  });

  it('finds a lower-case file name when a ticker is asked for', () => {
    expect(loadPriceBook(user, { symbols: ['IEFA'] }).book.series.get(symbol('IEFA'))?.days.length).toBe(5);
  });

  it('reports a missing directory with the way to supply one', () => {
    const { issues } = loadPriceBook(join(tmp, 'missing'));
    expect(describeIssue(issues[0]!)).toMatch(/price directory not found\nDaily prices come from a directory/);
  });
});
