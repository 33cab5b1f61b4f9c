/**
 * Price-file formats and row validation, on rows cut from real files (the fixture in
 * test/fixtures/market, docs/prices.md). Each "bad file" is a real file with one cell changed, so
 * the error points where a user's would.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeIssue } from '../../core/kernel/errors.js';
import { formatDay, type Day } from '../../core/kernel/calendar.js';
import { symbol } from '../../core/ledger/household.js';
import { parsePriceCsv } from './priceFile.js';
import { FIXTURE_PRICES } from './testPrices.test-util.js';

const dir = FIXTURE_PRICES;
const realRows = (ticker: string, from: string, count: number, folder = dir): string[] => {
  const lines = readFileSync(join(folder, `${ticker}.csv`), 'utf8').trim().split('\n');
  const start = lines.findIndex((l) => l.startsWith(from));
  return [lines[0] as string, ...lines.slice(start, start + count)];
};
const project = (rows: string[], columns: string[]): string => {
  const head = (rows[0] as string).split(',');
  return [columns.join(','), ...rows.slice(1).map((r) => columns.map((c) => r.split(',')[head.indexOf(c)]).join(','))].join('\n') + '\n';
};
const parse = (text: string) => parsePriceCsv(text, 'X.csv', symbol('X'));
const messages = (text: string): string[] => parse(text).issues.map(describeIssue);

describe('accepted formats', () => {
  const spy = realRows('SPY', '2020-03-16', 10);

  it('reads the shared format: split-adjusted close, dividend, adj_close', () => {
    const s = parse(spy.join('\n')).series;
    expect(s?.source).toBe('full');
    expect(s?.close[5]).toBe(222.95);
  });

  it('derives adj_close from close and dividend when the file has none', () => {
    const s = parse(project(spy, ['date', 'close', 'dividend'])).series;
    expect(s?.source).toBe('full');
    expect(s?.adjClose[s.adjClose.length - 1]).toBeCloseTo(s?.close[s.close.length - 1] as number, 9);
  });

  it('takes a date,adj_close file as total-return only', () => {
    const s = parse(realRows('IEFA', '2020-01-02', 5, join(dirname(dir), 'prices_adj_only')).join('\n')).series;
    expect(s?.source).toBe('adj_only');
    expect(Number.isNaN(s?.close[0])).toBe(true);
    expect(s?.adjClose[0]).toBeCloseTo(54.018673, 6);
  });

  it('ignores extra columns and accepts Yahoo-style headers', () => {
    const text = spy.join('\n').replace('date,close,adj_close,dividend,split', 'Date,Close,Adj Close,Dividends,Stock Splits');
    expect(parse(text).series?.close[5]).toBe(222.95);
  });

  it('keeps the split column, and reads Yahoo\'s 0 in "Stock Splits" as no split (SCHB 3:1 on 2024-10-11)', () => {
    const rows = realRows('SCHB', '2024-10-08', 6);
    expect(Array.from(parse(rows.join('\n')).series?.split ?? [])).toEqual([1, 1, 1, 3, 1, 1]);
    const yahoo = rows.map((r, i) => (i === 0 ? 'Date,Close,Adj Close,Dividends,Stock Splits' : r.replace(/,1$/, ',0')));
    expect(Array.from(parse(yahoo.join('\n')).series?.split ?? [])).toEqual([1, 1, 1, 3, 1, 1]);
    expect(Array.from(parse(project(rows, ['date', 'close'])).series?.split ?? [])).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('split-adjusts a file that declares raw closes (SCHB 3:1 on 2024-10-11)', () => {
    const rows = realRows('SCHB', '2024-10-08', 6);
    const raw = rows.map((r, i) => {
      if (i === 0) return 'date,raw_close,split';
      const [date, close, , , split] = r.split(',');
      return `${date},${date! < '2024-10-11' ? Number(close) * 3 : close},${split}`;
    });
    const s = parse(raw.join('\n')).series;
    expect(s?.close[0]).toBeCloseTo(Number(rows[1]!.split(',')[1]), 9);
  });
});

describe('bad rows name the file, the line and the field', () => {
  const xle = realRows('XLE', '2025-12-01', 6);
  const edit = (line: number, column: number, value: string): string =>
    xle.map((r, i) => (i === line - 1 ? r.split(',').map((c, k) => (k === column ? value : c)).join(',') : r)).join('\n');

  it.each([
    ['a date that does not exist', edit(3, 0, '2025-02-30'), /X\.csv, row 3, field date: "2025-02-30" is not a date in YYYY-MM-DD form \[BAD_DATE\]/],
    ['dates out of order', edit(4, 0, '2025-12-01'), /row 4, field date: dates must be strictly ascending: 2025-12-01 follows 2025-12-02 \[OUT_OF_ORDER\]/],
    ['a close that is not a number', edit(2, 1, 'n/a'), /row 2, field close: "n\/a" is not a finite number \[BAD_NUMBER\]/],
    ['a zero close', edit(5, 1, '0'), /row 5, field close: must be positive, got 0 \[NOT_POSITIVE\]/],
    ['a negative adj_close', edit(5, 2, '-3.1'), /row 5, field adj_close: must be positive, got -3.1 \[NOT_POSITIVE\]/],
    ['a negative dividend', edit(6, 3, '-0.5'), /row 6, field dividend: must be zero or more, got -0.5 \[BAD_VALUE\]/],
    ['a missing cell', xle.map((r, i) => (i === 2 ? r.split(',').slice(0, 4).join(',') : r)).join('\n'), /row 3: expected 5 columns as in the header, found 4 \[PARSE\]/],
  ])('%s', (_name, text, pattern) => {
    const found = messages(text);
    expect(found.some((m) => pattern.test(m)), found.join('\n')).toBe(true);
    expect(parse(text).series).toBeUndefined();
  });

  it('rejects headers it cannot use', () => {
    expect(messages('close,date\n')[0]).toMatch(/field date: the first column must be "date"/);
    expect(messages('date,volume\n2025-01-02,10\n')[0]).toMatch(/needs a close, raw_close or adj_close column/);
    expect(messages('date,raw_close\n2025-01-02,10\n')[0]).toMatch(/raw_close needs a split column/);
    expect(messages('date,close,raw_close,split\n')[0]).toMatch(/either close .* or raw_close/);
  });

  it('catches raw closes labelled as split-adjusted: XLE 2:1 on 2025-12-04 as traded', () => {
    const text = xle
      .map((r, i) => {
        const cells = r.split(',');
        if (i === 0 || cells[0]! >= '2025-12-04') return r;
        return [cells[0], Number(cells[1]) * 2, cells[2], cells[3], cells[4]].join(',');
      })
      .join('\n');
    const found = messages(text);
    expect(found[0]).toMatch(/row 5, field close: close moves by the split ratio 2 on 2025-12-04 .* look unadjusted/);
  });

  it('accepts the real split rows, whose closes are already adjusted', () => {
    const s = parse(xle.join('\n')).series;
    expect(s && formatDay(s.days[3] as Day)).toBe('2025-12-04');
  });
});
