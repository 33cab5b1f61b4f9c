/**
 * Fidelity history CSV: the three header generations by column name, actions by verb phrase, the
 * footer left out, rows booked by date, accounts from the Account Number column, and every row
 * that cannot be booked reported with its line and field.
 */
import { describe, expect, it } from 'vitest';
import { formatUsd, type Usd } from '../../core/kernel/exact.js';
import { book } from '../../core/ledger/booking.js';
import { accountId, DEFAULT_SETTINGS } from '../../core/ledger/household.js';
import type { ImportBatch } from '../../app/importBatch.js';
import { eventLine, fixture, parsed, problems } from './brokers.test-util.js';
import { fidelityHistory } from './fidelityHistory.js';

const parse = (name: string): ImportBatch => {
  const { file, text } = fixture(name);
  return parsed(fidelityHistory.parse(file, text));
};

function cashAfterBooking(batch: ImportBatch): string {
  const household = { settings: DEFAULT_SETTINGS, accounts: batch.accounts.map((a) => ({ id: accountId(a.key), type: 'taxable' as const, owner: 'self' as const })), securities: batch.securities };
  const r = book(household, batch.events.map((e) => e.event));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return formatUsd([...r.value.cash.values()].reduce((s, v) => s + v, 0) as Usd);
}

describe('Fidelity history, 2023 single account (12 columns, bare-comma preamble, padded footer)', () => {
  const b = parse('fidelity-history-2023.csv');

  it('books every row by date; the core money market is cash, so its reinvestment moves no lots', () => {
    expect(b.events.map(eventLine)).toEqual([
      '2023-01-03 deposit 5000.00 (line 16)',
      '2023-01-10 buy FXAIX 20.5 @ 130 fees 0.00 (line 15)',
      '2023-01-20 withdrawal 75.50 (line 14)',
      '2023-02-01 deposit 250.00 (line 13)',
      '2023-02-10 dividend VXUS 3.00 (line 12)',
      '2023-02-10 fee 0.45 (line 11)',
      '2023-02-15 buy AAPL 10 @ 152.55 fees 0.02 (line 10)',
      '2023-03-01 dividend SPAXX 3.12 (line 9)',
      '2023-03-15 sell FXAIX 10.5 @ 140.25 fees 0.00 (line 7)',
    ]);
    expect(b.notes).toContain("REINVESTMENT: 1 row not booked (the core money market: its shares are the account's cash)");
  });

  it('uses the default account: the 2023 layout names none', () => {
    expect(b.accounts).toEqual([{ key: '', custodian: 'fidelity' }]);
    expect(b.notes).toContain('The file names no account number: its rows belong to the default account (choose it with --account)');
  });

  it("books exactly the file's cash, the core money market counted as cash", () => {
    // The Amount column adds up to 2459.16 (1472.63 - 3.12 + 3.12 - 1525.52 - 0.45 + 3 + 250 - 75.5 - 2665 + 5000);
    // Fidelity counts the 3.12 reinvested in SPAXX as leaving cash, the ledger keeps it as cash.
    expect(cashAfterBooking(b)).toBe('2462.28');
  });
});

describe('Fidelity history, 2025 (14 columns, Price before Quantity, quoted footer, no final newline)', () => {
  const b = parse('fidelity-history-2025.csv');

  it('reads price and quantity by name and books the day of a reinvestment as income, withholding, purchase', () => {
    expect(b.events.map(eventLine)).toEqual([
      '2025-12-01 buy VTI 40 @ 300 fees 0.00 (line 12)',
      '2025-12-01 deposit 25000.00 (line 11)',
      '2025-12-18 sell VTI 12 @ 330.1 fees 0.66 (line 10)',
      '2025-12-19 dividend VTI 8.50 (line 9)',
      '2025-12-23 dividend VT 144.98 (line 7)',
      '2025-12-23 fee 21.75 (line 8)',
      '2025-12-23 buy VT 0.8724 @ 141.25401192 fees 0.00 (line 6)',
      '2025-12-24 buy VT 28 @ 142.03428571 fees 0.00 (line 5)',
      '2025-12-24 buy VT 10 @ 142.035 fees 0.00 (line 4)',
      '2025-12-24 buy VT 10 @ 142.035 fees 0.00 (line 3)',
      '2025-12-31 deposit 0.04 (line 2)',
    ]);
  });

  it('keeps the dividend and the reinvestment apart: the reinvestment spends the dividend net of withholding', () => {
    // 144.98 received, 21.75 withheld, 123.23 reinvested: no cash left over, and income is the gross dividend.
    expect(cashAfterBooking(b)).toBe('10151.42');
    expect(b.notes).toContain('REINVESTMENT: 1 row booked as buy (the purchase made with a dividend; its DIVIDEND RECEIVED row books the dividend)');
    expect(b.notes).toContain('LONG-TERM CAP GAIN: 1 row booked as dividend (a capital-gain distribution)');
    expect(b.notes).toContain('YOU SOLD: 1 row booked as sell');
  });

  it('takes the account from the Account Number column, titled by the Account column', () => {
    expect(b.accounts).toEqual([{ key: 'Z12345678', title: 'Individual - TOD', custodian: 'fidelity' }]);
    const keys = b.events.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every((k) => /^fidelity:[0-9a-f]{16}$/.test(k))).toBe(true);
  });
});

