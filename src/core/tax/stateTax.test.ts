import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadStateTable } from '../../adapters/files/taxInput.js';
import { usd, type Usd } from '../kernel/exact.js';
import { bracketTax } from './federalTax.js';
import { rate, rateToNumber } from './rate.js';
import { STATE_CODES, stateMarginalRates, type StateMarginalRates } from './stateTax.js';
import { TAX_FILING_STATUSES, type Bracket, type StateTaxTable, type TaxFilingStatus } from './taxTables.js';
import { checkProperty } from '../kernel/property.test-util.js';

const loaded = loadStateTable(2025);
if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
const table = loaded.value;

function at(code: string, income: number, status: TaxFilingStatus = 'single'): StateMarginalRates {
  const r = stateMarginalRates(table, code, status, usd(income));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}
const pct = (r: StateMarginalRates) => ({ ordinary: rateToNumber(r.ordinary), shortTerm: rateToNumber(r.shortTerm), longTerm: rateToNumber(r.longTerm) });
const ordinary = (code: string, income: number, status: TaxFilingStatus = 'single'): number => rateToNumber(at(code, income, status).ordinary);
const schedule = (code: string, status: 'single' | 'married_filing_jointly' | 'married_filing_separately' | 'head_of_household'): readonly Bracket[] => {
  const s = table.states[code]?.schedule;
  if (!s) throw new Error(`${code} has no schedule`);
  return s[status];
};
/** The tax a schedule gives at an income, in dollars: the printed "base tax" of a bracket. */
const taxAt = (code: string, status: Parameters<typeof schedule>[1], income: number): number => bracketTax(schedule(code, status), usd(income)) / 100;

describe('the 2025 state table', () => {
  it('covers the 50 states and DC, each with a source', () => {
    const codes = Object.keys(table.states);
    expect(codes.sort()).toEqual([...STATE_CODES].sort());
    for (const s of Object.values(table.states)) expect(s.source.length).toBeGreaterThan(10);
  });

  it('every graduated state and DC has its schedule: none is priced at its top rate', () => {
    for (const s of Object.values(table.states)) {
      if (s.system !== 'none') expect(s.schedule, s.code).toBeDefined();
      for (const status of TAX_FILING_STATUSES) expect(at(s.code, 50000, status).approximate, s.code).toBe(false);
    }
  });

  it('states without an income tax are 0 (Washington notes its capital gains excise tax)', () => {
    for (const code of ['AK', 'FL', 'NV', 'NH', 'SD', 'TN', 'TX', 'WA', 'WY']) expect(pct(at(code, 500000))).toEqual({ ordinary: 0, shortTerm: 0, longTerm: 0 });
    expect(at('WA', 500000).notes.join(' ')).toMatch(/7% excise tax on long-term capital gains/);
  });
});

