import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFederalTable } from '../../adapters/files/taxInput.js';
import { usd, type Usd } from '../kernel/exact.js';
import { capitalItemsTax, lossContext, lossValue, marginalLossValue, valueOfLoss, type LossContext } from './lossValue.js';
import type { RateSet } from './marginalRates.js';
import type { TaxProfile } from './profile.js';
import { rate } from './rate.js';
import { checkProperty } from '../kernel/property.test-util.js';

const loaded = loadFederalTable(2025);
if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
const table = loaded.value;

/** The seed paper's high-tax client: 45 % on ordinary income and short-term gains, 25 % long-term. */
const HIGH: RateSet = { ordinary: rate('0.45'), shortTerm: rate('0.45'), longTerm: rate('0.25') };
const LOW: RateSet = { ordinary: rate('0.25'), shortTerm: rate('0.25'), longTerm: rate('0.15') };

function ctx(rates: RateSet, realized: { st: number; lt: number }, extra: Partial<TaxProfile> = {}): LossContext {
  const profile: TaxProfile = {
    filingStatus: 'single',
    income: { kind: 'taxable', ordinaryTaxableIncome: usd(150000) },
    realized: { shortTerm: usd(realized.st), longTerm: usd(realized.lt) },
    ...extra,
  };
  return lossContext(table, profile, rates);
}

describe('the value of harvesting one more loss', () => {
  it('SEED-EX: 4,500 offsets 1,000 of short-term gains, 2,000 of long-term gains and 1,500 of ordinary income', () => {
    const v = lossValue(ctx(LOW, { st: 1000, lt: 2000 }), usd(4500), 'short');
    expect(v.offsets).toEqual({ shortTermGains: usd(1000), longTermGains: usd(2000), ordinaryIncome: usd(1500) });
    expect(v.immediateSaving).toBe(usd(925));
    expect(v.carriedForward).toEqual({ shortTerm: 0, longTerm: 0 });
    expect(lossValue(ctx(HIGH, { st: 1000, lt: 2000 }), usd(4500), 'short').immediateSaving).toBe(usd(1625));
  });

  it('the one-shot form equals context + value', () => {
    const profile: TaxProfile = { filingStatus: 'single', income: { kind: 'taxable', ordinaryTaxableIncome: usd(150000) }, realized: { shortTerm: usd(1000), longTerm: usd(2000) } };
    expect(valueOfLoss(table, profile, LOW, usd(4500), 'short')).toEqual(lossValue(ctx(LOW, { st: 1000, lt: 2000 }), usd(4500), 'short'));
  });

  it('a long-term loss nets against long-term gains first (Schedule D line 15)', () => {
    const v = lossValue(ctx(HIGH, { st: 5000, lt: 5000 }), usd(3000), 'long');
    expect(v.offsets).toEqual({ shortTermGains: 0, longTermGains: usd(3000), ordinaryIncome: 0 });
    expect(v.immediateSaving).toBe(usd(750));
  });

  it('a short-term loss nets against short-term gains first', () => {
    const v = lossValue(ctx(HIGH, { st: 5000, lt: 5000 }), usd(3000), 'short');
    expect(v.offsets.shortTermGains).toBe(usd(3000));
    expect(v.immediateSaving).toBe(usd(1350));
  });

  it('beyond gains and the $3,000, the loss carries forward with its character and is discounted', () => {
    const v = lossValue(ctx(HIGH, { st: 0, lt: 0 }), usd(10000), 'long');
    expect(v.offsets.ordinaryIncome).toBe(usd(3000));
    expect(v.carriedForward).toEqual({ shortTerm: 0, longTerm: usd(7000) });
    expect(v.carryforwardValue).toBe(usd('1620.37')); // 7,000 x 25 % / 1.08
    expect(v.total).toBe(usd('2970.37'));
  });

  it('married filing separately: $1,500 against ordinary income', () => {
    const c = ctx(HIGH, { st: 0, lt: 0 }, { filingStatus: 'married_filing_separately' });
    expect(lossValue(c, usd(2000), 'short').offsets.ordinaryIncome).toBe(usd(1500));
  });

  it('a household already carrying a large loss gains nothing now from another one', () => {
    const c = ctx(HIGH, { st: 0, lt: 0 }, { carryoverIn: { shortTerm: usd(50000), longTerm: usd(0) } });
    const v = lossValue(c, usd(1000), 'short');
    expect(v.immediateSaving).toBe(0);
    expect(v.carriedForward.shortTerm).toBe(usd(1000));
  });

  it('taxable income below zero absorbs none of the deduction: it all carries', () => {
    const c = ctx(HIGH, { st: 0, lt: 0 }, { income: { kind: 'gross', grossOrdinaryIncome: usd(5000) } });
    const v = lossValue(c, usd(3000), 'short');
    expect(v.offsets.ordinaryIncome).toBe(0);
    expect(v.carriedForward.shortTerm).toBe(usd(3000));
  });

  it('marginal value per dollar follows the bucket the next cent falls into', () => {
    expect(marginalLossValue(ctx(HIGH, { st: 1000, lt: 1000 }))).toEqual({ shortTerm: 0.45, longTerm: 0.25 });
    expect(marginalLossValue(ctx(HIGH, { st: -1000, lt: 0 }))).toEqual({ shortTerm: 0.45, longTerm: 0.45 });
    const beyond = marginalLossValue(ctx(HIGH, { st: -5000, lt: 0 }));
    expect(beyond.shortTerm).toBeCloseTo(0.45 / 1.08, 12);
    expect(beyond.longTerm).toBeCloseTo(0.25 / 1.08, 12);
  });
});