describe('Fidelity history, all accounts (18 columns, rows out of date order)', () => {
  const b = parse('fidelity-history-all-accounts.csv');

  it('sorts the rows by date and books each into its account', () => {
    expect(b.events.map((e) => `${e.event.account} ${eventLine(e)}`)).toEqual([
      'Z11111111 2025-12-15 buy VTI 10 @ 290 fees 0.00 (line 7)',
      'Z11111111 2025-12-29 buy IVV 1 @ 690.12 fees 0.00 (line 6)',
      '222222222 2025-12-29 buy IVV 1 @ 690.12 fees 0.00 (line 3)',
      'Z11111111 2025-12-31 dividend VTI 12.34 (line 5)',
      '222222222 2026-01-02 deposit 7000.00 (line 4)',
      'Z11111111 2026-01-05 buy VTI 2 @ 300.5 fees 0.00 (line 2)',
    ]);
  });

  it('types an account only from what its name says', () => {
    expect(b.accounts).toEqual([
      { key: 'Z11111111', title: 'Individual', custodian: 'fidelity' },
      { key: '222222222', title: 'ROTH IRA', type: 'roth_ira', custodian: 'fidelity' },
    ]);
  });

  it('gives the same purchase in two accounts two keys', () => {
    const ivv = b.events.filter((e) => e.event.kind === 'buy' && e.event.symbol === 'IVV').map((e) => e.key);
    expect(ivv).toHaveLength(2);
    expect(ivv[0]).not.toBe(ivv[1]);
  });
});

describe('Fidelity rows that cannot be booked, and malformed files, get located errors', () => {
  const HEADER = 'Run Date,Account,Account Number,Action,Symbol,Description,Type,Price ($),Quantity,Commission ($),Fees ($),Accrued Interest ($),Amount ($),Settlement Date';
  const BUY = '12/24/2025,"Individual","Z1","YOU BOUGHT VANGUARD TOTAL STOCK MKT (VTI) (Cash)",VTI,"VANGUARD TOTAL STOCK MARKET ETF",Cash,300,10,,,,-3000,12/26/2025';
  const errors = (...rows: string[]): string[] => problems(fidelityHistory.parse('h.csv', [HEADER, ...rows].join('\n')));

  const cases: [string, string, RegExp][] = [
    ['a bond purchase (CUSIP symbol, face quantity)', '01/10/2025,"Individual","Z1","YOU BOUGHT US TREASURY BILL (912797LN5) (Cash)",912797LN5,"UNITED STATES TREAS BILLS",Cash,98.76,10000,,,,-9876,01/13/2025', /^h\.csv, row 2, field Symbol: YOU BOUGHT of 912797LN5: bonds, CDs/],
    ['a bond redemption', '02/10/2025,"Individual","Z1","REDEMPTION PAYOUT US TREASURY BILL (912797LN5) (Cash)",912797LN5,"UNITED STATES TREAS BILLS",Cash,1,-10000,,,,10000,', /row 2, field Action: REDEMPTION PAYOUT: bonds, CDs/],
    ['an option opened', '03/03/2025,"Individual","Z1","YOU SOLD OPENING TRANSACTION CALL (AAPL) APPLE INC MAR 21 25 $250 (100 SHS) (Margin)",-AAPL250321C250,"CALL (AAPL) APPLE INC",Margin,2.1,-1,0.65,0.02,,209.33,', /row 2, field Action: YOU SOLD OPENING TRANSACTION: options and short sales/],
    ['a merger', '07/26/2021,"Individual","Z1","MERGER MER FROM 171439102#REOR M0051591990001 LUCID GROUP INC (LCID) (Cash)",LCID,"LUCID GROUP INC",Cash,,50,,,,,', /row 2, field Action: MERGER: a corporate action/],
    ['shares transferred in', '05/01/2025,"Individual","Z1","TRANSFERRED FROM VS Z87654321 VANGUARD TOTAL (VTI) (Cash)",VTI,"VANGUARD TOTAL STOCK MARKET ETF",Cash,,25,,,,,', /row 2, field Action: TRANSFERRED FROM of 25 shares of VTI: shares moved into or out of the account/],
    ['an unknown action', BUY.replace('YOU BOUGHT', 'YOU WON'), /^h\.csv, row 2, field Action: unknown Fidelity action "YOU WON VANGUARD TOTAL STOCK MKT \(VTI\) \(Cash\)".* \[UNKNOWN_ACTION\]$/],
    ['a bad date', BUY.replace('12/24/2025', '2025-12-24'), /^h\.csv, row 2, field Run Date: not a date \(MM\/DD\/YYYY\): "2025-12-24" \[BAD_DATE\]$/],
    ['a bad amount', BUY.replace('-3000', '"-3,0000"'), /^h\.csv, row 2, field Amount \(\$\): not a number: "-3,0000" \[BAD_NUMBER\]$/],
    ['a sale that pays cash', BUY.replace('YOU BOUGHT', 'YOU SOLD').replace(',10,', ',-10,'), /row 2, field Amount \(\$\): a sale receives cash \(a positive amount\), got -3000\.00 \[BAD_VALUE\]$/],
    ['a purchase with a negative quantity', BUY.replace(',10,', ',-10,'), /row 2, field Quantity: a purchase with a negative quantity \(-10\) \[BAD_VALUE\]$/],
    ['a data row after the footer', `\n"The data and information in this spreadsheet is provided to you solely for your use"\n${BUY}`, /^h\.csv, row 4: a data row after the end of the table \(line 2\) \[PARSE\]$/],
  ];
  for (const [name, row, expected] of cases) {
    it(name, () => {
      const found = errors(row);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(expected);
    });
  }

  it('amounts in another currency (all-accounts layout)', () => {
    const { text } = fixture('fidelity-history-all-accounts.csv');
    expect(problems(fidelityHistory.parse('a.csv', text.replace('Cash,0,,USD,290,10', 'Cash,0,,CAD,290,10')))).toEqual([
      'a.csv, row 7, field Currency: amounts in CAD: only US dollars are booked [BAD_VALUE]',
    ]);
  });
});
