/**
 * Every way a record is read gives the same events and the same problems: the CSV direct path
 * and csv-parse + the generic decoder (a quoted file), and the JSON scanner and JSON.parse + the
 * generic decoder — over random records of every common action, with missing, malformed,
 * misplaced, unknown and x_ fields.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeIssue, type Issue } from '../../core/kernel/errors.js';
import type { LedgerEvent } from '../../core/ledger/events.js';
import { decodeCaseDocument, loadCase } from './caseFile.js';
import { scanCaseJson } from './caseJson.js';
import { decodeTransactionsText } from './transactionsCsv.js';
import { EventDecoder } from './eventRecord.js';
import { checkProperty } from '../../core/kernel/property.test-util.js';

const COLUMNS = ['id', 'date', 'account', 'action', 'symbol', 'shares', 'price', 'fees', 'amount', 'lot_method', 'lots', 'x_memo'] as const;
type Record_ = Partial<Record<(typeof COLUMNS)[number] | 'feez', string>>;

const decimal = fc.oneof(
  fc.constantFrom('10', '0.5', '540.12', '0', '-3', '1.123456789', '1e5', '1.2.3', 'x', ' 7 '),
  fc.integer({ min: 1, max: 10_000 }).map((n) => (n / 100).toFixed(2)),
);
const record: fc.Arbitrary<Record_> = fc.record(
  {
    id: fc.constantFrom('e1', 'e2', 'row9', ' e3', ''),
    date: fc.constantFrom('2025-01-06', '2025-02-30', '9999-12-31', '2025-1-6', ''),
    account: fc.constantFrom('a', 'b', ' a', ''),
    action: fc.constantFrom('buy', 'sell', 'dividend_reinvest', 'deposit', 'withdrawal', 'fee', 'dividend', 'Buy', 'purchase', ''),
    symbol: fc.constantFrom('VTI', 'VOO', ' VTI', ''),
    shares: decimal,
    price: decimal,
    fees: fc.oneof(decimal, fc.constant('')),
    amount: fc.oneof(decimal, fc.constant('')),
    lot_method: fc.constantFrom('', 'FIFO', 'RANDOM'),
    lots: fc.constantFrom('', 'e1', 'e1:2'),
    x_memo: fc.constantFrom('', 'note'),
    feez: fc.constantFrom('4.95'),
  },
  { requiredKeys: ['date', 'account', 'action'] },
);

/** JSON records add what JSON can say and CSV cannot: numbers, escapes, arrays, nulls. */
const jsonRecord: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    record,
    fc.record(
      {
        shares: fc.oneof(fc.double({ min: -5, max: 1e6, noNaN: true }), fc.constantFrom(10, 0.1234567, 1e21)),
        symbol: fc.constantFrom('V"T', 'a\tb', 'Vé', null, ['VTI']),
        lots: fc.constantFrom(['e1'], [{ lot: 'e1', shares: 2 }], [{ lot: 'e1', sharez: 2 }], [[]]),
        id: fc.constantFrom(7, null, ''),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([r, extra]) => ({ ...Object.fromEntries(Object.entries(r).filter(([, v]) => v !== '')), ...extra }));

const view = (r: { events: readonly LedgerEvent[]; issues: readonly Issue[] }): { events: LedgerEvent[]; issues: string[] } => ({
  events: [...r.events],
  issues: r.issues.map(describeIssue),
});

/** The records as CSV; `quoted` quotes the x_memo cells, which sends the whole file through csv-parse. */
function csv(records: readonly Record_[], quoted: boolean): string {
  const cell = (c: string, v: string): string => (quoted && c === 'x_memo' ? `"${v}"` : v);
  return [COLUMNS.join(','), ...records.map((r) => COLUMNS.map((c) => cell(c, r[c] ?? '')).join(','))].join('\n') + '\n';
}

function csvPaths(records: readonly Record_[]) {
  const plain = decodeTransactionsText(csv(records, false), 't.csv');
  const quoted = decodeTransactionsText(csv(records, true), 't.csv');
  if (!plain.ok || !quoted.ok) throw new Error('header refused');
  return { direct: view(plain.value), generic: view(quoted.value) };
}

function jsonPaths(events: readonly Record<string, unknown>[]) {
  const text = JSON.stringify({ accounts: [], events });
  const scanned = scanCaseJson(text, 'c.json');
  if (!scanned.ok || 'parsed' in scanned.value || scanned.value.events === undefined || 'notAnArray' in scanned.value.events) throw new Error('not scanned');
  const decoder = new EventDecoder();
  const parsed = { events: [] as LedgerEvent[], issues: [] as Issue[] };
  events.forEach((r, i) => {
    const d = decoder.decode(r, { file: 'c.json', row: i + 1 }, `row${i + 1}`);
    if (d.ok) parsed.events.push(d.event);
    else parsed.issues.push(...d.issues);
  });
  return { scanned: view(scanned.value.events), parsed: view(parsed) };
}

describe('the direct and the generic readers agree', () => {
  it('CSV: the direct path equals csv-parse + the generic decoder', () => {
    checkProperty(
      fc.property(fc.array(record.map(({ feez: _feez, ...r }) => r), { minLength: 1, maxLength: 8 }), (records) => {
        const { direct, generic } = csvPaths(records);
        expect(direct).toEqual(generic);
      }),
      { numRuns: 300 },
    );
  });

  it('JSON: the scanner equals JSON.parse + the generic decoder, unknown keys included', () => {
    checkProperty(
      fc.property(fc.array(jsonRecord, { minLength: 1, maxLength: 8 }), (records) => {
        const { scanned, parsed } = jsonPaths(records);
        expect(scanned).toEqual(parsed);
      }),
      { numRuns: 300 },
    );
  });

  it('JSON: whole example cases read by the scanner equal JSON.parse + decode', () => {
    for (const f of readdirSync('examples/households').filter((x) => x.endsWith('.json'))) {
      const path = join('examples/households', f);
      const scanned = loadCase(path);
      const parsed = decodeCaseDocument(JSON.parse(readFileSync(path, 'utf8')), path);
      expect(scanned.ok, f).toBe(true);
      expect(scanned).toEqual(parsed);
    }
  });
});
