/**
 * The example inputs of the tax commands (examples/tax/*.json, named in the README's Tax model
 * section) run through the CLI as written, in both formats, with their figures checked by hand:
 * every file in the folder needs an entry here, so an example cannot go stale unnoticed.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lotsmith } from './testIo.test-util.js';

const DIR = fileURLToPath(new URL('../../../examples/tax/', import.meta.url));

/** The command is the file name up to its first dash: carryover-chain.json runs `lotsmith carryover`. */
const commandOf = (file: string): string => file.replace(/\.json$/, '').split('-')[0] as string;

const expected: Record<string, Record<string, unknown>> = {
  // MFJ: 250,000 - 31,500 standard deduction = 218,500 ordinary: 35,302 + 24 % x 11,800 = 38,134;
  // 40,000 of gains stacked from 218,500 to 258,500, all in the 15 % zone: 6,000; NIIT 3.8 % x 40,000.
  'tax.json': { deduction: 31500, taxableIncome: 258500, ordinaryTax: 38134, preferentialTax: 6000, regularTax: 44134, niit: 1520, totalTax: 45654 },
  // CL-003 of the worked examples: 3,000 deducted, short-term used first, 4,000 carried long-term.
  'carryover.json': { capitalLossDeduction: 3000, carryoverToNextYear: { shortTerm: 0, longTerm: 4000 } },
  // 2025: -6,800 short, -4,000 - 1,500 carried long: 3,000 deducted, 3,800 / 5,500 carried;
  // 2026: +2,500 long: -3,800 / -3,000, 3,000 deducted, 800 / 3,000 carried; 2027 (joint): 1,300 long carried.
  'carryover-chain.json': {
    years: [{ carryoverToNextYear: { shortTerm: 3800, longTerm: 5500 } }, { carryoverToNextYear: { shortTerm: 800, longTerm: 3000 } }, { filingStatus: 'married_filing_jointly', carryoverToNextYear: { shortTerm: 0, longTerm: 1300 } }],
    carryoverToNextYear: { shortTerm: 0, longTerm: 1300 },
  },
  // The seed paper's Example, low tax burden: 925 saved, 144.82 PV liability, 0.78 %.
  'value.json': { taxSavings: 925, pvLiability: 144.82, netBenefit: 780.18, netBenefitPctOfPortfolio: 0.78 },
  // The seed paper's Investor B: 0.94 % a year on average.
  'yield.json': { averageAnnualHarvestingYieldPct: 0.94, totalLosses: 1625 },
  // CA, MFJ, 324,500 of taxable income: federal 24 %, CA 9.3 % (Schedule Y), NIIT on gains (MAGI
  // estimated 356,000). The 6,000 short-term loss offsets the 2,500 net gain at 37.1 %, 3,000 of
  // ordinary income at 33.3 %, and carries 500 long-term at 28.1 % / 1.08.
  'rates.json': {
    ordinary: 0.333,
    shortTerm: 0.371,
    longTerm: 0.281,
    state: { code: 'CA', ordinary: 0.093, basis: 'schedule', bracket: { over: 145448, upTo: 742958 } },
    candidate: { offsets: { shortTermGains: 2500, longTermGains: 0, ordinaryIncome: 3000 }, immediateSaving: 1926.5, carriedForward: { longTerm: 500 }, carryforwardValue: 130.09 },
  },
};

describe('examples/tax: every example runs as written', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

  it('every example has its figures checked here', () => {
    expect(files).toEqual(Object.keys(expected).sort());
  });

  for (const file of files) {
    it(`lotsmith ${commandOf(file)} --input examples/tax/${file}`, async () => {
      const json = await lotsmith(commandOf(file), '--input', join(DIR, file), '--format', 'json');
      expect(json.err).toBe('');
      expect(json.code).toBe(0);
      expect(JSON.parse(json.out)).toMatchObject(expected[file] as object);
      const table = await lotsmith(commandOf(file), '--input', join(DIR, file));
      expect(table.code).toBe(0);
      expect(table.out.length).toBeGreaterThan(100);
    });
  }
});
