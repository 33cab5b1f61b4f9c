/**
 * Schwab transactions CSV: both generations read into the exact events of their rows, cash counted
 * once through a reinvestment, splits stated in shares, stable keys, and every row that cannot be
 * booked reported with its line and field.
 */
import { describe, expect, it } from 'vitest';
import { formatUsd, type Usd } from '../../core/kernel/exact.js';
import { book } from '../../core/ledger/booking.js';
import { accountId, DEFAULT_SETTINGS, type Household } from '../../core/ledger/household.js';
import type { ImportBatch } from '../../app/importBatch.js';
import { eventLine, fixture, parsed, problems, splitLine } from './brokers.test-util.js';
import { schwabTransactions } from './schwabTransactions.js';

const parse = (name: string): ImportBatch => {
  const { file, text } = fixture(name);
  return parsed(schwabTransactions.parse(file, text));
};

/** The account's cash and dividend income after booking the batch's events in the core ledger. */
function booked(batch: ImportBatch): { cash: string; income: string } {
  const household: Household = {
    settings: DEFAULT_SETTINGS,
    accounts: batch.accounts.map((a) => ({ id: accountId(a.key), type: 'taxable', owner: 'self' })),
    securities: batch.securities,
  };
  const r = book(household, batch.events.map((e) => e.event));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const cash = [...r.value.cash.values()].reduce((s, v) => s + v, 0) as Usd;
  const income = r.value.dividends.reduce((s, d) => s + d.amount, 0) as Usd;
  return { cash: formatUsd(cash), income: formatUsd(income) };
}

describe('Schwab transactions, 2020 generation (title line, trailing commas, CRLF, unquoted trailer)', () => {
  const batch = parse('schwab-transactions-2020.csv');

  it('books every row in date order, the newest-first file read from the bottom', () => {
    expect(batch.events.map(eventLine)).toEqual([
      '2021-01-04 withdrawal 100.00 (line 15)',
      '2021-01-04 buy ABCD 10 @ 75 fees 0.00 (line 14)',
      '2021-01-05 deposit 5000.00 (line 13)',
      '2021-01-11 dividend VTI 3.10 (line 12)',
      '2021-01-20 buy VTI 10 @ 200 fees 0.00 (line 10)',
      '2021-01-20 buy VTI 10 @ 200 fees 0.00 (line 9)',
      '2021-01-25 fee 1.23 (line 8)',
      '2021-01-25 deposit 0.40 (line 7)',
      '2021-01-28 dividend SCHD 25.08 (line 6)',
      '2021-02-01 buy SCHD 0.3721 @ 67.4 fees 0.00 (line 5)',
      '2021-02-12 deposit 0.12 (line 4)',
      '2021-02-26 sell VTI 5 @ 205.1 fees 0.02 (line 3)',
    ]);
  });

  it('takes the account from the title line: masked number as key, nickname as title', () => {
    expect(batch.accounts).toEqual([{ key: 'XXXX-7788', title: 'Taxable', custodian: 'schwab' }]);
    expect(batch.events.every((e) => e.event.account === 'XXXX-7788')).toBe(true);
    expect(batch.securities.map((s) => s.symbol)).toEqual(['ABCD', 'SCHD', 'VTI']);
  });

  it('states a Stock Split as shares added, on its posting date (not the "as of" date)', () => {
    expect(batch.splits.map(splitLine)).toEqual(['2021-01-19 split ABCD 30 shares added in "XXXX-7788" (line 11)']);
  });

  it('counts cash and income once through a reinvestment: the income row pays, Reinvest Shares spends', () => {
    // The Transactions Total is the sum of the Amount column; booking gives the same cash.
    expect(booked(batch)).toEqual({ cash: '1177.87', income: '28.18' });
    expect(batch.notes).toContain('Reinvest Shares: 1 row booked as buy (the purchase made with a dividend; its income row books the dividend)');
    expect(batch.notes).toContain('The Transactions Total on line 16: the rows add up to the stated amount ($1177.87)');
  });

  it('books a positive NRA Tax Adj as a refund and interest as a deposit on its effective date', () => {
    expect(batch.notes).toContain('NRA Tax Adj: 1 row booked as deposit (a refund)');
    expect(batch.notes).toContain('Bank Interest: 1 row booked as deposit (interest)');
    expect(batch.notes).toContain('Long Term Cap Gain: 1 row booked as dividend (a capital-gain distribution)');
  });

  it('gives two identical rows two keys, and the same keys on every parse', () => {
    const keys = batch.events.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every((k) => /^schwab:[0-9a-f]{16}$/.test(k))).toBe(true);
    expect(batch.events.every((e) => e.event.id === e.key)).toBe(true);
    expect(parse('schwab-transactions-2020.csv').events.map((e) => e.key)).toEqual(keys);
  });
});

