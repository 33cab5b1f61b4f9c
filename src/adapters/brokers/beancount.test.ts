import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeIssue } from '../../core/kernel/errors.js';
import { book } from '../../core/ledger/booking.js';
import { form8949 } from '../../core/ledger/form8949.js';
import { accountId, type Household } from '../../core/ledger/household.js';
import type { LedgerEvent } from '../../core/ledger/events.js';
import type { Ledger } from '../../core/ledger/ledger.js';
import { decodeCaseDocument } from '../files/caseFile.js';
import { renderBeancount } from '../render/beancount.js';
import { beancountLedger, parseBeancountLedger } from './beancount.js';
import { fixture, issuesOf, lines, unwrap } from './brokerTesting.test-util.js';

describe('beancount import', () => {
  it('books a personal ledger: grouped fund accounts, an opening lot with its date, fees, income, lots named or by booking method', () => {
    const batch = unwrap(parseBeancountLedger('household.beancount', fixture('household.beancount')));
    expect(batch.accounts).toEqual([
      { key: 'Assets:Vanguard', custodian: 'beancount', title: 'Assets:Vanguard' },
      { key: 'Assets:Fidelity:RothIRA', custodian: 'beancount', title: 'Assets:Fidelity:RothIRA', type: 'roth_ira' },
      { key: 'schwab-joint', custodian: 'beancount', title: 'Assets:Schwab:Taxable' },
    ]);
    expect(batch.securities).toEqual([{ symbol: 'VOO', cusip: '922908363' }, { symbol: 'VTI' }, { symbol: 'SCHB' }]);
    const open = 'bean:2025-01-02:8d04dd7eb64b';
    expect(lines(batch)).toEqual([
      `2025-01-02 transfer_in Assets:Vanguard VOO 10 basis 3500.00 acquired 2020-03-16 [${open}]`,
      '2025-01-06 deposit Assets:Vanguard 4000.00 [bean:2025-01-06:ad085f219a4e]',
      '2025-01-06 buy Assets:Vanguard VOO 4 @ 540.12 fees 4.95 [bean:2025-01-06:f28da65cc272]',
      '2025-01-10 buy Assets:Fidelity:RothIRA VTI 5 @ 290 fees 0.00 [roth-vti-1]',
      '2025-02-03 buy schwab-joint SCHB 20 @ 22.1 fees 0.00 [bean:2025-02-03:2b3eb54af188]',
      '2025-02-10 buy schwab-joint SCHB 10 @ 23 fees 0.00 [bean:2025-02-10:8d1a8c2747b6]',
      '2025-03-03 dividend Assets:Vanguard VOO 18.40 [bean:2025-03-03:d2a84ad7afce]',
      '2025-03-05 dividend_reinvest Assets:Vanguard VOO 0.04 @ 460 fees 0.00 [bean:2025-03-05:1389ea009f69]',
      `2025-04-01 sell Assets:Vanguard VOO 5 @ 500 fees 5.00 lots ${open}:5 [bean:2025-04-01:df041dab0983]`,
      '2025-04-02 sell Assets:Vanguard VOO 6 @ 510 fees 0.00 FIFO [bean:2025-04-02:97fa7be1b90d]',
      '2025-04-03 sell schwab-joint SCHB 12 @ 24 fees 0.00 LIFO [bean:2025-04-03:ff1c689f2848]',
      '2025-04-04 sell Assets:Fidelity:RothIRA VTI 5 @ 300 fees 0.00 lots roth-vti-1:5 [bean:2025-04-04:354c87e95295]',
      '2025-04-06 deposit Assets:Vanguard 1.23 [bean:2025-04-06:cff2e4e9790f]',
      '2025-04-07 fee Assets:Vanguard 20.00 [bean:2025-04-07:d8b6c9279775]',
      '2025-04-08 withdrawal Assets:Vanguard 100.00 [bean:2025-04-08:509c234a4d7f]',
    ]);
    expect(batch.notes).toContain('2 transactions touching no investment account not booked');
    expect(batch.notes).toContain('plugin beancount.plugins.implicit_prices not run: the ledger is read as written');
  });

  it('keeps balance assertions on securities as stated positions, and the booked lots meet them', () => {
    const batch = unwrap(parseBeancountLedger('household.beancount', fixture('household.beancount')));
    expect(batch.positions.map((p) => [p.accountKey, p.symbol, p.shares, p.source.row])).toEqual([['Assets:Vanguard', 'VOO', 3_040_000, 93]]);
    const household: Household = {
      settings: { filingStatus: 'single', lotMethod: 'FIFO', substantiallyIdentical: { policy: 'same_symbol', groups: [], matchCusip: false } },
      accounts: batch.accounts.map((a) => ({ id: accountId(a.key), type: a.type ?? 'taxable', owner: 'self' })),
      securities: batch.securities,
    };
    const ledger = book(household, batch.events.map((e) => e.event));
    expect(ledger.ok).toBe(true);
    if (!ledger.ok) return;
    const voo = ledger.value.openLots.filter((l) => l.symbol === 'VOO').reduce((s, l) => s + l.shares, 0);
    expect(voo).toBe(3_040_000);
    // The old lot sold on 2025-04-01 was bought on 2020-03-16 (long term), as the ledger says.
    expect(ledger.value.dispositions[0]?.term).toBe('long');
  });

  it('reports syntax it does not support with the line, in line order', () => {
    expect(issuesOf(parseBeancountLedger('beancount-syntax.beancount', fixture('beancount-syntax.beancount')))).toEqual([
      'beancount-syntax.beancount, row 5, field units: arithmetic in amounts is not supported: write the resulting number [PARSE]',
      'beancount-syntax.beancount, row 9, field cost: the merge cost {*} (average cost) is not supported [PARSE]',
      'beancount-syntax.beancount, row 12: cannot read "Some stray words": not a date, number, account, commodity, string or keyword [PARSE]',
      'beancount-syntax.beancount, row 13, field date: not a calendar date: 2025-13-01 [PARSE]',
    ]);
  });

  it('refuses includes, a foreign operating currency, ambiguous STRICT reductions and unopened accounts', () => {
    expect(issuesOf(parseBeancountLedger('beancount-unsupported.beancount', fixture('beancount-unsupported.beancount')))).toEqual([
      'beancount-unsupported.beancount, row 1, field include: include "other.beancount" is not followed: import a single file (e.g. concatenate the included files) [UNKNOWN_ACTION]',
      'beancount-unsupported.beancount, row 2, field operating_currency: operating currency EUR: Lotsmith books lots with costs in US dollars [BAD_VALUE]',
      'beancount-unsupported.beancount, row 16, field cost: the cost spec matches 2 lots of VOO and the booking method is STRICT: name the lot (cost, date or label) [UNKNOWN_LOT]',
      'beancount-unsupported.beancount, row 21, field account: account Assets:Brokr is not open on this date (no open directive) [UNKNOWN_ACCOUNT]',
    ]);
  });

  it('sniffs beancount by content', () => {
    expect(beancountLedger.sniff('x.txt', fixture('household.beancount'))).toBe(true);
    expect(beancountLedger.sniff('x.txt', '<?xml version="1.0"?><FlexQueryResponse/>')).toBe(false);
  });
});

