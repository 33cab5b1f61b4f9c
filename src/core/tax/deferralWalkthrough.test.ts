import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toNumber, usd } from '../kernel/exact.js';
import { deferralWalkthrough, type WalkStep } from './deferralWalkthrough.js';
import { rate } from './rate.js';

const seed = (id: string): Record<string, Record<string, number>> =>
  (JSON.parse(readFileSync(new URL('../../../test/fixtures/examples/seed_paper.json', import.meta.url), 'utf8')) as Array<Record<string, unknown>>).find((c) => c['id'] === id) as Record<string, Record<string, number>>;
const dollars = (v: number): number => toNumber('usd', v);
const to = (v: number): WalkStep => ({ kind: 'move', to: usd(v) });
const harvest: WalkStep = { kind: 'harvest' };
const liquidate: WalkStep = { kind: 'liquidate' };

describe('the seed paper walk-throughs', () => {
  it('SEED-S1: a one-year horizon: the short-term loss is balanced by the short-term gain, no value', () => {
    const e = seed('SEED-S1')['expected'] as Record<string, number>;
    const w = deferralWalkthrough({
      initialInvestment: usd(100000),
      lossRate: rate('0.40'),
      shortTermRate: rate('0.40'),
      longTermRate: rate('0.25'),
      reinvestSavings: true,
      years: [[to(90000), harvest, to(100000), liquidate]],
    });
    const [y1] = w.years;
    const [a] = y1?.harvested ?? [];
    expect(e['initialInvestment']).toBe(100000);
    expect(dollars(a?.value ?? 0)).toBe(e['valueAfterDecline']);
    expect(-dollars(a?.loss ?? 0)).toBe(e['shortTermLossA']);
    expect(dollars(y1?.positions[0]?.basis ?? 0)).toBe(e['costETFB']);
    expect(dollars(y1?.valueBeforeReinvest ?? 0)).toBe(e['yearEndValueB']);
    expect(dollars(w.shortTermGainAtLiquidation)).toBe(e['shortTermGainB']);
    expect(dollars(y1?.realizedShortTerm ?? 1)).toBe(e['netShortTerm']);
    expect(dollars(w.netTaxCashFlow)).toBe(e['harvestValue']);
  });

  it('SEED-S2: a five-year horizon: save at 40 % now, pay 25 % on liquidation', () => {
    const s2 = seed('SEED-S2');
    const e = s2['expected'] as Record<string, number>;
    const derived = s2['derivedNotStatedInPaper'] as Record<string, number>;
    const w = deferralWalkthrough({
      initialInvestment: usd(100000),
      lossRate: rate('0.40'),
      shortTermRate: rate('0.40'),
      longTermRate: rate('0.25'),
      reinvestSavings: true,
      years: [[to(90000), harvest, to(100000)], [to(106000)], [to(93600), harvest], [], [to(104160), liquidate]],
    });
    const [y1, y2, y3, y4, y5] = w.years;
    expect(dollars(y1?.harvestedLoss ?? 0)).toBe(e['year1HarvestedLoss']);
    expect(dollars(y1?.taxSaving ?? 0)).toBe(e['year1TaxSavings']);
    expect(dollars(y1?.endValue ?? 0)).toBe(e['endYear1Value']);
    expect(dollars(y2?.endValue ?? 0)).toBe(e['endYear2Value']);
    expect(dollars(y3?.valueBeforeReinvest ?? 0)).toBe(e['endYear3ValueBeforeReinvest']);
    const position = (id: string) => y3?.positions.find((p) => p.id === id);
    expect(dollars(position('saving-1')?.value ?? 0)).toBe(e['year3ReinvestedTrancheValue']);
    expect(dollars(position('initial')?.value ?? 0)).toBe(e['year3EtfBValue']);
    expect(dollars(y3?.harvestedLoss ?? 0)).toBe(e['year3HarvestedLoss']);
    expect(y3?.harvested.map((h) => h.id)).toEqual(['saving-1']);
    expect(dollars(y3?.taxSaving ?? 0)).toBe(e['year3TaxSavings']);
    expect(dollars(y3?.endValue ?? 0)).toBe(e['endYear3ValueAfterReinvest']);
    expect(dollars(y4?.endValue ?? 0)).toBe(e['endYear4Value']);
    expect(dollars(y5?.endValue ?? 0)).toBe(e['endYear5Value']);
    expect(dollars(w.totalBasisAtLiquidation)).toBe(e['totalBasisAtLiquidation']);
    expect(dollars(w.longTermGainAtLiquidation)).toBe(e['longTermGainAtLiquidation']);
    expect(w.shortTermGainAtLiquidation).toBe(0);
    expect(dollars(w.liquidationTax)).toBe(e['liquidationTax']);
    expect(dollars(w.netTaxCashFlow)).toBe(derived['undiscountedNetTaxCashFlow']);
    expect(dollars(w.afterTaxValue)).toBe(derived['afterTaxLiquidationValueWithTLH']);
    expect(dollars(w.noHarvestEndValue)).toBe(derived['noTLHPortfolioEndYear5SameReturns']);
  });
});