describe('Schwab transactions, 2024 generation (no title, mixed quoting, signed sales)', () => {
  const batch = parse('schwab-transactions-2024.csv');

  it('books every row, pricing a rounded reinvestment so its cost is the amount paid', () => {
    expect(batch.events.map(eventLine)).toEqual([
      '2024-07-01 fee 12.50 (line 16)',
      '2024-07-01 buy AAPL 1471 @ 190 fees 0.00 (line 15)',
      '2024-08-01 buy XYZ 50 @ 2 fees 0.00 (line 14)',
      '2024-09-03 deposit 10000.00 (line 13)',
      '2024-09-03 buy SCHB 100 @ 63 fees 0.00 (line 12)',
      '2024-09-30 deposit 7.06 (line 9)',
      '2024-10-01 dividend VXUS 0.93 (line 8)',
      '2024-10-01 fee 0.88 (line 7)',
      '2024-10-10 deposit 5.49 (line 5)',
      '2024-10-15 sell AAPL 1471 @ 230 fees 0.15 (line 4)',
      '2024-10-31 dividend SPY 694.48 (line 3)',
      '2024-11-01 buy SPY 1.6531 @ 420.10767649 fees 0.00 (line 2)',
    ]);
    expect(booked(batch)).toEqual({ cash: '62439.95', income: '695.41' });
  });

  it('states a reverse split pair (new ticker +5, old CUSIP -50) as 45 shares removed', () => {
    expect(batch.splits.map(splitLine)).toEqual([
      '2024-09-20 split XYZ -45 shares added in "" (line 10)',
      '2024-10-11 split SCHB 200 shares added in "" (line 6)',
    ]);
  });

  it('uses the default account when the file names none', () => {
    expect(batch.accounts).toEqual([{ key: '', custodian: 'schwab' }]);
  });

  it('says how each action was booked', () => {
    expect(batch.notes).toEqual(
      expect.arrayContaining([
        "Cash In Lieu: 1 row booked as deposit (cash for a fractional share: the fraction's shares and basis stay in the lots; a positions file shows the difference)",
        'Non-Qualified Div: 1 row booked as deposit (income that names no security)',
        'NRA Withholding: 1 row booked as fee',
        'Reverse Split: 1 row booked as a split stated in shares (turned into a ratio from the position held)',
        '1 trade booked at the price that reproduces its Amount to the cent (the printed price is rounded)',
      ]),
    );
  });

  it('keeps a row\'s key when an overlapping export spells it differently (quoting, sign of a sale, $ spelling)', () => {
    const { text } = fixture('schwab-transactions-2024.csv');
    const other = [
      '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"',
      '"10/15/2024","Sell","AAPL","APPLE INC.","1471","$230.00","$0.15","$338329.85"',
      '"07/01/2024","Buy","AAPL","APPLE INC.","1471","$190.0000","","-$279490.00"',
    ].join('\n');
    const again = parsed(schwabTransactions.parse('other.csv', other));
    const key = (b: ImportBatch, line: number): string | undefined => b.events.find((e) => e.source.row === line)?.key;
    expect(key(again, 2)).toBe(key(batch, 4));
    expect(key(again, 3)).toBe(key(batch, 15));
    expect(text).toContain('"-1,471"');
  });
});

describe('Schwab transactions that cannot be booked stop the import, row by row', () => {
  it('names the file, line, field and what to do for options, mergers, journaled shares and award deposits', () => {
    const { file, text } = fixture('schwab-transactions-unsupported.csv');
    const found = problems(schwabTransactions.parse(file, text));
    expect(found).toHaveLength(6);
    expect(found[0]).toMatch(/^test\/fixtures\/brokers\/schwab-transactions-unsupported\.csv, row 2, field Action: Sell to Open: options and short sales are not tracked as lots/);
    expect(found[1]).toMatch(/row 3, field Action: Expired: options/);
    expect(found[2]).toMatch(/row 4, field Action: Stock Merger: a corporate action .* Book it by hand .* or start the account from a Lot Details export taken after it and import the history from that date on \[UNSUPPORTED_ACTION\]$/);
    expect(found[3]).toMatch(/row 5, field Action: Stock Merger/);
    expect(found[4]).toMatch(/row 6, field Action: Journaled Shares: shares moved into or out of the account without their purchase history/);
    expect(found[5]).toMatch(/row 7, field Action: Stock Plan Activity: shares deposited from an equity award: .* \[UNSUPPORTED_ACTION\]$/);
  });
});

