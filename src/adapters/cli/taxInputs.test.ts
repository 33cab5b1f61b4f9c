/**
 * The documents of `lotsmith tax | carryover | value | yield | rates`: every documented optional
 * field is accepted on its own, unknown keys are refused, conflicts and out-of-range sizes are
 * refused with the file and field named, and nothing is printed on stdout then.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inputFile, runJson, runRejected } from './taxDocs.test-util.js';
import { lotsmith } from './testIo.test-util.js';

const RATES = { ordinary: 0.25, shortTerm: 0.25, longTerm: 0.15, futureLongTerm: 0.15 };
const VALUE = { portfolioValue: 100000, harvestedLoss: 4500, rates: RATES, discountRate: 0.08, yearsToLiquidation: 20 };
const PLAN = { initialDeposit: 10000, yearlyDeposit: 2500, annualReturn: 0.08, firstYearLossRate: 0.05, years: 10 };
const PROFILE = { filingStatus: 'single', ordinaryTaxableIncome: 100000 };

describe('lotsmith tax: each documented optional field', () => {
  it('filingStatus, magi and netInvestmentIncome alone compute the NIIT', async () => {
    const out = await runJson('tax', { filingStatus: 'single', magi: 250000, netInvestmentIncome: 30000 });
    expect(out).toMatchObject({ niit: 1140, niitComputed: true, regularTax: 0, taxableIncome: 0, totalTax: 1140 }); // 3.8 % x min(30,000, 50,000)
    expect((out['notes'] as string[])[0]).toMatch(/no income given/);
  });

  it('magi without netInvestmentIncome takes the preferential income as NII', async () => {
    const out = await runJson('tax', { filingStatus: 'married_filing_jointly', ordinaryTaxableIncome: 200000, preferentialIncome: 30000, magi: 260000 });
    expect(out['niit']).toBe(380); // 3.8 % x min(30,000, 10,000)
  });

  it('"deduction": "standard" applies the year\'s standard deduction of the status', async () => {
    const out = await runJson('tax', { filingStatus: 'head_of_household', grossOrdinaryIncome: 100000, deduction: 'standard' });
    expect(out).toMatchObject({ standardDeduction: 23625, deduction: 23625, taxableIncome: 76375 });
    const omitted = await runJson('tax', { filingStatus: 'head_of_household', grossOrdinaryIncome: 100000 });
    expect(omitted['regularTax']).toBe(out['regularTax']);
  });

  it('a deduction amount, taxYear, and preferentialIncome alone', async () => {
    expect(await runJson('tax', { filingStatus: 'single', grossOrdinaryIncome: 100000, deduction: 40000 })).toMatchObject({ deduction: 40000, taxableIncome: 60000, regularTax: 8114 });
    expect(await runJson('tax', { taxYear: 2025, filingStatus: 'single', ordinaryTaxableIncome: 60000 })).toMatchObject({ taxYear: 2025, regularTax: 8114 });
    expect(await runJson('tax', { filingStatus: 'single', preferentialIncome: 60000 })).toMatchObject({ taxableIncome: 60000, preferentialTax: 1747.5 }); // 15 % x (60,000 - 48,350)
  });

  it('netInvestmentIncome without magi is accepted and the output says the NIIT needs magi', async () => {
    const out = await runJson('tax', { filingStatus: 'single', ordinaryTaxableIncome: 300000, netInvestmentIncome: 50000 });
    expect(out).toMatchObject({ niit: 0, niitComputed: false });
    expect((out['notes'] as string[]).join(' ')).toMatch(/only from a given magi/);
  });
});

describe('lotsmith carryover: each documented optional field', () => {
  it('shortTermItems or longTermItems alone, a carryoverIn of one term, no carryoverIn, taxYear', async () => {
    expect(await runJson('carryover', { filingStatus: 'single', longTermItems: [-5000], form1040Line15TaxableIncome: 50000 })).toMatchObject({ carryoverToNextYear: { shortTerm: 0, longTerm: 2000 } });
    expect(await runJson('carryover', { filingStatus: 'single', shortTermItems: [-5000], form1040Line15TaxableIncome: 50000 })).toMatchObject({ carryoverToNextYear: { shortTerm: 2000, longTerm: 0 } });
    expect(await runJson('carryover', { filingStatus: 'single', carryoverIn: { longTerm: 4000 }, form1040Line15TaxableIncome: 50000 })).toMatchObject({ carryoverToNextYear: { shortTerm: 0, longTerm: 1000 } });
    expect(await runJson('carryover', { taxYear: 2025, filingStatus: 'married_filing_separately', shortTermItems: [-5000], form1040Line15TaxableIncome: 50000 })).toMatchObject({ capitalLossDeduction: 1500 });
  });

  it('without form1040Line15TaxableIncome the deduction counts in full, and a note says so', async () => {
    const out = await runJson('carryover', { filingStatus: 'single', shortTermItems: [-5000] });
    expect(out).toMatchObject({ capitalLossDeductionAbsorbed: 3000, carryoverToNextYear: { shortTerm: 2000 } });
    expect((out['notes'] as string[])[0]).toMatch(/form1040Line15TaxableIncome not given/);
  });

  it('a chain takes its carryoverIn at the top or on years[0], and filing statuses per year', async () => {
    const years = [{ filingStatus: 'single', longTermItems: [-1000], form1040Line15TaxableIncome: 50000 }, { filingStatus: 'single', form1040Line15TaxableIncome: 50000 }];
    const top = await runJson('carryover', { carryoverIn: { longTerm: 5000 }, years });
    const first = await runJson('carryover', { years: [{ ...years[0], carryoverIn: { longTerm: 5000 } }, years[1]] });
    expect(top['carryoverToNextYear']).toEqual({ shortTerm: 0, longTerm: 0 }); // 6,000 of loss, 3,000 a year
    expect(first['carryoverToNextYear']).toEqual(top['carryoverToNextYear']);
  });
});

describe('lotsmith value: each documented optional field', () => {
  it('without offsets or realizedGains the loss offsets ordinary income up to the limit', async () => {
    expect(await runJson('value', VALUE)).toMatchObject({ offsetsAllocated: true, offsets: { shortTermGains: 0, longTermGains: 0, ordinaryIncome: 3000 }, carriedForward: 1500 });
  });

  it('offsets or realizedGains of one kind only; harvestedTerm; filingStatus; taxYear', async () => {
    expect(await runJson('value', { ...VALUE, offsets: { ordinaryIncome: 3000 } })).toMatchObject({ offsetsAllocated: false, amountOffset: 3000, taxSavings: 750 });
    expect(await runJson('value', { ...VALUE, realizedGains: { longTerm: 2000 } })).toMatchObject({ offsets: { shortTermGains: 0, longTermGains: 2000, ordinaryIncome: 2500 } });
    expect(await runJson('value', { ...VALUE, harvestedTerm: 'long', realizedGains: { shortTerm: 1000, longTerm: 1000 } })).toMatchObject({ offsets: { shortTermGains: 1000, longTermGains: 1000, ordinaryIncome: 2500 } });
    expect(await runJson('value', { ...VALUE, taxYear: 2025, filingStatus: 'married_filing_separately' })).toMatchObject({ offsets: { ordinaryIncome: 1500 }, carriedForward: 3000 });
  });
});

describe('lotsmith yield: each documented optional field', () => {
  it('days with one kind of loss each, and dates', async () => {
    const out = await runJson('yield', { beginningBalance: 100000, days: [{ shortTermLoss: 1000 }, { longTermLoss: 500, date: '2025-03-03' }, {}] });
    expect(out).toMatchObject({ days: 3, harvestingYieldPct: 1.5 });
  });

  it('cohort days with and without tradingDays (default 252)', async () => {
    const days = [{ losses: 100, balance: 1000000, date: '2025-01-02' }];
    expect((await runJson('yield', { cohortDays: days }))['tradingDays']).toBe(252);
    expect((await runJson('yield', { cohortDays: days, tradingDays: 250 }))['annualizedHarvestingYield']).toBeCloseTo(0.025, 12);
  });

  it('a deposit plan without yearlyDeposit', async () => {
    const { yearlyDeposit: _, ...plan } = PLAN;
    expect(await runJson('yield', { depositPlan: plan })).toMatchObject({ totalLosses: 500, averageAnnualHarvestingYieldPct: 0.5 });
  });
});

describe('lotsmith rates: each documented optional field', () => {
  it('gross income with "deduction": "standard", or an amount', async () => {
    const std = await runJson('rates', { filingStatus: 'single', grossOrdinaryIncome: 115750, deduction: 'standard' });
    expect(std['position']).toMatchObject({ taxableIncome: 100000 });
    expect((await runJson('rates', { filingStatus: 'single', grossOrdinaryIncome: 115750, deduction: 20000 }))['position']).toMatchObject({ taxableIncome: 95750 });
  });

  it('state (any case), stateTaxableIncome, stateRate, stateDeductible', async () => {
    expect((await runJson('rates', { ...PROFILE, state: 'ny' }))['state']).toMatchObject({ code: 'NY', ordinary: 0.06, taxableIncomeFrom: 'federal_taxable_income' });
    expect((await runJson('rates', { ...PROFILE, state: 'NY', stateTaxableIncome: 250000 }))['state']).toMatchObject({ ordinary: 0.0685, taxableIncome: 250000, taxableIncomeFrom: 'stateTaxableIncome' });
    expect((await runJson('rates', { ...PROFILE, stateRate: 0.05 }))['state']).toMatchObject({ basis: 'override', ordinary: 0.05 });
    expect(await runJson('rates', { ...PROFILE, state: 'NY', stateDeductible: true })).toMatchObject({ stateDeductible: true, ordinary: 0.2668 }); // 22 % + 6 % x 78 %
  });

  it('preferentialIncome, magi, netInvestmentIncome, realized (one term), carryoverIn, taxYear', async () => {
    const out = await runJson('rates', { ...PROFILE, taxYear: 2025, preferentialIncome: 10000, magi: 300000, netInvestmentIncome: 40000, realized: { longTerm: 5000 }, carryoverIn: { shortTerm: 1000 } });
    expect(out['position']).toMatchObject({ taxableIncome: 114000, preferentialIncome: 14000, magi: 300000, netInvestmentIncome: 40000 });
  });

  it('a candidate loss with its discountRate and yearsUntilUsed', async () => {
    const out = await runJson('rates', { ...PROFILE, candidate: { loss: 5000, term: 'long' }, discountRate: 0.05, yearsUntilUsed: 2 });
    expect(out['candidate']).toMatchObject({ offsets: { ordinaryIncome: 3000 }, carriedForward: { longTerm: 2000 }, carryforwardValue: 272.11 }); // 2,000 x 15 % / 1.05^2
  });
});

describe('unknown keys are errors, at any depth', () => {
  const cases: Array<[string, unknown, string]> = [
    ['tax', { filingStatus: 'single', ordinaryTaxableIncome: 1000, magy: 5 }, 'magy'],
    ['carryover', { filingStatus: 'single', shortTermItem: [-1] }, 'shortTermItem'],
    ['carryover', { years: [{ filingStatus: 'single', longTermItemz: [] }] }, 'longTermItemz'],
    ['carryover', { filingStatus: 'single', carryoverIn: { shortterm: 1 } }, 'shortterm'],
    ['value', { ...VALUE, rates: { ...RATES, ordinery: 0.2 } }, 'ordinery'],
    ['value', { ...VALUE, discount: 0.08 }, 'discount'],
    ['yield', { depositPlan: { ...PLAN, yrs: 3 } }, 'yrs'],
    ['yield', { beginningBalance: 1000, days: [{ shortTermLos: 1 }] }, 'shortTermLos'],
    ['yield', { depositPlan: PLAN, days: [] }, 'days'],
    ['rates', { ...PROFILE, realized: { shortTem: 1 } }, 'shortTem'],
    ['rates', { ...PROFILE, stat: 'CA' }, 'stat'],
  ];
  for (const [command, doc, key] of cases) {
    it(`${command}: "${key}"`, async () => {
      const r = await runRejected(command, doc);
      expect(r.err).toContain(key);
    });
  }
});

describe('messages say what is wrong, in which file and field', () => {
  it('value: discountRate -1 is out of range, not missing', async () => {
    const r = await runRejected('value', { ...VALUE, discountRate: -1 });
    expect(r.err).toMatch(/field discountRate: must be greater than -1 and at most 1/);
    expect(r.err).not.toMatch(/is required/);
  });

  it('rates: an unknown state names the field', async () => {
    const r = await runRejected('rates', { ...PROFILE, state: 'ZZ' });
    expect(r.err).toMatch(/field state: unknown state "ZZ"/);
  });

  it('harvest: an unknown taxProfile.state names the case file and the field', async () => {
    const CASE = fileURLToPath(new URL('../../../examples/households/harvest-2025-04.json', import.meta.url));
    const doc = JSON.parse(readFileSync(CASE, 'utf8')) as Record<string, Record<string, unknown>>;
    const file = inputFile({ ...doc, taxProfile: { ...doc['taxProfile'], state: 'ZZ' } });
    const r = await lotsmith('harvest', '--input', file, '--date', '2025-04-08');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(`${file}, field taxProfile.state: unknown state "ZZ"`);
  });

  it('a deduction that is neither "standard" nor an amount, or without gross income', async () => {
    expect((await runRejected('tax', { filingStatus: 'single', grossOrdinaryIncome: 1, deduction: 'itemized' })).err).toMatch(/field deduction: must be "standard" or an amount/);
    expect((await runRejected('tax', { filingStatus: 'single', ordinaryTaxableIncome: 1, deduction: 'standard' })).err).toMatch(/field deduction: a deduction is subtracted from grossOrdinaryIncome/);
  });

  it('a document that is not an object', async () => {
    expect((await runRejected('tax', null)).err).toMatch(/must be a JSON object, not null/);
    expect((await runRejected('rates', [PROFILE])).err).toMatch(/must be a JSON object, not a list/);
  });

  it('value: offsets and realizedGains together contradict each other', async () => {
    expect((await runRejected('value', { ...VALUE, offsets: {}, realizedGains: {} })).err).toMatch(/field realizedGains: give offsets .* or realizedGains .*, not both/);
  });

  it('rates: stateTaxableIncome without a state', async () => {
    expect((await runRejected('rates', { ...PROFILE, stateTaxableIncome: 1 })).err).toMatch(/field stateTaxableIncome: .* state, which is missing/);
  });

  it('a UTF-8 byte-order mark before the JSON is accepted', async () => {
    const r = await lotsmith('tax', '--input', inputFile(`\uFEFF${JSON.stringify({ filingStatus: 'single', ordinaryTaxableIncome: 60000 })}`), '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ regularTax: 8114 });
  });
});

describe('carryover chains: a later carryoverIn contradicts the chain', () => {
  const y = { shortTermItems: [-5000], form1040Line15TaxableIncome: 50000 };

  it('a carryoverIn on year 2 is refused, naming the year', async () => {
    const r = await runRejected('carryover', { filingStatus: 'single', years: [y, { ...y, carryoverIn: { shortTerm: 0, longTerm: 0 } }] });
    expect(r.err).toMatch(/field years\[1\]\.carryoverIn: a chain carries years\[0\]'s carryoverToNextYear into this year/);
  });

  it('a carryoverIn at the top and on years[0] is refused', async () => {
    const r = await runRejected('carryover', { filingStatus: 'single', carryoverIn: { shortTerm: 1 }, years: [{ ...y, carryoverIn: { shortTerm: 1 } }] });
    expect(r.err).toMatch(/field years\[0\]\.carryoverIn: carryoverIn is given twice/);
  });

  it('tax years of a chain must follow each other', async () => {
    const r = await runRejected('carryover', { filingStatus: 'single', years: [{ ...y, taxYear: 2025 }, { ...y, taxYear: 2027 }] });
    expect(r.err).toMatch(/field years\[1\]\.taxYear: the years of a chain are consecutive: expected 2026/);
  });
});

describe('sizes are bounded: a clear error, at once', () => {
  it('yield: 100,000,000 years of deposits are refused before any work', async () => {
    const started = Date.now();
    const r = await runRejected('yield', { depositPlan: { ...PLAN, years: 100_000_000 } });
    expect(r.err).toMatch(/field depositPlan\.years: must be between 1 and 100/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('yield: 1,000 years are refused; 100 years of a plan that outgrows the amount bound are too', async () => {
    expect((await runRejected('yield', { depositPlan: { ...PLAN, years: 1000 } })).err).toMatch(/between 1 and 100/);
    expect((await runRejected('yield', { depositPlan: { ...PLAN, years: 100, annualReturn: 1 } })).err).toMatch(/field depositPlan: the balance grows past 100,000,000,000 by year \d+/);
    const out = await runJson('yield', { depositPlan: { ...PLAN, years: 100 } });
    expect(out['endValue']).toBeGreaterThan(0);
    expect((out['yearly'] as unknown[]).length).toBe(100);
  });

  it('yield: returns and loss rates in range; days of one year; trading days of one year', async () => {
    expect((await runRejected('yield', { depositPlan: { ...PLAN, annualReturn: 5 } })).err).toMatch(/annualReturn: must be greater than -1 and at most 1/);
    expect((await runRejected('yield', { depositPlan: { ...PLAN, firstYearLossRate: 2 } })).err).toMatch(/firstYearLossRate: must be between 0 and 1/);
    expect((await runRejected('yield', { beginningBalance: 1000, days: Array.from({ length: 367 }, () => ({})) })).err).toMatch(/field days: at most 366 days/);
    expect((await runRejected('yield', { cohortDays: [{ losses: 1, balance: 1 }], tradingDays: 400 })).err).toMatch(/tradingDays: must be between 1 and 366/);
  });

  it('value: years to liquidation at most 100', async () => {
    expect((await runRejected('value', { ...VALUE, yearsToLiquidation: 1000 })).err).toMatch(/field yearsToLiquidation: must be between 0 and 100/);
  });

  it('carryover: at most 100 years in a chain', async () => {
    const years = Array.from({ length: 101 }, () => ({ filingStatus: 'single' }));
    expect((await runRejected('carryover', { years })).err).toMatch(/field years: at most 100 years/);
  });

  it('amounts at most $100 billion, also summed', async () => {
    expect((await runRejected('tax', { filingStatus: 'single', ordinaryTaxableIncome: 1e12 })).err).toMatch(/field ordinaryTaxableIncome: must be at most 100,000,000,000/);
    expect((await runRejected('carryover', { filingStatus: 'single', shortTermItems: [-9e10, -9e10] })).err).toMatch(/field shortTermItems: the items sum to more than the bound/);
    expect((await runRejected('rates', { ...PROFILE, candidate: { loss: '200000000000', term: 'short' } })).err).toMatch(/field candidate\.loss: must be at most/);
  });

  it('rates: years until a carryover is used at most 100; discount rate in range', async () => {
    expect((await runRejected('rates', { ...PROFILE, yearsUntilUsed: 101 })).err).toMatch(/yearsUntilUsed: must be between 0 and 100/);
    expect((await runRejected('rates', { ...PROFILE, discountRate: -2 })).err).toMatch(/discountRate: must be greater than -1/);
  });
});
