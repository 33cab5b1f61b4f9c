/**
 * Broker number and date cells: every spelling of an amount seen in real exports gives the same
 * exact value; what is not a number, or not a calendar date, is refused rather than guessed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDay, type Day } from '../../core/kernel/calendar.js';
import { format, price, shares, usd } from '../../core/kernel/exact.js';
import { cellValue, isEmptyCell, plainDecimal } from './cells.js';
import { dateInTitle, parsePostingDate, parseUsDate, parseUsDateTime } from './dates.js';
import { tradePrice } from './tradePrice.js';
import { checkProperty } from '../../core/kernel/property.test-util.js';

const iso = (d: Day | undefined): string => (d === undefined ? 'none' : formatDay(d));

describe('money cells', () => {
  it.each([
    ['$1,234.56', '1234.56'],
    ['-$1,234.56', '-1234.56'],
    ['$-0.88', '-0.88'],
    ['($1,234.56)', '-1234.56'],
    ['+$1.00', '1.00'],
    ['1234.56', '1234.56'],
    ['-3755.44', '-3755.44'],
    ['500,135', '500135'],
    ['$0.93 ', '0.93'],
    ['$1095', '1095'],
    ['.5', '0.5'],
  ])('%s reads as %s', (cell, plain) => {
    expect(plainDecimal(cell)).toBe(plain);
  });

  it.each(['$', '1,00', '12,34.5', '--5', '-$-5', '($-5)', '5$', '1.2.3', '$1 234', 'abc', '(5'])('%s is not a number', (cell) => {
    expect(plainDecimal(cell)).toBeUndefined();
  });

  it.each(['', '  ', '--', 'N/A', '-', 'NA', 'not applicable'])('"%s" is an empty cell', (cell) => {
    expect(isEmptyCell(cell)).toBe(true);
    expect(cellValue('usd', cell)).toEqual({ ok: true, value: undefined });
  });

  it('refuses more decimals than the unit holds, naming the cell as written', () => {
    expect(cellValue('usd', '$1.005')).toEqual({ ok: false, reason: '"$1.005" has more than 2 decimal places' });
    expect(cellValue('shares', '1.1234567')).toEqual({ ok: false, reason: '"1.1234567" has more than 6 decimal places' });
  });

  it('every spelling of one amount gives one exact value (property, seeded)', () => {
    checkProperty(
      fc.property(fc.integer({ min: -1e11, max: 1e11 }), (cents) => {
        const abs = Math.abs(cents);
        const plain = format('usd', abs);
        const [whole = '', fraction = ''] = plain.split('.');
        const grouped = `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
        const negative = cents < 0;
        const spellings = negative
          ? [`-$${grouped}`, `$-${grouped}`, `($${grouped})`, `-${plain}`, `-$${plain}`]
          : [`$${grouped}`, `+$${grouped}`, plain, `$${plain} `];
        for (const s of spellings) expect(cellValue('usd', s)).toEqual({ ok: true, value: cents === 0 ? 0 : cents });
      }),
      { numRuns: 300 },
    );
  });
});

describe('date cells', () => {
  it('MM/DD/YYYY, with or without zero padding; nothing that is not a calendar date', () => {
    expect(['04/27/2023', '8/10/2020', '02/29/2024', '02/29/2023', '2023-04-27', '13/01/2023'].map((t) => iso(parseUsDate(t)))).toEqual([
      '2023-04-27',
      '2020-08-10',
      '2024-02-29',
      'none',
      'none',
      'none',
    ]);
  });

  it('Schwab back-dated postings: posting date, then the effective date', () => {
    const d = parsePostingDate('04/17/2023 as of 04/15/2023');
    expect([iso(d?.posted), iso(d?.asOf)]).toEqual(['2023-04-17', '2023-04-15']);
    expect(parsePostingDate('04/17/2023 as of soon')).toBeUndefined();
  });

  it('lot open dates carry a time of day; titles put the date last, either way round', () => {
    expect(iso(parseUsDateTime('09/24/2020 13:42:07'))).toBe('2020-09-24');
    expect(iso(dateInTitle('Positions for account Individual ...123 as of 12:33 PM ET, 2025/05/04'))).toBe('2025-05-04');
    expect(iso(dateInTitle('SCHA Lot Details for XXXX-4321 as of 02:45 AM ET, 09/25/2020'))).toBe('2020-09-25');
  });
});

describe('trade prices', () => {
  it('keeps a printed price that reproduces the amount, and otherwise takes the one that does', () => {
    expect(tradePrice(shares('45'), price('73.7789'), usd('3320.05'))).toEqual({ ok: true, price: price('73.7789'), fromAmount: false });
    const r = tradePrice(shares('1.6531'), price('420.10'), usd('694.48'));
    expect(r).toEqual({ ok: true, price: price('420.10767649'), fromAmount: true });
  });

  it('refuses a printed price far from the amount, and fees above it', () => {
    expect(tradePrice(shares('10'), price('250'), usd('2000'))).toEqual({ ok: false, reason: 'quantity x price is 2500.00 but the amount implies 2000.00' });
    expect(tradePrice(shares('10'), undefined, usd('-1'))).toEqual({ ok: false, reason: 'the fees exceed the amount (gross -1.00)' });
    expect(tradePrice(shares('10'), undefined, undefined)).toEqual({ ok: false, reason: 'neither a price nor an amount is given' });
  });
});