describe('the rate comes from the household bracket (2025 schedules)', () => {
  it('CA, married filing jointly, $310,000: 9.3 % (Schedule Y, over $145,448 up to $742,958), not the 13.3 % top rate', () => {
    const ca = at('CA', 310000, 'married_filing_jointly');
    expect(pct(ca)).toEqual({ ordinary: 0.093, shortTerm: 0.093, longTerm: 0.093 });
    expect(ca.basis).toBe('schedule');
    expect(ca.approximate).toBe(false);
    expect(ca.bracket).toEqual({ over: usd(145448), upTo: usd(742958), rate: rate('0.093') });
  });

  it('CA: the 1 % Mental Health Services Tax starts at $1,000,000 for every status', () => {
    expect(ordinary('CA', 999999, 'married_filing_jointly')).toBe(0.113);
    expect(ordinary('CA', 1000000, 'married_filing_jointly')).toBe(0.123);
    expect(ordinary('CA', 1485906, 'married_filing_jointly')).toBe(0.133);
    expect(ordinary('CA', 1000000, 'single')).toBe(0.133);
    expect(ordinary('CA', 1000000, 'head_of_household')).toBe(0.123);
    expect(ordinary('CA', 50000, 'single')).toBe(0.06);
  });

  it('NY, single, $100,000: 6 % (over $80,650 up to $215,400); a single filer at $1,100,000 pays 9.65 %', () => {
    expect(ordinary('NY', 100000)).toBe(0.06);
    expect(ordinary('NY', 1100000)).toBe(0.0965);
    expect(ordinary('NY', 25000001)).toBe(0.109);
    expect(at('NY', 100000).notes.join(' ')).toMatch(/supplemental tax/);
  });

  it('head of household schedules of their own: NY $110,000 is 6 % (HoH 5.5 % ends at $107,650), CA $90,000 8 %, MN $150,000 6.8 %', () => {
    expect(ordinary('NY', 100000, 'head_of_household')).toBe(0.055);
    expect(ordinary('NY', 110000, 'head_of_household')).toBe(0.06);
    expect(ordinary('CA', 90000, 'head_of_household')).toBe(0.08);
    expect(ordinary('CA', 90000, 'single')).toBe(0.093);
    expect(ordinary('MN', 150000, 'head_of_household')).toBe(0.068);
    expect(ordinary('MN', 150000, 'single')).toBe(0.0785);
  });

  it('DC: one schedule for every status, 8.5 % from $60,000 to $250,000, 10.75 % over $1,000,000', () => {
    for (const status of TAX_FILING_STATUSES) expect(ordinary('DC', 100000, status)).toBe(0.085);
    expect(ordinary('DC', 1000001)).toBe(0.1075);
    expect(ordinary('DC', 5000)).toBe(0.04);
  });

  it('married filing separately has its own schedule where the state prints one: MN $100,000 is 7.85 %, not the single 6.8 %', () => {
    expect(ordinary('MN', 100000, 'married_filing_separately')).toBe(0.0785);
    expect(ordinary('MN', 100000, 'single')).toBe(0.068);
    expect(ordinary('WV', 35000, 'married_filing_separately')).toBe(0.0482);
    expect(ordinary('WV', 35000, 'single')).toBe(0.0333);
  });

  it('qualifying surviving spouses use the joint schedule', () => {
    expect(ordinary('CA', 310000, 'qualifying_surviving_spouse')).toBe(0.093);
    expect(ordinary('NJ', 60000, 'qualifying_surviving_spouse')).toBe(0.0245);
  });

  it('2025 law changes: OH tops out at 3.125 % (HB 96), WI widened its 4.4 % bracket (Act 15), MD added 6.25 % and 6.5 %', () => {
    expect(ordinary('OH', 150000)).toBe(0.03125);
    expect(ordinary('OH', 26050)).toBe(0.0275);
    expect(ordinary('OH', 26049)).toBe(0);
    expect(ordinary('WI', 45000)).toBe(0.044);
    expect(ordinary('MD', 700000)).toBe(0.0625);
    expect(ordinary('MD', 500000, 'married_filing_jointly')).toBe(0.0575);
  });

  it('a state schedule with a 0 % first bracket: South Carolina, with its 44 % long-term deduction; North Dakota', () => {
    expect(pct(at('SC', 3000))).toEqual({ ordinary: 0, shortTerm: 0, longTerm: 0 });
    expect(pct(at('SC', 10000))).toEqual({ ordinary: 0.03, shortTerm: 0.03, longTerm: 0.0168 });
    expect(pct(at('SC', 80000))).toEqual({ ordinary: 0.06, shortTerm: 0.06, longTerm: 0.0336 });
    expect(ordinary('ND', 48000)).toBe(0);
    expect(pct(at('ND', 100000))).toEqual({ ordinary: 0.0195, shortTerm: 0.0195, longTerm: 0.0117 });
  });

  it('schedules by filing status: Kansas joint filers reach 5.58 % at $46,000', () => {
    expect(ordinary('KS', 40000, 'married_filing_jointly')).toBe(0.052);
    expect(ordinary('KS', 40000, 'single')).toBe(0.0558);
  });

  it('capital gains taxed differently: MA short-term 8.5 % (12.5 % over the surtax threshold), HI capped at 7.25 %, MO exempt, MT 3 % / 4.1 %', () => {
    expect(pct(at('MA', 200000))).toEqual({ ordinary: 0.05, shortTerm: 0.085, longTerm: 0.05 });
    expect(pct(at('MA', 2000000))).toEqual({ ordinary: 0.09, shortTerm: 0.125, longTerm: 0.09 });
    expect(pct(at('HI', 500000))).toEqual({ ordinary: 0.11, shortTerm: 0.11, longTerm: 0.0725 });
    expect(pct(at('HI', 40000))).toEqual({ ordinary: 0.072, shortTerm: 0.072, longTerm: 0.072 });
    expect(pct(at('MO', 500000))).toEqual({ ordinary: 0.047, shortTerm: 0, longTerm: 0 });
    expect(pct(at('MT', 30000, 'married_filing_jointly'))).toEqual({ ordinary: 0.047, shortTerm: 0.047, longTerm: 0.03 });
    expect(pct(at('MT', 50000, 'married_filing_jointly'))).toEqual({ ordinary: 0.059, shortTerm: 0.059, longTerm: 0.041 });
  });

  it('codes are case-insensitive; an unknown code is an issue', () => {
    expect(at('ny', 100000).code).toBe('NY');
    const r = stateMarginalRates(table, 'PR', 'single', usd(1));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toMatch(/unknown state "PR"/);
  });
});

