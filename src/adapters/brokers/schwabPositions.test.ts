/**
 * Schwab positions CSV: stated positions (no events) from the 2020 and 2025 headers and from
 * All-Accounts blocks, cash and totals left out, and each Account Total checked against the rows.
 */
import { describe, expect, it } from 'vitest';
import { fixture, parsed, positionLine, problems } from './brokers.test-util.js';
import { schwabPositions } from './schwabPositions.js';

const parse = (name: string) => {
  const { file, text } = fixture(name);
  return parsed(schwabPositions.parse(file, text));
};

describe('Schwab positions', () => {
  it('2020 single account: one stated position per security, as of the title date; no events', () => {
    const b = parse('schwab-positions-2020.csv');
    expect(b.positions.map(positionLine)).toEqual([
      '2021-03-02 XXXX-7788 ABCD 40 cost 750.00 (line 4)',
      '2021-03-02 XXXX-7788 SCHD 0.3721 cost 25.08 (line 5)',
      '2021-03-02 XXXX-7788 VTI 15 cost 3000.00 (line 6)',
    ]);
    expect(b.events).toEqual([]);
    expect(b.accounts).toEqual([{ key: 'XXXX-7788', title: 'Taxable', custodian: 'schwab' }]);
    expect(b.notes).toContain('Account Total on line 8: the rows add up to the stated cost basis ($3775.08) and market value ($11450.01)');
  });

  it('2025 header by name (Qty (Quantity), Asset Type, bare numbers, YYYY/MM/DD title); an option is not a lot', () => {
    const b = parse('schwab-positions-2025.csv');
    expect(b.positions.map(positionLine)).toEqual([
      '2025-05-04 ...456 SCHB 1250.5 cost 25010.00 (line 4)',
      '2025-05-04 ...456 XYZ 5 cost 100.00 (line 5)',
    ]);
    expect(b.accounts).toEqual([{ key: '...456', title: 'Roth Contributory IRA', type: 'roth_ira', custodian: 'schwab' }]);
    expect(b.notes).toEqual([
      'Positions: 1 row left out (options are not lots)',
      'Positions: 2 rows stated for reconciliation (no events: positions carry no acquisition dates)',
      'Positions Total on line 8: the rows add up to the stated cost basis ($24990.00) and market value ($34491.05)',
    ]);
  });

  it('All-Accounts: one block per account label, each checked against its own total', () => {
    const b = parse('schwab-positions-all-accounts.csv');
    expect(b.accounts.map((a) => a.key)).toEqual(['XXXX-1234', 'XXXX-7788']);
    expect(b.positions.map(positionLine)).toEqual([
      '2021-03-02 XXXX-7788 ABCD 40 cost 750.00 (line 11)',
      '2021-03-02 XXXX-7788 VTI 15 cost 3000.00 (line 12)',
    ]);
    expect(b.notes.filter((n) => n.startsWith('Account Total'))).toEqual([
      'Account Total on line 6: the rows add up to the stated market value ($500.00)',
      'Account Total on line 14: the rows add up to the stated cost basis ($3750.00) and market value ($11424.71)',
    ]);
  });

  it('warns (and still states the rows) when the Account Total disagrees with them', () => {
    const { text } = fixture('schwab-positions-2020.csv');
    const b = parsed(schwabPositions.parse('p.csv', text.replace('"$3,775.08"', '"$3,700.00"')));
    expect(b.positions).toHaveLength(3);
    expect(b.notes).toContain('Warning: Account Total on line 8 states cost basis $3700.00 but the rows add up to $3775.08 — the rows are imported as listed');
  });

  it('malformed files get located errors', () => {
    const { text } = fixture('schwab-positions-2020.csv');
    expect(problems(schwabPositions.parse('p.csv', text.replace('"SCHD","SCHWAB US DIVIDEND EQUITY ETF","0.3721"', '"SCHD","SCHWAB US DIVIDEND EQUITY ETF","0.37x"')))).toEqual([
      'p.csv, row 5, field Quantity: not a number: "0.37x" [BAD_NUMBER]',
    ]);
    expect(problems(schwabPositions.parse('p.csv', text.replace('"$750.00"', '"$75O.00"')))).toEqual(['p.csv, row 4, field Cost Basis: not a number: "$75O.00" [BAD_NUMBER]']);
    expect(problems(schwabPositions.parse('p.csv', text.replace('03/02/2021', 'soon')))).toEqual(['p.csv, row 1: the title line names no date (MM/DD/YYYY or YYYY/MM/DD) [BAD_DATE]']);
    expect(problems(schwabPositions.parse('p.csv', text.replace('"Symbol",', '"Ticker",')))).toEqual([
      'p.csv: no header row with the columns "symbol", "quantity", "cost basis" was found [PARSE]',
    ]);
  });
});