describe('malformed Schwab transactions files get located errors', () => {
  const HEADER = '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"';
  const BUY = '"01/20/2021","Buy","VTI","VANGUARD TOTAL STOCK MARKET ETF","10","$200.00","","-$2000.00"';
  const errors = (...rows: string[]): string[] => problems(schwabTransactions.parse('t.csv', [HEADER, ...rows].join('\n')));

  const cases: [string, string, RegExp][] = [
    ['a date that is not one', BUY.replace('01/20/2021', '13/20/2021'), /^t\.csv, row 2, field Date: not a date .*"13\/20\/2021" \[BAD_DATE\]$/],
    ['an amount that is not a number', BUY.replace('-$2000.00', '-$2,00.00'), /^t\.csv, row 2, field Amount: not a number: "-\$2,00\.00" \[BAD_NUMBER\]$/],
    ['a quantity with more than 6 decimals', BUY.replace('"10"', '"1.1234567"'), /row 2, field Quantity: .*more than 6 decimal places \[BAD_NUMBER\]$/],
    ['an unknown action', BUY.replace('"Buy"', '"Gift Received"'), /^t\.csv, row 2, field Action: unknown Schwab action "Gift Received": .* \[UNKNOWN_ACTION\]$/],
    ['a purchase that receives cash', BUY.replace('-$2000.00', '$2000.00'), /row 2, field Amount: a purchase pays cash \(a negative amount\), got 2000\.00 \[BAD_VALUE\]$/],
    ['a price that contradicts the amount', BUY.replace('$200.00', '$250.00'), /row 2, field Price: quantity x price is 2500\.00 but the amount implies 2000\.00 \[BAD_VALUE\]$/],
    ['a purchase without a quantity', BUY.replace('"10"', '""'), /row 2, field Quantity: a purchase needs a quantity \[MISSING_FIELD\]$/],
    ['a purchase of a bond', BUY.replace('"VTI"', '"912810SP4"'), /row 2, field Symbol: Buy of 912810SP4: bonds, CDs .* \[UNSUPPORTED_ACTION\]$/],
    ['a purchase of an option', BUY.replace('"VTI"', '"SPY 03/31/2020 284.00 P"'), /row 2, field Symbol: Buy of the option SPY 03\/31\/2020 284\.00 P: options/],
    ['a reverse split row without its pair', '"09/20/2024","Reverse Split","XYZ","XYZ CORP","5","","",""', /row 2, field Action: a Reverse Split row without its pair/],
    ['a cash row without an amount', '"01/05/2021","MoneyLink Transfer","","Tfr","","","",""', /row 2, field Amount: a MoneyLink Transfer row needs an amount \[MISSING_FIELD\]$/],
    ['a row after the trailer', `Transactions Total,,,,,,,"-$2,000.00"\n${BUY}`, /^t\.csv, row 3: a row after the "Transactions Total" trailer on line 2 \[PARSE\]$/],
  ];
  for (const [name, row, expected] of cases) {
    it(name, () => {
      const found = errors(row);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(expected);
    });
  }

  it('reports every bad row, not only the first, and books nothing', () => {
    const r = schwabTransactions.parse('t.csv', [HEADER, BUY.replace('01/20', '02/30'), BUY, BUY.replace('"Buy"', '"Frobnicate"')].join('\n'));
    expect(r.ok).toBe(false);
    expect(problems(r).map((p) => p.slice(0, 12))).toEqual(['t.csv, row 2', 't.csv, row 4']);
  });

  it('a file without the header row', () => {
    expect(problems(schwabTransactions.parse('t.csv', `"Transactions  for account X ...123 as of 01/01/2024"\n${BUY}`))).toEqual([
      't.csv: no header row with the columns "date", "action", "symbol", "description", "quantity", "price", "fees & comm", "amount" was found [PARSE]',
    ]);
  });
});
