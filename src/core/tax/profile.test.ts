import { describe, expect, it } from 'vitest';
import { loadFederalTable } from '../../adapters/files/taxInput.js';
import { toNumber, usd } from '../kernel/exact.js';
import { incomePosition, resolveIncome } from './profile.js';

const loaded = loadFederalTable(2025);
if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
const table = loaded.value;
const dollars = (v: number): number => toNumber('usd', v);

describe('where a profile\'s income stands', () => {
  it('gross income less the 2025 standard deduction as enacted (P.L. 119-21)', () => {
    expect(dollars(resolveIncome(table, 'single', { kind: 'gross', grossOrdinaryIncome: usd(100000) }).ordinarySigned)).toBe(84250);
    expect(dollars(resolveIncome(table, 'married_filing_jointly', { kind: 'gross', grossOrdinaryIncome: usd(20000) }).ordinarySigned)).toBe(-11500);
    expect(dollars(resolveIncome(table, 'qualifying_surviving_spouse', { kind: 'gross', grossOrdinaryIncome: usd(0) }).standardDeduction)).toBe(31500);
    expect(dollars(resolveIncome(table, 'head_of_household', { kind: 'gross', grossOrdinaryIncome: usd(50000), deduction: usd(30000) }).ordinarySigned)).toBe(20000);
  });

  it('the module example: a short-term gain is ordinary income; MAGI is estimated as AGI', () => {
    const p = incomePosition(table, { filingStatus: 'single', income: { kind: 'gross', grossOrdinaryIncome: usd(100000) }, realized: { shortTerm: usd(5000), longTerm: usd(0) } });
    expect(dollars(p.taxableIncome)).toBe(89250);
    expect(p.preferentialIncome).toBe(0);
    expect(dollars(p.magi)).toBe(105000);
    expect(dollars(p.netInvestmentIncome)).toBe(5000);
  });

  it('a net capital loss is deducted (up to the limit) and the rest carries', () => {
    const p = incomePosition(table, { filingStatus: 'single', income: { kind: 'taxable', ordinaryTaxableIncome: usd(60000) }, realized: { shortTerm: usd(-5000), longTerm: usd(1000) } });
    expect(dollars(p.taxableIncome)).toBe(57000);
    expect(dollars(p.capital.carryoverToNextYear.shortTerm)).toBe(1000);
    expect(dollars(p.magi)).toBe(57000 + 15750);
  });

  it('qualified dividends and net capital gain are stacked as preferential income', () => {
    const p = incomePosition(table, { filingStatus: 'single', income: { kind: 'taxable', ordinaryTaxableIncome: usd(60000) }, preferentialIncome: usd(2000), realized: { shortTerm: usd(-1000), longTerm: usd(5000) } });
    expect(dollars(p.preferentialIncome)).toBe(6000);
    expect(dollars(p.taxableIncome)).toBe(66000);
  });
});