function loadCase(doc: unknown, name: string): { household: Household; events: readonly LedgerEvent[] } {
  const c = decodeCaseDocument(doc, name);
  if (!c.ok) throw new Error(c.issues.map(describeIssue).join('\n'));
  return c.value;
}

function bookOrThrow(household: Household, events: readonly LedgerEvent[]): Ledger {
  const l = book(household, events);
  if (!l.ok) throw new Error(l.issues.map(describeIssue).join('\n'));
  return l.value;
}

/** case -> beancount -> import -> book: the same open lots and Form 8949 rows. */
function roundTrip(household: Household, events: readonly LedgerEvent[], name: string): void {
  const text = renderBeancount(household, events);
  if (!text.ok) throw new Error(text.issues.map(describeIssue).join('\n'));
  const batch = unwrap(parseBeancountLedger(`${name}.beancount`, text.value));
  const imported: Household = {
    ...household,
    accounts: batch.accounts.map((a) => ({ id: accountId(a.key), type: a.type ?? 'taxable', owner: 'self' })),
  };
  expect(batch.accounts.map((a) => [a.key, a.type])).toEqual(household.accounts.map((a) => [a.id, a.type]));
  const before = bookOrThrow(household, events);
  const after = bookOrThrow(imported, batch.events.map((e) => e.event));
  const lots = (l: Ledger) => l.openLots.map(({ seq: _seq, ...rest }) => rest);
  expect(lots(after)).toEqual(lots(before));
  expect(after.dispositions).toEqual(before.dispositions);
  expect(form8949(after).rows).toEqual(form8949(before).rows);
}

describe('beancount export', () => {
  it('round-trips a household with transfers, splits, a wash sale across accounts and an opening lot with a wash adjustment', () => {
    const c = loadCase(JSON.parse(readFileSync(join(process.cwd(), 'test', 'fixtures', 'beancount', 'roundtrip-household.json'), 'utf8')), 'roundtrip-household.json');
    roundTrip(c.household, c.events, 'roundtrip');
  });

  it('round-trips every wash-sale worked example', () => {
    const cases = JSON.parse(readFileSync(join(process.cwd(), 'test', 'fixtures', 'examples', 'wash_sales.json'), 'utf8')) as { id: string; input: unknown }[];
    expect(cases.length).toBeGreaterThan(5);
    for (const example of cases) {
      const c = loadCase(example.input, example.id);
      roundTrip(c.household, c.events, example.id);
    }
  });

  it('writes lots at the cost paid, the wash sale as metadata, and renames tickers beancount cannot spell', () => {
    const cases = JSON.parse(readFileSync(join(process.cwd(), 'test', 'fixtures', 'examples', 'wash_sales.json'), 'utf8')) as { id: string; input: unknown }[];
    const first = cases.find((x) => x.id === 'WS-001') as { input: unknown };
    const c = loadCase(first.input, 'WS-001');
    const text = renderBeancount(c.household, c.events);
    expect(text.ok && text.value).toBe(readFileSync(join(process.cwd(), 'test', 'golden', 'beancount', 'ws-001.beancount'), 'utf8'));
  });
});
