import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toNumber, usd } from '../kernel/exact.js';
import { capitalLossChain, capitalLossYear, NO_CARRYOVER, type CapitalLossInput } from './capitalLoss.js';
import { checkProperty } from '../kernel/property.test-util.js';

const LIMIT = usd(3000);
const MFS_LIMIT = usd(1500);
const dollars = (v: number): number => toNumber('usd', v);
const year = (st: number, lt: number, ti: number, carry = { shortTerm: 0, longTerm: 0 }, limit = LIMIT) =>
  capitalLossYear({
    shortTermNet: usd(st),
    longTermNet: usd(lt),
    carryoverIn: { shortTerm: usd(carry.shortTerm), longTerm: usd(carry.longTerm) },
    taxableIncome: usd(ti),
    limit,
  });

interface NettingCase {
  id: string;
  input: { filingStatus: string; shortTermItems: number[]; longTermItems: number[]; carryoverIn: { shortTerm: number; longTerm: number }; form1040Line15TaxableIncome: number };
  expected: { scheduleD: Record<string, number>; capitalLossDeduction: number; netCapitalGainAtPreferentialRates: number; carryoverToNextYear: { shortTerm: number; longTerm: number }; carryoverWorksheet: Record<string, number> };
}

describe('Schedule D netting and the carryover worksheet (loss_netting.json)', () => {
  const cases = JSON.parse(readFileSync(new URL('../../../test/fixtures/examples/loss_netting.json', import.meta.url), 'utf8')) as NettingCase[];
  for (const c of cases) {
    it(c.id, () => {
      const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
      const y = year(sum(c.input.shortTermItems), sum(c.input.longTermItems), c.input.form1040Line15TaxableIncome, c.input.carryoverIn, c.input.filingStatus === 'married_filing_separately' ? MFS_LIMIT : LIMIT);
      for (const [k, v] of Object.entries(c.expected.scheduleD)) expect(dollars(y.scheduleD[k as keyof typeof y.scheduleD])).toBe(v);
      expect(dollars(y.capitalLossDeduction)).toBe(c.expected.capitalLossDeduction);
      expect(dollars(y.netCapitalGainAtPreferentialRates)).toBe(c.expected.netCapitalGainAtPreferentialRates);
      expect(dollars(y.carryoverToNextYear.shortTerm)).toBe(c.expected.carryoverToNextYear.shortTerm);
      expect(dollars(y.carryoverToNextYear.longTerm)).toBe(c.expected.carryoverToNextYear.longTerm);
      for (const [k, v] of Object.entries(c.expected.carryoverWorksheet)) expect(dollars(y.carryoverWorksheet[k as keyof typeof y.carryoverWorksheet])).toBe(v);
    });
  }
});