describe('properties', () => {
  const money = fc.integer({ min: -2_000_000, max: 2_000_000 });
  const household = fc.record({ st: money, lt: money, carryST: fc.integer({ min: 0, max: 1_000_000 }), carryLT: fc.integer({ min: 0, max: 1_000_000 }) });
  const make = (h: { st: number; lt: number; carryST: number; carryLT: number }): LossContext =>
    lossContext(
      table,
      {
        filingStatus: 'single',
        income: { kind: 'taxable', ordinaryTaxableIncome: usd(200000) },
        realized: { shortTerm: h.st as Usd, longTerm: h.lt as Usd },
        carryoverIn: { shortTerm: h.carryST as Usd, longTerm: h.carryLT as Usd },
      },
      HIGH,
    );

  it('every dollar of the loss is used now or carried forward', () => {
    checkProperty(
      fc.property(household, fc.integer({ min: 0, max: 3_000_000 }), fc.constantFrom('short' as const, 'long' as const), (h, loss, term) => {
        const v = lossValue(make(h), loss as Usd, term);
        const used = v.offsets.shortTermGains + v.offsets.longTermGains + v.offsets.ordinaryIncome;
        expect(used + v.carriedForward.shortTerm + v.carriedForward.longTerm).toBe(loss);
      }),
    );
  });

  it('a bigger loss is never worth less', () => {
    checkProperty(
      fc.property(household, fc.integer({ min: 0, max: 3_000_000 }), fc.integer({ min: 0, max: 100_000 }), fc.constantFrom('short' as const, 'long' as const), (h, loss, more, term) => {
        const c = make(h);
        expect(lossValue(c, (loss + more) as Usd, term).total).toBeGreaterThanOrEqual(lossValue(c, loss as Usd, term).total);
      }),
    );
  });
});

describe('the tax on a year\'s realized items (capitalItemsTax)', () => {
  const RATES: RateSet = { ordinary: rate('0.35'), shortTerm: rate('0.35'), longTerm: rate('0.20') };

  it('a 5,000 short-term loss with no gains: 3,000 deducted at the ordinary rate, 2,000 carried short-term', () => {
    const t = capitalItemsTax(ctx(RATES, { st: -5000, lt: 0 }));
    expect(t.tax).toBe(usd(-1050));
    expect(t.carryoverOut).toEqual({ shortTerm: usd(2000), longTerm: 0 });
  });

  it('net gains: the long-term part at the long-term rate, the short-term part at the ordinary rate', () => {
    expect(capitalItemsTax(ctx(RATES, { st: 1000, lt: 4000 })).tax).toBe(usd(350 + 800));
    expect(capitalItemsTax(ctx(RATES, { st: -1000, lt: 4000 })).tax).toBe(usd(600));
  });

  it('a carryover in offsets this year\'s gains first (Schedule D lines 6 and 14)', () => {
    const t = capitalItemsTax(ctx(RATES, { st: 0, lt: 10000 }, { carryoverIn: { shortTerm: usd(4000), longTerm: usd(1000) } }));
    expect(t.tax).toBe(usd(5000 * 0.2));
    expect(t.carryoverOut).toEqual({ shortTerm: 0, longTerm: 0 });
  });

  it('the value of one more loss is the drop in this tax when nothing is carried forward', () => {
    const before = capitalItemsTax(ctx(HIGH, { st: 1000, lt: 2000 })).tax;
    const after = capitalItemsTax(ctx(HIGH, { st: 1000 - 2500, lt: 2000 })).tax;
    expect(before - after).toBe(lossValue(ctx(HIGH, { st: 1000, lt: 2000 }), usd(2500), 'short').total);
  });
});
