/**
 * Schwab Lot Details CSV: each open lot becomes an opening transfer_in with its own acquisition date
 * and basis; the wash-sale layout keeps the original purchase date and basis apart from the
 * adjustment; the Total row is the stated position and is checked against the lots.
 */
import { describe, expect, it } from 'vitest';
import { book } from '../../core/ledger/booking.js';
import { accountId, DEFAULT_SETTINGS } from '../../core/ledger/household.js';
import { format } from '../../core/kernel/exact.js';
import { formatDay } from '../../core/kernel/calendar.js';
import { eventLine, fixture, parsed, positionLine, problems } from './brokers.test-util.js';
import { schwabLotDetails } from './schwabLotDetails.js';

const parse = (name: string) => {
  const { file, text } = fixture(name);
  return parsed(schwabLotDetails.parse(file, text));
};

describe('Schwab Lot Details', () => {
  it('normal layout: one transfer_in per lot on the file date, acquired on its Open Date', () => {
    const b = parse('schwab-lotdetails-VTI.csv');
    expect(b.events.map(eventLine)).toEqual([
      '2021-03-02 transfer_in VTI 10 basis 2000.00 acquired 2021-01-20 (line 4)',
      '2021-03-02 transfer_in VTI 5 basis 1000.00 acquired 2021-01-20 (line 5)',
    ]);
    expect(b.positions.map(positionLine)).toEqual(['2021-03-02 XXXX-7788 VTI 15 cost 3000.00 (line 6)']);
    expect(b.accounts).toEqual([{ key: 'XXXX-7788', custodian: 'schwab' }]);
    expect(b.notes).toContain('The Total row on line 6: the rows add up to the stated quantity (15) and cost basis ($3000.00) and market value ($3090.00)');
    const keys = b.events.map((e) => e.key);
    expect(new Set(keys).size).toBe(2);
    expect(keys.every((k) => /^schwab-lot:[0-9a-f]{16}$/.test(k))).toBe(true);
  });

  it('wash-sale layout: basis = Transaction CB, the Disallowed Loss as wash adjustment, held from the adjusted Open Date', () => {
    const b = parse('schwab-lotdetails-wash.csv');
    expect(b.events.map(eventLine)).toEqual([
      '2025-05-04 transfer_in SCHB 100 basis 2100.00 acquired 2025-03-10 held from 2024-11-12 wash 300.00 (line 4)',
      '2025-05-04 transfer_in SCHB 50.5 basis 1010.00 acquired 2025-01-06 (line 5)',
    ]);
    expect(b.positions.map(positionLine)).toEqual(['2025-05-04 ...456 SCHB 150.5 cost 3410.00 (line 6)']);
  });

  it("books into lots whose adjusted basis is Schwab's Cost Basis and whose holding period starts at the Open Date", () => {
    const b = parse('schwab-lotdetails-wash.csv');
    const household = { settings: DEFAULT_SETTINGS, accounts: [{ id: accountId('...456'), type: 'taxable' as const, owner: 'self' as const }], securities: b.securities };
    const r = book(household, b.events.map((e) => e.event));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.openLots.map((l) => `${format('shares', l.shares)} basis ${format('usd', l.basis)} wash ${format('usd', l.washAdjustment)} held from ${formatDay(l.heldFrom)}`)).toEqual([
      '50.5 basis 1010.00 wash 0.00 held from 2025-01-06',
      '100 basis 2400.00 wash 300.00 held from 2024-11-12',
    ]);
  });

  it('warns when the Total row disagrees with the lots, and states what the file says', () => {
    const { text } = fixture('schwab-lotdetails-VTI.csv');
    const b = parsed(schwabLotDetails.parse('l.csv', text.replace('"Total","15"', '"Total","10"')));
    expect(b.events).toHaveLength(2);
    expect(b.positions.map(positionLine)).toEqual(['2021-03-02 XXXX-7788 VTI 10 cost 3000.00 (line 6)']);
    expect(b.notes).toContain('Warning: the Total row on line 6 states quantity 10 but the rows add up to 15 — the rows are imported as listed');
  });

  it('malformed files get located errors', () => {
    const { text } = fixture('schwab-lotdetails-VTI.csv');
    const bad = (from: string, to: string): string[] => problems(schwabLotDetails.parse('l.csv', text.replace(from, to)));
    expect(bad('"01/20/2021 09:31:02","10"', '"01/32/2021 09:31:02","10"')).toEqual(['l.csv, row 4, field Open Date: not a date (MM/DD/YYYY [HH:MM:SS]): "01/32/2021 09:31:02" [BAD_DATE]']);
    expect(bad('"01/20/2021 09:31:02","10"', '"04/20/2021 09:31:02","10"')).toEqual(["l.csv, row 4, field Open Date: a lot opened after the file's date 2021-03-02 [BAD_DATE]"]);
    expect(bad('"$2,000.00","$60.00"', '"--","$60.00"')).toEqual(['l.csv, row 4, field Cost Basis: a lot needs its cost basis (zero or more) [MISSING_FIELD]']);
    expect(bad('"01/20/2021 09:31:02","10"', '"01/20/2021 09:31:02","-10"')).toEqual(['l.csv, row 4, field Quantity: a lot needs a positive quantity, got -10 [NOT_POSITIVE]']);
    expect(bad('"VTI Lot Details for', '"VTI Lots for')).toEqual(['l.csv, row 1: no title line "<SYMBOL> Lot Details for <account> as of ...": not a Schwab Lot Details export [PARSE]']);
  });
});
