import { describe, expect, it } from 'vitest';
import { loadStateTable } from '../../adapters/files/taxInput.js';
import { usd } from '../kernel/exact.js';
import { rateToNumber } from './rate.js';
import { stateMarginalRates, type StateMarginalRates } from './stateTax.js';
import type { TaxFilingStatus } from './taxTables.js';

const loaded = loadStateTable(2025);
if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
const table = loaded.value;

function at(code: string, income: number, status: TaxFilingStatus = 'single'): StateMarginalRates {
  const r = stateMarginalRates(table, code, status, usd(income));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}
const pct = (r: StateMarginalRates) => ({ ordinary: rateToNumber(r.ordinary), shortTerm: rateToNumber(r.shortTerm), longTerm: rateToNumber(r.longTerm) });

describe('the 2025 state table', () => {
  it('covers the 50 states and DC, each with a source', () => {
    const codes = Object.keys(table.states);
    expect(codes).toHaveLength(51);
    expect(codes).toContain('DC');
    for (const s of Object.values(table.states)) expect(s.source.length).toBeGreaterThan(10);
  });

  it('states without an income tax are 0 (Washington notes its capital gains excise tax)', () => {
    for (const code of ['AK', 'FL', 'NV', 'NH', 'SD', 'TN', 'TX', 'WA', 'WY']) expect(pct(at(code, 500000))).toEqual({ ordinary: 0, shortTerm: 0, longTerm: 0 });
    expect(at('WA', 500000).notes.join(' ')).toMatch(/7% excise tax on long-term capital gains/);
  });

  it('a graduated state without a schedule uses its top rate, flagged as an approximation', () => {
    const ca = at('CA', 50000);
    expect(rateToNumber(ca.ordinary)).toBe(0.133);
    expect(ca.approximate).toBe(true);
    expect(ca.basis).toBe('top_rate');
  });

  it('a state schedule gives the rate at the income: South Carolina, with its 44 % long-term deduction', () => {
    expect(pct(at('SC', 10000))).toEqual({ ordinary: 0.03, shortTerm: 0.03, longTerm: 0.0168 });
    expect(pct(at('SC', 80000))).toEqual({ ordinary: 0.06, shortTerm: 0.06, longTerm: 0.0336 });
    expect(at('SC', 80000).approximate).toBe(false);
  });

  it('schedules by filing status: Kansas joint filers reach 5.58 % at $46,000', () => {
    expect(rateToNumber(at('KS', 40000, 'married_filing_jointly').ordinary)).toBe(0.052);
    expect(rateToNumber(at('KS', 40000, 'single').ordinary)).toBe(0.0558);
  });

  it('capital gains taxed differently: MA short-term 8.5 %, HI capped at 7.25 %, MO exempt', () => {
    expect(pct(at('MA', 200000))).toEqual({ ordinary: 0.05, shortTerm: 0.085, longTerm: 0.05 });
    expect(rateToNumber(at('MA', 2000000).ordinary)).toBe(0.09);
    expect(pct(at('HI', 500000))).toEqual({ ordinary: 0.11, shortTerm: 0.11, longTerm: 0.0725 });
    expect(pct(at('MO', 500000))).toEqual({ ordinary: 0.047, shortTerm: 0, longTerm: 0 });
  });

  it('codes are case-insensitive; an unknown code is an issue', () => {
    expect(at('ny', 100000).code).toBe('NY');
    const r = stateMarginalRates(table, 'PR', 'single', usd(1));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toMatch(/unknown state "PR"/);
  });
});
