import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFederalTable, loadStateTable } from '../../adapters/files/taxInput.js';
import { usd, type Usd } from '../kernel/exact.js';
import { capitalGainWorksheet, niit } from './federalTax.js';
import { marginalRates, type MarginalRates } from './marginalRates.js';
import type { TaxProfile } from './profile.js';
import { rate, rateToNumber } from './rate.js';
import { TAX_FILING_STATUSES } from './taxTables.js';
import { checkProperty } from '../kernel/property.test-util.js';

const federal = loadFederalTable(2025);
const states = loadStateTable(2025);
if (!federal.ok || !states.ok) throw new Error('tax tables do not load');
const table = federal.value;

function rates(profile: TaxProfile, stateDeductible = false): MarginalRates {
  const r = marginalRates(table, states.ok ? states.value : undefined, profile, { stateDeductible });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}
const taxable = (v: number): TaxProfile['income'] => ({ kind: 'taxable', ordinaryTaxableIncome: usd(v) });
const n = rateToNumber;

describe('marginal rates of a household profile', () => {
  it('TX-005 household: ordinary 32 % + the stack shift 20 % - 15 %; long-term 20 % + NIIT', () => {
    const r = rates({ filingStatus: 'married_filing_jointly', income: taxable(500000), preferentialIncome: usd(200000), magi: usd(700000), netInvestmentIncome: usd(200000) });
    expect(n(r.ordinary)).toBe(0.37);
    expect(n(r.shortTerm)).toBe(0.408);
    expect(n(r.longTerm)).toBe(0.238);
  });

  it('TX-002 household: a dollar more of ordinary income also moves a dollar of gain from 0 % to 15 %', () => {
    const r = rates({ filingStatus: 'single', income: taxable(40000), preferentialIncome: usd(20000) });
    expect(n(r.federal.ordinary)).toBe(0.27);
    expect(n(r.longTerm)).toBe(0.15);
  });

  it('realized gains this year are netted and stacked: a long-term gain can cross into the 20 % zone', () => {
    const r = rates({ filingStatus: 'single', income: taxable(500000), realized: { shortTerm: usd(0), longTerm: usd(100000) } });
    expect(n(r.federal.longTerm)).toBe(0.2);
    expect(n(r.federal.niitOnGains)).toBe(0.038);
  });

  it('NIIT reaches ordinary income only while MAGI over the threshold is the smaller term', () => {
    const r = rates({ filingStatus: 'single', income: taxable(190000), magi: usd(210000), netInvestmentIncome: usd(50000) });
    expect(n(r.federal.niitOnOrdinary)).toBe(0.038);
    expect(n(r.ordinary)).toBe(0.278);
  });

  it('gross income below the standard deduction: the next dollars are untaxed', () => {
    const r = rates({ filingStatus: 'single', income: { kind: 'gross', grossOrdinaryIncome: usd(10000) } });
    expect(r.ordinary).toBe(0);
    expect(r.longTerm).toBe(0);
  });

  it('adds the state rate from the table, or the household override; optionally net of the federal deduction', () => {
    const base: TaxProfile = { filingStatus: 'single', income: taxable(700000), state: 'CA' };
    expect(n(rates(base).state.ordinary)).toBe(0.113); // Schedule X: 11.3 % from 445,771 to 742,953
    expect(n(rates(base).ordinary)).toBe(0.483);
    expect(rates(base).state.approximate).toBe(false);
    expect(n(rates(base, true).ordinary)).toBe(0.44119); // 37 % + 11.3 % x (1 - 37 %)
    expect(n(rates({ ...base, stateRate: rate('0.05') }).longTerm)).toBe(0.288);
    expect(rates({ filingStatus: 'single', income: taxable(700000) }).state.basis).toBe('none');
  });

  it('CA, married filing jointly, 310,000 of taxable income: 24 % + 9.3 % (the issue-9 household; the top rate gave 13.3 %)', () => {
    const r = rates({ filingStatus: 'married_filing_jointly', income: taxable(310000), state: 'CA' });
    expect(n(r.state.ordinary)).toBe(0.093);
    expect(n(r.ordinary)).toBe(0.333);
    expect(r.state.taxableIncome).toBe(usd(310000));
  });

  it('the state schedule is read at the household state taxable income when given, else at federal taxable income', () => {
    const base: TaxProfile = { filingStatus: 'single', income: taxable(70000), state: 'CA' };
    expect(n(rates(base).state.ordinary)).toBe(0.08); // federal 70,000 stands in: Schedule X 8 %
    const own = rates({ ...base, stateTaxableIncome: usd(80000) });
    expect(n(own.state.ordinary)).toBe(0.093);
    expect(own.state.taxableIncome).toBe(usd(80000));
  });

  it('realized gains of the year raise state taxable income with federal taxable income', () => {
    const r = rates({ filingStatus: 'single', income: taxable(60000), state: 'NY', realized: { shortTerm: usd(30000), longTerm: usd(0) } });
    expect(r.state.taxableIncome).toBe(usd(90000));
    expect(n(r.state.ordinary)).toBe(0.06);
  });

  it('an unknown state is an issue, not an exception', () => {
    const r = marginalRates(table, states.value, { filingStatus: 'single', income: taxable(1), state: 'ZZ' });
    expect(r.ok).toBe(false);
  });
});

describe('marginal rates agree with finite differences of the tax (property)', () => {
  const status = fc.constantFrom(...TAX_FILING_STATUSES);
  const dollars = fc.integer({ min: 0, max: 1_500_000 }).map((d) => d * 100);

  const regular = (s: (typeof TAX_FILING_STATUSES)[number], o: number, p: number) => capitalGainWorksheet(table, s, (o + p) as Usd, p as Usd);

  it('ordinary and long-term rates are the tax on one more dollar (where line 25 is line 23)', () => {
    checkProperty(
      fc.property(status, dollars, dollars, (s, o, p) => {
        const r = rates({ filingStatus: s, income: { kind: 'taxable', ordinaryTaxableIncome: o as Usd }, preferentialIncome: p as Usd, magi: usd(0) });
        const at = regular(s, o, p);
        const moreOrdinary = regular(s, o + 100, p);
        const moreGain = regular(s, o, p + 100);
        if (at['25'] === at['23'] && moreOrdinary['25'] === moreOrdinary['23']) expect(moreOrdinary['25'] - at['25']).toBe(r.federal.ordinary / 10_000);
        if (at['25'] === at['23'] && moreGain['25'] === moreGain['23']) expect(moreGain['25'] - at['25']).toBe(r.federal.longTerm / 10_000);
      }),
    );
  });

  it('NIIT rates are the NIIT on ten more dollars of gain, and of ordinary income', () => {
    const tens = fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom(12_500, 20_000, 25_000)).map((t) => t * 1000);
    checkProperty(
      fc.property(status, tens, tens, (s, magi, nii) => {
        const r = rates({ filingStatus: s, income: taxable(100000), magi: magi as Usd, netInvestmentIncome: nii as Usd });
        const at = niit(table, s, magi as Usd, nii as Usd);
        expect(niit(table, s, (magi + 1000) as Usd, (nii + 1000) as Usd) - at).toBe(r.federal.niitOnGains / 1000);
        expect(niit(table, s, (magi + 1000) as Usd, nii as Usd) - at).toBe(r.federal.niitOnOrdinary / 1000);
      }),
    );
  });
});