describe('one year', () => {
  it('both terms gains: the long-term gain is net capital gain, the rest ordinary', () => {
    const y = year(4000, 6000, 100000);
    expect(dollars(y.netCapitalGainAtPreferentialRates)).toBe(6000);
    expect(dollars(y.netGainAtOrdinaryRates)).toBe(4000);
    expect(y.capitalLossDeduction).toBe(0);
  });

  it('a short-term loss reduces the long-term gain first: net capital gain = min(line 15, line 16)', () => {
    const y = year(-1500, 6000, 100000);
    expect(dollars(y.netCapitalGainAtPreferentialRates)).toBe(4500);
    expect(y.netGainAtOrdinaryRates).toBe(0);
  });

  it('a long-term loss against a short-term gain leaves an ordinary gain and no preferential gain', () => {
    const y = year(5000, -2000, 100000);
    expect(y.netCapitalGainAtPreferentialRates).toBe(0);
    expect(dollars(y.netGainAtOrdinaryRates)).toBe(3000);
  });

  it('carryovers in are Schedule D lines 6 and 14 and keep their character', () => {
    const y = year(1000, 0, 100000, { shortTerm: 5000, longTerm: 2000 });
    expect(dollars(y.scheduleD.line7NetShortTerm)).toBe(-4000);
    expect(dollars(y.scheduleD.line15NetLongTerm)).toBe(-2000);
    expect(dollars(y.carryoverToNextYear.shortTerm)).toBe(1000);
    expect(dollars(y.carryoverToNextYear.longTerm)).toBe(2000);
  });

  it('taxable income far below zero: nothing is absorbed, every dollar carries', () => {
    const y = year(-2000, -5000, -20000);
    expect(y.carryoverWorksheet['3']).toBe(0);
    expect(y.capitalLossDeductionAbsorbed).toBe(0);
    expect(dollars(y.carryoverToNextYear.shortTerm)).toBe(2000);
    expect(dollars(y.carryoverToNextYear.longTerm)).toBe(5000);
  });

  it('taxable income just below zero: the short-term loss absorbs first', () => {
    const y = year(-2000, -5000, -1000);
    expect(dollars(y.capitalLossDeductionAbsorbed)).toBe(2000);
    expect(y.carryoverToNextYear.shortTerm).toBe(0);
    expect(dollars(y.carryoverToNextYear.longTerm)).toBe(5000);
  });

  it('a net gain needs no worksheet: every carryover line is 0', () => {
    const y = year(-3000, 5000, 60000);
    expect(y.carryoverToNextYear).toEqual(NO_CARRYOVER);
    expect(dollars(y.carryoverWorksheet['5'])).toBe(3000);
    expect(dollars(y.carryoverWorksheet['6'])).toBe(5000);
    expect(y.carryoverWorksheet['8']).toBe(0);
  });
});

describe('chains of years', () => {
  it('a $10,000 short-term loss is deducted $3,000 a year over four years', () => {
    const quiet = { shortTermNet: usd(0), longTermNet: usd(0), taxableIncome: usd(50000), limit: LIMIT };
    const ys = capitalLossChain([{ ...quiet, shortTermNet: usd(-10000) }, quiet, quiet, quiet, quiet]);
    expect(ys.map((y) => dollars(y.capitalLossDeduction))).toEqual([3000, 3000, 3000, 1000, 0]);
    expect(ys.map((y) => dollars(y.carryoverToNextYear.shortTerm))).toEqual([7000, 4000, 1000, 0, 0]);
  });

  it('a long-term carryover offsets a later long-term gain before it reaches the preferential rates', () => {
    const ys = capitalLossChain([
      { shortTermNet: usd(0), longTermNet: usd(-20000), taxableIncome: usd(90000), limit: LIMIT },
      { shortTermNet: usd(2000), longTermNet: usd(30000), taxableIncome: usd(90000), limit: LIMIT },
    ]);
    expect(dollars(ys[1]?.scheduleD.line15NetLongTerm ?? 0)).toBe(13000);
    expect(dollars(ys[1]?.netCapitalGainAtPreferentialRates ?? 0)).toBe(13000);
    expect(dollars(ys[1]?.netGainAtOrdinaryRates ?? 0)).toBe(2000);
  });
});

describe('a term that nets to exactly zero is not a loss (worksheet: "If line 7 of Schedule D is a loss, go to line 5; otherwise, skip lines 5 through 8"; the same for line 15 and lines 9 through 13)', () => {
  const lines = (y: ReturnType<typeof year>, from: number, to: number): number[] =>
    Array.from({ length: to - from + 1 }, (_, k) => dollars(y.carryoverWorksheet[String(from + k) as keyof typeof y.carryoverWorksheet]));
  it('short-term exactly 0 beside a long-term loss: lines 5-8 are 0, the long-term loss carries', () => {
    const y = year(0, -5000, 50000);
    expect(lines(y, 5, 8)).toEqual([0, 0, 0, 0]);
    expect(lines(y, 9, 13)).toEqual([5000, 0, 3000, 3000, 2000]);
  });
  it('long-term exactly 0 beside a short-term gain: lines 9-13 are 0', () => {
    const y = year(2000, 0, 50000);
    expect(lines(y, 9, 13)).toEqual([0, 0, 0, 0, 0]);
    expect(lines(y, 5, 8)).toEqual([0, 0, 0, 0]);
  });
  it('short-term exactly 0 beside a long-term gain: lines 5-8 are 0', () => {
    expect(lines(year(0, 4000, 50000), 5, 8)).toEqual([0, 0, 0, 0]);
  });
  it('nets to exactly zero overall: no deduction, no gain taxed', () => {
    const y = year(-2500, 2500, 50000);
    expect(dollars(y.capitalLossDeduction)).toBe(0);
    expect(dollars(y.netCapitalGainAtPreferentialRates) + dollars(y.netGainAtOrdinaryRates)).toBe(0);
    expect(dollars(y.carryoverToNextYear.shortTerm)).toBe(0);
  });
});

