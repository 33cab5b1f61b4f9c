import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFederalTable } from '../../adapters/files/taxInput.js';
import { toNumber, usd, type Usd } from '../kernel/exact.js';
import { FILING_STATUSES } from '../ledger/household.js';
import { bracketTax, capitalGainWorksheet, federalTax, niit } from './federalTax.js';
import { TAX_FILING_STATUSES, type TaxFilingStatus } from './taxTables.js';
import { checkProperty } from '../kernel/property.test-util.js';

const loaded = loadFederalTable(2025);
if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
const table = loaded.value;
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../test/fixtures/examples/${name}`, import.meta.url), 'utf8'));
const dollars = (v: number): number => toNumber('usd', v);

interface TaxCase {
  id: string;
  input: { filingStatus: TaxFilingStatus; ordinaryTaxableIncome: number; preferentialIncome: number; magi?: number; netInvestmentIncome?: number };
  expected: Record<string, number>;
}

function tax(status: TaxFilingStatus, ordinary: number, preferential: number, magi?: number, nii?: number) {
  return federalTax(table, {
    filingStatus: status,
    taxableIncome: usd(ordinary + preferential),
    preferentialIncome: usd(preferential),
    ...(magi !== undefined ? { magi: usd(magi) } : {}),
    ...(nii !== undefined ? { netInvestmentIncome: usd(nii) } : {}),
  });
}

describe('2025 federal tax (tax_2025.json)', () => {
  for (const c of fixture('tax_2025.json') as TaxCase[]) {
    it(c.id, () => {
      const t = tax(c.input.filingStatus, c.input.ordinaryTaxableIncome, c.input.preferentialIncome, c.input.magi, c.input.netInvestmentIncome);
      for (const [k, v] of Object.entries(c.expected)) expect(dollars(t[k as keyof typeof t] as number)).toBe(v);
    });
  }
});

describe('ordinary brackets', () => {
  it('reproduce the tax printed at the bottom of every bracket (Rev. Proc. 2024-40 Tables 1-4)', () => {
    const t = fixture('tax_tables_2025.json') as { ordinaryBrackets: Record<string, Array<{ over: number; baseTax: number }>> };
    for (const s of FILING_STATUSES) {
      for (const b of t.ordinaryBrackets[s] ?? []) expect(dollars(bracketTax(table.ordinaryBrackets[s], usd(b.over)))).toBe(b.baseTax);
    }
  });

  it('round the exact schedule once to the cent', () => {
    expect(bracketTax(table.ordinaryBrackets.single, usd('60000.01'))).toBe(usd('8114.00'));
    expect(bracketTax(table.ordinaryBrackets.single, usd('60000.03'))).toBe(usd('8114.01'));
  });

  it('a qualifying surviving spouse uses the joint figures', () => {
    expect(tax('qualifying_surviving_spouse', 300000, 50000, 400000, 50000)).toEqual(tax('married_filing_jointly', 300000, 50000, 400000, 50000));
  });
});

describe('gains stacked on ordinary income (Qualified Dividends and Capital Gain Tax Worksheet)', () => {
  it('across the 15 % / 20 % breakpoint: single, 500,000 ordinary + 100,000 gain', () => {
    const t = tax('single', 500000, 100000);
    expect(dollars(t.worksheet['17'])).toBe(33400);
    expect(dollars(t.worksheet['20'])).toBe(66600);
    expect(dollars(t.preferentialTax)).toBe(5010 + 13320);
    expect(dollars(t.ordinaryTax)).toBe(144547.25);
    expect(dollars(t.regularTax)).toBe(162877.25);
  });

  it('across all three rates: MFS, 40,000 ordinary + 300,000 gain', () => {
    const t = tax('married_filing_separately', 40000, 300000);
    expect(dollars(t.worksheet['9'])).toBe(8350);
    expect(dollars(t.worksheet['17'])).toBe(300000 - 40000 - 8350);
    expect(dollars(t.worksheet['20'])).toBe(40000);
    expect(dollars(t.preferentialTax)).toBe(0.15 * 251650 + 8000);
  });

  it('a gain entirely under the 0 % breakpoint is untaxed', () => {
    expect(dollars(tax('head_of_household', 30000, 34750).preferentialTax)).toBe(0);
  });

  it('line 25 takes the ordinary tax on all income when it is lower (the 12 % / 15 % overlap)', () => {
    const t = tax('single', 48350, 125);
    expect(dollars(t.worksheet['23'])).toBe(5563.5 + 18.75);
    expect(dollars(t.worksheet['24'])).toBe(5578.5);
    expect(dollars(t.regularTax)).toBe(5578.5);
    expect(dollars(t.preferentialTax)).toBe(18.75);
  });
});

describe('net investment income tax (IRC 1411)', () => {
  it('3.8 % of the smaller of NII and MAGI over the threshold, per status', () => {
    expect(dollars(niit(table, 'single', usd(250000), usd(100000)))).toBe(1900);
    expect(dollars(niit(table, 'single', usd(250000), usd(10000)))).toBe(380);
    expect(dollars(niit(table, 'married_filing_separately', usd(130000), usd(10000)))).toBe(190);
    expect(dollars(niit(table, 'married_filing_jointly', usd(249999), usd(10000)))).toBe(0);
    expect(dollars(niit(table, 'head_of_household', usd(200000), usd(10000)))).toBe(0);
  });

  it('is computed only when MAGI is known', () => {
    expect(tax('single', 400000, 100000).niit).toBe(0);
  });
});

describe('properties', () => {
  const status = fc.constantFrom(...TAX_FILING_STATUSES);
  const amount = fc.integer({ min: 0, max: 200_000_000 }); // cents, up to $2M

  it('tax is monotone in ordinary income and in preferential income', () => {
    checkProperty(
      fc.property(status, amount, amount, fc.integer({ min: 0, max: 5_000_000 }), (s, o, p, d) => {
        const t = (oo: number, pp: number): Usd => capitalGainWorksheet(table, s, (oo + pp) as Usd, pp as Usd)['25'];
        expect(t(o + d, p)).toBeGreaterThanOrEqual(t(o, p));
        expect(t(o, p + d)).toBeGreaterThanOrEqual(t(o, p));
      }),
    );
  });

  it('gains never cost more than the same income taxed as ordinary, nor less than ordinary income alone', () => {
    checkProperty(
      fc.property(status, amount, amount, (s, o, p) => {
        const w = capitalGainWorksheet(table, s, (o + p) as Usd, p as Usd);
        expect(w['25']).toBeLessThanOrEqual(w['24']);
        expect(w['25']).toBeGreaterThanOrEqual(w['22']);
      }),
    );
  });
});
