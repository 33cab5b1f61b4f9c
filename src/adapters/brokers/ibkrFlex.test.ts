import { describe, expect, it } from 'vitest';
import { formatDay } from '../../core/kernel/calendar.js';
import { format } from '../../core/kernel/exact.js';
import { book } from '../../core/ledger/booking.js';
import { accountId, DEFAULT_SETTINGS, type Household } from '../../core/ledger/household.js';
import type { ImportBatch } from '../../app/importBatch.js';
import { fixture, issuesOf, lines, unwrap } from './brokerTesting.test-util.js';
import { ibkrFlex, parseIbkrFlex } from './ibkrFlex.js';
import { ibkrDay } from './ibkrFields.js';

function household(batch: ImportBatch): Household {
  return { settings: DEFAULT_SETTINGS, accounts: batch.accounts.map((a) => ({ id: accountId(a.key), type: a.type ?? 'taxable', owner: 'self' })), securities: batch.securities };
}

describe('Interactive Brokers Flex XML', () => {
  it('books executions only, converts a EUR trade at fxRateToBase, and opens lots only for securities it did not trade', () => {
    const batch = unwrap(parseIbkrFlex('ibkr-activity.xml', fixture('ibkr-activity.xml')));
    expect(batch.accounts).toEqual([{ key: 'U7654321', custodian: 'ibkr', title: 'Main' }]);
    expect(lines(batch)).toEqual([
      '2025-01-02 deposit U7654321 10000.00 [ibkr:6001]',
      '2025-01-15 buy U7654321 AAPL 6 @ 185.5 fees 0.60 [ibkr:5001]',
      '2025-01-15 buy U7654321 AAPL 4 @ 185.5 fees 0.40 [ibkr:5002]',
      '2025-02-03 buy U7654321 SAP 5 @ 270 fees 3.24 [ibkr:5004]',
      '2025-02-20 sell U7654321 AAPL 3 @ 200 fees 1.00 [ibkr:5003]',
      '2025-03-03 buy U7654321 BRK.B 2 @ 480.25 fees 0.35 [ibkr:5006]',
      '2025-03-05 deposit U7654321 3.21 [ibkr:6004]',
      '2025-03-05 fee U7654321 10.00 [ibkr:6005]',
      '2025-03-10 split U7654321 NVDA 10 for 1 [ibkr:7001]',
      '2025-03-13 dividend U7654321 MSFT 16.60 [ibkr:6002]',
      '2025-03-13 fee U7654321 1.66 [ibkr:6003]',
      '2025-03-20 split U7654321 XYZ 1 for 4 [ibkr:7002]',
      '2025-03-28 withdrawal U7654321 500.00 [ibkr:6006]',
      '2025-03-31 transfer_in U7654321 MSFT 12 basis 3600.00 acquired 2021-06-01 [ibkr:3001]',
      '2025-03-31 transfer_in U7654321 MSFT 8 basis 2850.00 acquired 2024-12-20 held from 2024-11-02 [ibkr:3002]',
    ]);
    expect(batch.securities).toContainEqual({ symbol: 'AAPL', cusip: '037833100' });
    expect(batch.securities).toContainEqual({ symbol: 'MSFT', cusip: '594918104' });
    expect(batch.positions.map((p) => [p.symbol, formatDay(p.asOf), format('shares', p.shares), p.costBasis === undefined ? '' : format('usd', p.costBasis)])).toEqual([
      ['AAPL', '2025-03-31', '7', '1299.20'],
      ['MSFT', '2025-03-31', '20', '6450.00'],
    ]);
    expect(batch.notes).toContain('1 forex conversions (assetCategory CASH) not booked: the ledger keeps US-dollar cash');
    expect(batch.notes).toContain('2 Trades rows at ORDER, SYMBOL_SUMMARY, ASSET_SUMMARY or CLOSED_LOT level not booked (they repeat the EXECUTION rows)');
  });

  it('books lots that reconcile with the open positions, shares and cost basis', () => {
    const batch = unwrap(parseIbkrFlex('ibkr-activity.xml', fixture('ibkr-activity.xml')));
    const ledger = book(household(batch), batch.events.map((e) => e.event));
    expect(ledger.ok).toBe(true);
    if (!ledger.ok) return;
    for (const p of batch.positions) {
      const lots = ledger.value.openLots.filter((l) => l.account === p.accountKey && l.symbol === p.symbol);
      expect([p.symbol, lots.reduce((s, l) => s + l.shares, 0), lots.reduce((s, l) => s + l.basis, 0)]).toEqual([p.symbol, p.shares, p.costBasis]);
    }
  });

  it('reads several statements as several accounts, typed from AccountInformation, with yyyyMMdd dates', () => {
    const batch = unwrap(parseIbkrFlex('ibkr-two-accounts.xml', fixture('ibkr-two-accounts.xml')));
    expect(batch.accounts).toEqual([
      { key: 'U1000001', custodian: 'ibkr' },
      { key: 'U1000002', custodian: 'ibkr', type: 'roth_ira' },
    ]);
    expect(lines(batch)).toEqual([
      '2025-01-10 buy U1000001 VTI 10 @ 290.1 fees 1.00 [ibkr:8001]',
      '2025-01-20 buy U1000002 VTI 1 @ 294.88 fees 0.00 [ibkr:8002]',
    ]);
  });

  it('refuses options, ambiguous dates, bad numbers, mergers and unknown cash types, each with its line and attribute', () => {
    expect(issuesOf(parseIbkrFlex('ibkr-unsupported.xml', fixture('ibkr-unsupported.xml')))).toEqual([
      'ibkr-unsupported.xml, row 5, field assetCategory: OPT trade of AAPL  250221C00180000 not booked: Lotsmith books stocks and funds, not options, futures or bonds [UNKNOWN_ACTION]',
      'ibkr-unsupported.xml, row 6, field tradeDate: not a Flex date (yyyyMMdd or yyyy-MM-dd, optionally with a time): "01/12/2025"; set the Flex query\'s date format to yyyyMMdd [BAD_DATE]',
      'ibkr-unsupported.xml, row 7, field quantity: not a number: "abc" [BAD_NUMBER]',
      'ibkr-unsupported.xml, row 13, field type: unknown cash transaction type "Mystery Credit" [UNKNOWN_ACTION]',
      'ibkr-unsupported.xml, row 10, field type: corporate action TC not booked: ABC(US0000000000) MERGED(Acquisition) WITH DEF 1 FOR 2 (ABC, ABC INC, US0000000000) [UNKNOWN_ACTION]',
    ]);
  });

  it('locates malformed XML', () => {
    expect(issuesOf(parseIbkrFlex('ibkr-malformed.xml', fixture('ibkr-malformed.xml')))).toEqual([
      "ibkr-malformed.xml, row 6: malformed XML: Expected closing tag 'Trade' (opened in line 5, col 1) instead of closing tag 'Trades'. (column 1) [PARSE]",
    ]);
  });

  it('reads the date spellings a Flex query can produce', () => {
    for (const t of ['20250807', '2025-08-07', '20250807;104523', '2025-08-07;104523', '20250807 10:45:23', '2025-08-07, 10:45:23']) expect(formatDay(ibkrDay(t) ?? (0 as never))).toBe('2025-08-07');
    expect(ibkrDay('08/07/2025')).toBeUndefined();
    expect(ibkrDay('20250230')).toBeUndefined();
  });

  it('sniffs Flex XML by content', () => {
    expect(ibkrFlex.sniff('a.xml', fixture('ibkr-activity.xml'))).toBe(true);
    expect(ibkrFlex.sniff('a.xml', '<OFX></OFX>')).toBe(false);
  });
});