describe('properties', () => {
  const money = fc.integer({ min: -5_000_000, max: 5_000_000 });
  const input = fc.record({
    shortTermNet: money,
    longTermNet: money,
    carryoverIn: fc.record({ shortTerm: fc.integer({ min: 0, max: 3_000_000 }), longTerm: fc.integer({ min: 0, max: 3_000_000 }) }),
    taxableIncome: fc.integer({ min: -10_000_000, max: 10_000_000 }),
    limit: fc.constantFrom(300_000, 150_000),
  }) as fc.Arbitrary<CapitalLossInput>;

  it('conservation: deduction absorbed + carryover = the net loss (or nothing when a gain)', () => {
    checkProperty(
      fc.property(input, (i) => {
        const y = capitalLossYear(i);
        const netLoss = Math.max(0, -y.scheduleD.line16Combined);
        expect(y.capitalLossDeductionAbsorbed + y.carryoverToNextYear.shortTerm + y.carryoverToNextYear.longTerm).toBe(netLoss);
        if (i.taxableIncome >= 0) expect(y.capitalLossDeductionAbsorbed).toBe(y.capitalLossDeduction);
      }),
    );
  });

  it('carryovers are never negative and never exceed the loss of their own term', () => {
    checkProperty(
      fc.property(input, (i) => {
        const { carryoverToNextYear: c, scheduleD: d } = capitalLossYear(i);
        expect(c.shortTerm).toBeGreaterThanOrEqual(0);
        expect(c.longTerm).toBeGreaterThanOrEqual(0);
        expect(c.shortTerm).toBeLessThanOrEqual(Math.max(0, -d.line7NetShortTerm));
        expect(c.longTerm).toBeLessThanOrEqual(Math.max(0, -d.line15NetLongTerm));
      }),
    );
  });

  it('the deduction never exceeds the limit, and the gain split adds up to line 16', () => {
    checkProperty(
      fc.property(input, (i) => {
        const y = capitalLossYear(i);
        expect(y.capitalLossDeduction).toBeLessThanOrEqual(i.limit);
        expect(y.netCapitalGainAtPreferentialRates + y.netGainAtOrdinaryRates).toBe(Math.max(0, y.scheduleD.line16Combined));
      }),
    );
  });

  it('over a chain nothing is lost: gains + losses - net gains taxed = deductions absorbed + final carryover', () => {
    const years = fc.array(fc.record({ shortTermNet: money, longTermNet: money, taxableIncome: fc.integer({ min: -1_000_000, max: 10_000_000 }), limit: fc.constant(LIMIT as number) }), { minLength: 1, maxLength: 6 });
    checkProperty(
      fc.property(years, (ys) => {
        const out = capitalLossChain(ys as never);
        const items = ys.reduce((a, y) => a + y.shortTermNet + y.longTermNet, 0);
        const taxedGains = out.reduce((a, y) => a + Math.max(0, y.scheduleD.line16Combined), 0);
        const absorbed = out.reduce((a, y) => a + y.capitalLossDeductionAbsorbed, 0);
        const last = out[out.length - 1]?.carryoverToNextYear ?? NO_CARRYOVER;
        expect(taxedGains - items).toBe(absorbed + last.shortTerm + last.longTerm);
      }),
    );
  });
});
