/**
 * Bad input, one test per error class: the CLI names the file, row (or event id), field and
 * problem, exits non-zero, and prints no result — nothing is half-applied.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lotsmith } from './testIo.test-util.js';

const dir = mkdtempSync(join(tmpdir(), 'lotsmith-err-'));
let n = 0;

const ACCOUNTS = [{ id: 'b', type: 'taxable', owner: 'self' }];
const BUY = { id: 'e1', date: '2025-01-02', account: 'b', action: 'buy', symbol: 'X', shares: '10', price: '10' };

async function gainsOf(doc: unknown): Promise<{ code: number; out: string; err: string; file: string }> {
  const file = join(dir, `case${n++}.json`);
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return { ...(await lotsmith('gains', '--input', file, '--format', 'json')), file };
}

const withEvents = (...events: unknown[]) => ({ accounts: ACCOUNTS, events });

describe('bad input in a JSON case file', () => {
  const cases: [string, unknown, RegExp][] = [
    ['unknown account', withEvents({ ...BUY, account: 'nope' }), /row 1 \(event e1\), field account: unknown account "nope" \[UNKNOWN_ACCOUNT\]/],
    ['unknown action', withEvents({ ...BUY, action: 'purchase' }), /row 1 \(event e1\), field action: unknown action "purchase".*\[UNKNOWN_ACTION\]/],
    ['selling more than held', withEvents(BUY, { ...BUY, id: 'e2', action: 'sell', shares: '11' }), /event e2.*field shares: 11 shares requested but 10 held \[OVERSELL\]/],
    ['a sale before any purchase', withEvents({ ...BUY, action: 'sell' }), /event e1.*no shares of X are held in account b \[OVERSELL\]/],
    ['zero shares', withEvents({ ...BUY, shares: 0 }), /row 1 \(event e1\), field shares: must be positive, got 0 \[NOT_POSITIVE\]/],
    ['negative shares', withEvents({ ...BUY, shares: '-5' }), /field shares: must be positive, got -5 \[NOT_POSITIVE\]/],
    ['a bad date', withEvents({ ...BUY, date: '2025-02-30' }), /row 1 \(event e1\), field date: "2025-02-30" is not a calendar date.*\[BAD_DATE\]/],
    ['events out of order', withEvents(BUY, { ...BUY, id: 'e2', date: '2024-12-31' }), /row 2 \(event e2\), field date: .*date order \[OUT_OF_ORDER\]/],
    ['duplicate ids', withEvents(BUY, BUY), /row 2 \(event e1\), field id: duplicate event id "e1" \[DUPLICATE_ID\]/],
    ['a malformed number', withEvents({ ...BUY, price: '10,5' }), /field price: not a decimal number: "10,5" \[BAD_NUMBER\]/],
    ['too many decimals in an exact string', withEvents({ ...BUY, price: '1.123456789' }), /field price: .*more than 8 decimal places \[BAD_NUMBER\]/],
    ['a missing field', withEvents({ ...BUY, symbol: undefined }), /row 1 \(event e1\), field symbol: is required \[MISSING_FIELD\]/],
    ['an unknown lot method', withEvents(BUY, { ...BUY, id: 'e2', action: 'sell', lotMethod: 'RANDOM' }), /field lotMethod: unknown lot method "RANDOM".*\[UNKNOWN_LOT_METHOD\]/],
    ['a specific lot that does not exist', withEvents(BUY, { ...BUY, id: 'e2', action: 'sell', lots: ['e9'] }), /event e2.*field lots: no open lot "e9".*\[UNKNOWN_LOT\]/],
    ['an unknown account type', { accounts: [{ id: 'b', type: 'brokerage' }], events: [] }, /field accounts\[0\]\.type: .*\[BAD_VALUE\]/],
    ['a duplicate account id', { accounts: [...ACCOUNTS, ...ACCOUNTS], events: [] }, /field accounts\[1\]\.id: duplicate account id "b" \[DUPLICATE_ID\]/],
    ['not JSON at all', '{"accounts": [', /not valid JSON.*\[PARSE\]/],
  ];
  for (const [name, doc, message] of cases) {
    it(name, async () => {
      const r = await gainsOf(doc);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toContain(r.file);
      expect(r.err).toMatch(message);
      expect(r.err).toMatch(/nothing was applied/);
    });
  }

  it('reports every problem of a file at once, not only the first', async () => {
    const r = await gainsOf(withEvents({ ...BUY, account: 'nope' }, { ...BUY, id: 'e2', shares: '-1' }, { ...BUY, id: 'e3', date: 'soon' }));
    expect(r.err.match(/^error:/gm)).toHaveLength(3);
  });

  it('an unknown security in a substantially-identical group', async () => {
    const r = await gainsOf({ settings: { substantiallyIdentical: { policy: 'groups', groups: [['X', 'XX']] } }, ...withEvents(BUY) });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/field settings\.substantiallyIdentical\.groups: unknown security "XX".*\[UNKNOWN_SECURITY\]/);
  });

  it('a dated period that names an unknown security or ends before it starts', async () => {
    const period = (p: unknown) => ({ settings: { substantiallyIdentical: { policy: 'groups', periods: [p] } }, ...withEvents(BUY) });
    const unknown = await gainsOf(period({ symbols: ['X', 'XX'], until: '2021-09-14' }));
    expect(unknown.err).toMatch(/field settings\.substantiallyIdentical\.periods\[0\]\.symbols: unknown security "XX"/);
    const backwards = await gainsOf(period({ symbols: ['X', 'X'], from: '2022-01-01', until: '2021-09-14' }));
    expect(backwards.err).toMatch(/field settings\.substantiallyIdentical\.periods\[0\]\.until: the period ends before it starts \[OUT_OF_ORDER\]/);
    const badDate = await gainsOf(period({ symbols: ['X', 'X'], until: '2021-13-01' }));
    expect(badDate.code).toBe(1);
    expect(badDate.err).toMatch(/periods\[0\]\.until: "2021-13-01" is not a calendar date/);
  });
});

describe('bad input in CSV files', () => {
  function csvCase(transactions: string, accounts = 'id,type,owner\nb,taxable,self\n'): string {
    const d = join(dir, `csv${n++}`);
    mkdirSync(d);
    writeFileSync(join(d, 'accounts.csv'), accounts);
    writeFileSync(join(d, 'transactions.csv'), transactions);
    return d;
  }
  const HEAD = 'date,account,action,symbol,shares,price,fees,lot_method,lots\n';

  it('names the transactions file and its line', async () => {
    const d = csvCase(`${HEAD}2025-01-02,b,buy,X,10,10,0,,\n2025-01-03,b,sell,X,-3,10,0,,\n`);
    const r = await lotsmith('gains', '--input', d);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/transactions\.csv, row 3 \(event row3\), field shares: must be positive, got -3 \[NOT_POSITIVE\]/);
  });

  it('names the accounts file and its line', async () => {
    const d = csvCase(`${HEAD}2025-01-02,b,buy,X,10,10,0,,\n`, 'id,type,owner\nb,taxable,self\nc,pension,self\n');
    const r = await lotsmith('gains', '--input', d);
    expect(r.err).toMatch(/accounts\.csv, row 3, field type: /);
  });

  it('a row with the wrong number of columns', async () => {
    const d = csvCase(`${HEAD}2025-01-02,b,buy,X,10\n`);
    const r = await lotsmith('gains', '--input', d);
    expect(r.err).toMatch(/transactions\.csv, row 2: expected 9 columns as in the header, found 5 \[PARSE\]/);
  });

  it('quoted CSV takes the csv-parse path and gives the same result as the fast path', async () => {
    const plain = csvCase(`${HEAD}2025-01-02,b,buy,X,10,10,0,,\n2025-02-03,b,sell,X,4,9,0,,\n`);
    const quoted = csvCase(`${HEAD}"2025-01-02","b","buy","X","10","10","0","",""\n2025-02-03,b,sell,X,4,9,0,,\n`);
    const a = await lotsmith('gains', '--input', plain, '--format', 'json');
    const b = await lotsmith('gains', '--input', quoted, '--format', 'json');
    expect(a.code).toBe(0);
    expect(b.out).toBe(a.out);
  });
});

describe('usage errors', () => {
  it('a bad --format exits 2', async () => {
    const r = await lotsmith('gains', '--input', 'x.json', '--format', 'xml');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--format: "xml" is not one of table, csv, json, txf/);
  });
  it('a missing file is an input error naming it', async () => {
    const r = await lotsmith('lots', '--input', join(dir, 'missing.json'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/missing\.json: file not found \[PARSE\]/);
  });
});