describe('the schedules reproduce the tax the revenue departments print at their bracket bottoms', () => {
  it.each([
    ['HI Schedule I at 48,000 (2,539.20; printed rounded 2,539)', 'HI', 'single', 48000, 2539.2],
    ['HI Schedule I at 325,000 (25,966.20; printed rounded 25,966)', 'HI', 'single', 325000, 25966.2],
    ['ND single at 244,825 (3,828.83)', 'ND', 'single', 244825, 3828.83],
    ['ND joint at 298,075 (4,233.45)', 'ND', 'married_filing_jointly', 298075, 4233.45],
    ['MN single at 198,630 (13,996.80)', 'MN', 'single', 198630, 13996.8],
    ['MN head of household at 264,050 (18,454.61)', 'MN', 'head_of_household', 264050, 18454.61],
    ['DE at 60,000 (2,943.50)', 'DE', 'single', 60000, 2943.5],
    ['WV Schedule I at 60,000 (2,053.50)', 'WV', 'single', 60000, 2053.5],
    ['WV Schedule II at 30,000 (1,026.75)', 'WV', 'married_filing_separately', 30000, 1026.75],
    ['NM single at 210,000 (9,748)', 'NM', 'single', 210000, 9748],
    ['NM joint at 315,000 (14,624)', 'NM', 'married_filing_jointly', 315000, 14624],
    ['OK joint at 100,000 (4,373)', 'OK', 'head_of_household', 100000, 4373],
    ['RI at 181,650 (7,829.38)', 'RI', 'single', 181650, 7829.38],
    ['MD Schedule I at 1,000,000 (58,385)', 'MD', 'single', 1000000, 58385],
    ['MD Schedule II at 1,200,000 (69,822.50)', 'MD', 'married_filing_jointly', 1200000, 69822.5],
    ['WI joint at 431,060 (22,064.26)', 'WI', 'married_filing_jointly', 431060, 22064.26],
    ['VT joint at 304,000 (18,428.25; printed rounded 18,428)', 'VT', 'married_filing_jointly', 304000, 18428.25],
    ['NE single at 38,870 (1,543.28; exact 1,543.27)', 'NE', 'single', 38870, 1543.27],
  ] as const)('%s', (_name, code, status, income, tax) => {
    expect(taxAt(code, status, income)).toBe(tax);
  });
});

describe('marginal state rates (properties)', () => {
  const schedules = Object.values(table.states).flatMap((s) => (s.schedule ? Object.entries(s.schedule).map(([status, b]) => ({ code: s.code, status, brackets: b })) : []));
  const incomes = fc.integer({ min: 0, max: 3_000_000 }).map((d) => d * 100);

  it('within a state schedule, the marginal rate never falls as income rises', () => {
    checkProperty(
      fc.property(fc.constantFrom(...schedules), incomes, incomes, (s, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const r = (x: number) => stateMarginalRates(table, s.code, s.status as TaxFilingStatus, x as Usd);
        const rl = r(lo);
        const rh = r(hi);
        if (!rl.ok || !rh.ok) throw new Error('unknown state');
        expect(rh.value.ordinary).toBeGreaterThanOrEqual(rl.value.ordinary);
      }),
      { numRuns: 500 },
    );
  });

  it('the marginal rate is the tax on one more dollar of state taxable income', () => {
    checkProperty(
      fc.property(fc.constantFrom(...schedules), incomes, (s, x) => {
        const r = stateMarginalRates(table, s.code, s.status as TaxFilingStatus, x as Usd);
        if (!r.ok) throw new Error('unknown state');
        const delta = bracketTax(s.brackets, (x + 10_000) as Usd) - bracketTax(s.brackets, x as Usd);
        const next = s.brackets.find((b) => b.over > x && b.over < x + 10_000);
        // Each tax is rounded once to the cent, so a difference of two may be a cent off.
        if (!next) expect(Math.abs(delta - r.value.ordinary / 100)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });
});

describe('a graduated state whose schedule cannot be modelled', () => {
  const synthetic: StateTaxTable = {
    taxYear: 2025,
    states: { ZZ: { code: 'ZZ', name: 'Example', system: 'graduated', topRate: rate('0.08'), notes: 'taxes a share of federal liability', source: 'example' } },
  };

  it('is priced at its top rate and says so', () => {
    const r = stateMarginalRates(synthetic, 'ZZ', 'single', usd(50000));
    if (!r.ok) throw new Error('unknown state');
    expect(rateToNumber(r.value.ordinary)).toBe(0.08);
    expect(r.value.basis).toBe('top_rate');
    expect(r.value.approximate).toBe(true);
    expect(r.value.notes[0]).toMatch(/top marginal rate used/);
  });
});
