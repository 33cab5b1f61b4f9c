/**
 * `lotsmith tax | carryover | value | yield | rates` run in-process on the worked examples
 * (test/fixtures/examples, copies of the shared examples) and on bad input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inputFile, runJson } from './taxDocs.test-util.js';
import { lotsmith } from './testIo.test-util.js';

const EXAMPLES = fileURLToPath(new URL('../../../test/fixtures/examples/', import.meta.url));

interface Example {
  readonly id: string;
  readonly input: unknown;
  readonly expected: Record<string, unknown>;
}

const examples = (name: string): Example[] => JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8')) as Example[];
const seed = (id: string): Record<string, unknown> =>
  (JSON.parse(readFileSync(join(EXAMPLES, 'seed_paper.json'), 'utf8')) as Array<Record<string, unknown>>).find((c) => c['id'] === id) as Record<string, unknown>;

describe('lotsmith carryover: loss_netting.json', () => {
  for (const c of examples('loss_netting.json')) {
    it(`${c.id}`, async () => {
      expect(await runJson('carryover', c.input)).toMatchObject(c.expected);
    });
  }

  it('prints every worksheet line "1".."13" and the Schedule D lines', async () => {
    const out = await runJson('carryover', (examples('loss_netting.json')[0] as Example).input);
    expect(Object.keys(out['carryoverWorksheet'] as object)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13']);
  });

  it('negative taxable income: only the absorbed part of the deduction is used; the rest carries', async () => {
    const out = await runJson('carryover', {
      filingStatus: 'single',
      shortTermItems: [-10000],
      longTermItems: [],
      carryoverIn: { shortTerm: 0, longTerm: 0 },
      form1040Line15TaxableIncome: -2000,
    });
    expect(out).toMatchObject({
      capitalLossDeduction: 3000,
      capitalLossDeductionAbsorbed: 1000,
      carryoverToNextYear: { shortTerm: 9000, longTerm: 0 },
      carryoverWorksheet: { '1': -2000, '2': 3000, '3': 1000, '4': 1000, '5': 10000, '7': 1000, '8': 9000 },
    });
  });

  it('a chain of years: each carryover feeds the next and keeps its character', async () => {
    const out = await runJson('carryover', {
      filingStatus: 'single',
      years: [
        { shortTermItems: [-2000], longTermItems: [-10000], form1040Line15TaxableIncome: 80000 },
        { shortTermItems: [], longTermItems: [1000], form1040Line15TaxableIncome: 80000 },
        { filingStatus: 'married_filing_separately', shortTermItems: [500], longTermItems: [], form1040Line15TaxableIncome: 40000 },
      ],
    });
    const years = out['years'] as Array<Record<string, unknown>>;
    expect(years[0]).toMatchObject({ capitalLossDeduction: 3000, carryoverToNextYear: { shortTerm: 0, longTerm: 9000 } });
    expect(years[1]).toMatchObject({ carryoverIn: { shortTerm: 0, longTerm: 9000 }, scheduleD: { line15NetLongTerm: -8000 }, capitalLossDeduction: 3000, carryoverToNextYear: { longTerm: 5000 } });
    expect(years[2]).toMatchObject({ filingStatus: 'married_filing_separately', scheduleD: { line16Combined: -4500 }, capitalLossDeduction: 1500, carryoverToNextYear: { shortTerm: 0, longTerm: 3000 } });
    expect(out['carryoverToNextYear']).toEqual({ shortTerm: 0, longTerm: 3000 });
    expect(out['notes']).toBeUndefined();
  });

  it('table format prints the worksheet', async () => {
    const r = await lotsmith('carryover', '--input', inputFile((examples('loss_netting.json')[1] as Example).input));
    expect(r.code).toBe(0);
    expect(r.out).toContain('Capital Loss Carryover Worksheet');
    expect(r.out).toContain('long-term 4000.00');
  });
});

describe('lotsmith tax: tax_2025.json', () => {
  for (const c of examples('tax_2025.json')) {
    it(`${c.id}`, async () => {
      expect(await runJson('tax', c.input)).toMatchObject(c.expected);
    });
  }

  it('gross income less the standard deduction by filing status (2025 as enacted)', async () => {
    const out = await runJson('tax', { filingStatus: 'head_of_household', grossOrdinaryIncome: 100000, preferentialIncome: 10000 });
    expect(out).toMatchObject({ standardDeduction: 23625, deduction: 23625, taxableIncome: 86375, ordinaryIncome: 76375, preferentialIncome: 10000 });
    expect(out['ordinaryTax']).toBe(9977.5); // 7,442 + 22 % x (76,375 - 64,850)
    expect(out['preferentialTax']).toBe(1500);
  });

  it('a deduction larger than ordinary income absorbs preferential income first on line 5 (line 10 = min)', async () => {
    const out = await runJson('tax', { filingStatus: 'single', grossOrdinaryIncome: 5000, deduction: 15750, preferentialIncome: 20000 });
    expect(out).toMatchObject({ taxableIncome: 9250, ordinaryIncome: 0, preferentialIncome: 9250, regularTax: 0 });
  });

  it('NIIT for every filing status at its threshold', async () => {
    const thresholds = { single: 200000, married_filing_jointly: 250000, married_filing_separately: 125000, head_of_household: 200000, qualifying_surviving_spouse: 250000 };
    for (const [filingStatus, t] of Object.entries(thresholds)) {
      const out = await runJson('tax', { filingStatus, ordinaryTaxableIncome: 100000, preferentialIncome: 50000, magi: t + 10000, netInvestmentIncome: 50000 });
      expect(out['niit']).toBe(380);
    }
  });

  it('table format prints the worksheet', async () => {
    const r = await lotsmith('tax', '--input', inputFile({ filingStatus: 'single', ordinaryTaxableIncome: 40000, preferentialIncome: 20000 }));
    expect(r.code).toBe(0);
    expect(r.out).toContain('Qualified Dividends and Capital Gain Tax Worksheet');
    expect(r.out).toContain('6309');
  });
});

describe('lotsmith value: the seed paper Example (SEED-EX)', () => {
  const ex = seed('SEED-EX');
  const inputs = ex['inputs'] as Record<string, unknown>;
  const clients = ex['clients'] as Array<{ client: string; ordinaryAndShortTermRate: number; longTermRateToday: number; futureLongTermRate: number; expected: Record<string, number> }>;
  const doc = (ordinary: number, longTerm: number, futureLongTerm: number): unknown => ({
    portfolioValue: inputs['portfolio'],
    harvestedLoss: inputs['harvested'],
    offsets: inputs['offsets'],
    rates: { ordinary, shortTerm: ordinary, longTerm, futureLongTerm },
    discountRate: inputs['discountRate'],
    yearsToLiquidation: inputs['yearsToLiquidation'],
  });

  for (const c of clients) {
    it(`SEED-EX ${c.client}: ${c.expected['netBenefitPctOfPortfolio']} %`, async () => {
      const out = await runJson('value', doc(c.ordinaryAndShortTermRate, c.longTermRateToday, c.futureLongTermRate));
      expect(out).toMatchObject(c.expected);
      expect(out['discountFactor']).toBe(ex['discountFactor']);
    });
  }

  it('SEED-EX high with the paper\'s literal "60 %" gives 1.05 %, not the 1.14 % it prints', async () => {
    const out = await runJson('value', doc(0.45, 0.25, 0.6));
    expect(out).toMatchObject((ex['paperInconsistency'] as Record<string, unknown>)['with60pct'] as object);
  });

  it('without offsets the loss is allocated: gains first, then $3,000 of ordinary income, the rest carried', async () => {
    const out = await runJson('value', {
      portfolioValue: 100000,
      harvestedLoss: 4500,
      realizedGains: { shortTerm: 1000, longTerm: 2000 },
      rates: { ordinary: 0.25, shortTerm: 0.25, longTerm: 0.15, futureLongTerm: 0.15 },
      discountRate: 0.08,
      yearsToLiquidation: 20,
    });
    expect(out).toMatchObject({ offsetsAllocated: true, offsets: { shortTermGains: 1000, longTermGains: 2000, ordinaryIncome: 1500 }, carriedForward: 0, netBenefitPctOfPortfolio: 0.78 });
    const big = await runJson('value', {
      filingStatus: 'married_filing_separately',
      portfolioValue: 100000,
      harvestedLoss: 10000,
      realizedGains: { shortTerm: 1000 },
      rates: { ordinary: 0.25, shortTerm: 0.25, longTerm: 0.15, futureLongTerm: 0.15 },
      discountRate: 0.08,
      yearsToLiquidation: 20,
    });
    expect(big).toMatchObject({ offsets: { shortTermGains: 1000, longTermGains: 0, ordinaryIncome: 1500 }, amountOffset: 2500, carriedForward: 7500 });
  });

  it('donation and step-up at death owe no liability: the benefit is the whole saving', async () => {
    const out = await runJson('value', doc(0.25, 0.15, 0.15));
    expect(out['scenarios']).toEqual({
      liquidation: { pvLiability: 144.82, netBenefit: 780.18, netBenefitPctOfPortfolio: 0.78 },
      donation: { pvLiability: 0, netBenefit: 925, netBenefitPctOfPortfolio: 0.93 },
      step_up: { pvLiability: 0, netBenefit: 925, netBenefitPctOfPortfolio: 0.93 },
    });
  });
});

describe('lotsmith yield: Harvesting Yield (SEED-HY, SEED-DEP)', () => {
  it('SEED-HY: 4,500 on 100,000 is 4.5 %', async () => {
    const out = await runJson('yield', { beginningBalance: 100000, harvestedLoss: 4500 });
    expect(out['harvestingYieldPct']).toBeCloseTo(4.5, 12);
  });

  it('daily yields against the beginning balance are summed over the year', async () => {
    const out = await runJson('yield', { beginningBalance: 100000, days: [{ shortTermLoss: 1000 }, { longTermLoss: 500 }, { shortTermLoss: 250, longTermLoss: 250 }] });
    expect(out['harvestingYield']).toBeCloseTo(0.02, 12);
  });

  it('cohort annualized: mean daily yield x 252', async () => {
    const out = await runJson('yield', { cohortDays: [{ losses: 100, balance: 1000000 }, { losses: 0, balance: 1000000 }] });
    expect(out['annualizedHarvestingYield']).toBeCloseTo((0.0001 / 2) * 252, 12);
  });

  for (const investor of ['investorA', 'investorB'] as const) {
    it(`SEED-DEP ${investor}`, async () => {
      const dep = seed('SEED-DEP');
      const inputs = dep['inputs'] as Record<string, Record<string, number> & number>;
      const expected = (dep['expected'] as Record<string, Record<string, unknown>>)[investor] as Record<string, unknown>;
      const deposits = inputs[investor] as Record<string, number>;
      const plan = {
        initialDeposit: deposits['initial'],
        yearlyDeposit: deposits['followOnAtStartOfEachLaterYear'] ?? 0,
        annualReturn: inputs['return'],
        firstYearLossRate: inputs['firstYearLossRate'],
        years: inputs['years'],
      };
      const out = await runJson('yield', { depositPlan: plan });
      expect(out['averageAnnualHarvestingYieldPct']).toBe(expected['averageAnnualHarvestingYieldPct']);
      expect(out['totalLosses']).toBe(expected['totalLosses']);
      expect(out['endValue']).toBe(expected['endValueYear10']);
      const yearly = out['yearly'] as Array<Record<string, number>>;
      (expected['yearly'] as Array<Record<string, number>>).forEach((y, i) => {
        expect(yearly[i]?.['beginningBalance']).toBe(y['beginningBalance']);
        expect(yearly[i]?.['harvestedLoss']).toBe(y['harvestedLoss']);
        expect(Number(yearly[i]?.['harvestingYieldPct']?.toFixed(2))).toBe(y['harvestingYieldPct']);
      });
    });
  }
});

describe('lotsmith rates: marginal rates and the value of a candidate loss', () => {
  it('combines federal, NIIT and the state table; values a candidate by Schedule D order', async () => {
    const out = await runJson('rates', {
      filingStatus: 'married_filing_jointly',
      ordinaryTaxableIncome: 500000,
      magi: 560000,
      netInvestmentIncome: 20000,
      state: 'ca',
      realized: { shortTerm: 20000, longTerm: 0 },
      candidate: { loss: 25000, term: 'short' },
    });
    expect(out).toMatchObject({
      federal: { ordinary: 0.35, longTerm: 0.15, niitOnGains: 0.038, niitOnOrdinary: 0 },
      state: { code: 'CA', ordinary: 0.093, approximate: false, basis: 'schedule', taxableIncome: 520000, bracket: { over: 145448, upTo: 742958, rate: 0.093 } },
      shortTerm: 0.481,
      longTerm: 0.281,
      candidate: { offsets: { shortTermGains: 20000, longTermGains: 0, ordinaryIncome: 3000 }, carriedForward: { shortTerm: 2000, longTerm: 0 } },
    });
    const c = out['candidate'] as Record<string, number>;
    expect(c['immediateSaving']).toBe(10949); // 20,000 x 48.1 % + 3,000 x 44.3 %
    expect(c['carryforwardValue']).toBe(890.74); // 2,000 x 48.1 % / 1.08
    expect(out['marginalLossValuePerDollar']).toEqual({ shortTerm: 0.481, longTerm: 0.481 });
  });
});

describe('bad input is reported, exit 1, nothing on stdout', () => {
  const cases: Array<[string, string, unknown, RegExp]> = [
    ['tax', 'unknown filing status', { filingStatus: 'married', ordinaryTaxableIncome: 1000 }, /filingStatus: unknown filing status "married"/],
    ['tax', 'negative income', { filingStatus: 'single', ordinaryTaxableIncome: -5 }, /ordinaryTaxableIncome: must not be negative/],
    ['tax', 'no income at all', { filingStatus: 'single' }, /ordinaryTaxableIncome: give ordinaryTaxableIncome/],
    ['tax', 'both income forms', { filingStatus: 'single', ordinaryTaxableIncome: 1, grossOrdinaryIncome: 2 }, /not both/],
    ['tax', 'a year without tables', { taxYear: 2031, filingStatus: 'single', ordinaryTaxableIncome: 1 }, /no federal tax tables for 2031/],
    ['carryover', 'unknown filing status', { filingStatus: 'widow', shortTermItems: [] }, /unknown filing status "widow"/],
    ['carryover', 'negative carryover', { filingStatus: 'single', shortTermItems: [], carryoverIn: { shortTerm: -1, longTerm: 0 } }, /carryoverIn.shortTerm: must not be negative/],
    ['carryover', 'a chain year without status', { years: [{ shortTermItems: [-1] }] }, /years\[0\]\.filingStatus: is required/],
    ['value', 'missing rate', { portfolioValue: 100000, harvestedLoss: 4500, offsets: {}, rates: { ordinary: 0.25, shortTerm: 0.25, longTerm: 0.15 }, discountRate: 0.08, yearsToLiquidation: 20 }, /rates.futureLongTerm: is required/],
    ['value', 'missing rates', { portfolioValue: 100000, harvestedLoss: 4500, discountRate: 0.08, yearsToLiquidation: 20 }, /rates: is required/],
    ['value', 'offsets beyond the loss', { portfolioValue: 100000, harvestedLoss: 100, offsets: { shortTermGains: 200 }, rates: { ordinary: 0.25, shortTerm: 0.25, longTerm: 0.15, futureLongTerm: 0.15 }, discountRate: 0.08, yearsToLiquidation: 20 }, /exceed the harvested loss/],
    ['value', 'a rate above 1', { portfolioValue: 100000, harvestedLoss: 100, rates: { ordinary: 25, shortTerm: 0.25, longTerm: 0.15, futureLongTerm: 0.15 }, discountRate: 0.08, yearsToLiquidation: 20 }, /rates.ordinary: must be a decimal rate between 0 and 1/],
    ['rates', 'unknown state', { filingStatus: 'single', ordinaryTaxableIncome: 1000, state: 'XX' }, /unknown state "XX"/],
    ['yield', 'an unknown form', { balance: 1 }, /expected \{beginningBalance, days/],
  ];
  for (const [command, what, doc, message] of cases) {
    it(`${command}: ${what}`, async () => {
      const r = await lotsmith(command, '--input', inputFile(doc), '--format', 'json');
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(message);
    });
  }

  it('a file that is not JSON', async () => {
    const r = await lotsmith('tax', '--input', inputFile('{'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not valid JSON/);
  });

  it('an unknown --format is a usage error (exit 2)', async () => {
    const r = await lotsmith('tax', '--input', inputFile({ filingStatus: 'single', ordinaryTaxableIncome: 1 }), '--format', 'xml');
    expect(r.code).toBe(2);
  });
});
