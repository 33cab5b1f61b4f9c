/**
 * The seed paper's walk-throughs of harvesting as tax deferral and rate arbitrage (Scenario 1,
 * one-year horizon; Scenario 2, five years), as a small simulation of one portfolio.
 *
 * Rules of the walk-through (the paper's, with IRC 1222 terms at year granularity):
 *  - The portfolio is a list of positions (basis, value, year acquired). A market move takes the
 *    whole portfolio to a stated value; every position moves in proportion (exact cents, the
 *    total kept exactly).
 *  - A harvest sells every position worth less than its basis, realizing the loss, and buys a
 *    replacement for the same amount (not substantially identical): the position's basis
 *    becomes its value and its holding period restarts.
 *  - At each year end the year's realized items are netted (Schedule D). A net loss saves
 *    loss x the current combined rate (the paper assumes income and other gains absorb it); a net
 *    gain is taxed at the short-term rate on its ordinary part and the long-term rate on its net
 *    capital gain. A saving is reinvested as a new position when the walk-through says so.
 *  - Liquidation sells everything; a position is long-term when sold in a later year than it was
 *    acquired (the paper's granularity).
 * The same moves applied to the initial investment without harvesting give the comparison path.
 *
 * Example (Scenario 2): 100,000 falls to 90,000 (harvest 10,000, saving 4,000 at 40 %), rises to
 * 104,000 with the reinvested saving; 106,000; 93,600 (harvest 400 on the 4,000 position,
 * saving 160); flat; 104,160 and sold: basis 93,760, long-term gain 10,400, tax 2,600 at 25 %.
 */
import { allocate, mulDivRound, type Usd } from '../kernel/exact.js';
import { capitalLossYear, NO_CARRYOVER } from './capitalLoss.js';
import { applyRate, type Rate } from './rate.js';

export type WalkStep =
  | { readonly kind: 'move'; readonly to: Usd }
  | { readonly kind: 'harvest' }
  | { readonly kind: 'liquidate' };

export interface WalkthroughInput {
  readonly initialInvestment: Usd;
  /** Rate at which a year's net loss saves tax (the paper's "combined federal and state rate"). */
  readonly lossRate: Rate;
  readonly shortTermRate: Rate;
  readonly longTermRate: Rate;
  readonly reinvestSavings: boolean;
  /** The steps of each year; the year end follows the last step. */
  readonly years: readonly (readonly WalkStep[])[];
}

export interface Position {
  readonly id: string;
  readonly basis: Usd;
  readonly value: Usd;
  readonly acquiredYear: number;
}

export interface HarvestedPosition extends Position {
  readonly loss: Usd;
}

export interface WalkYear {
  readonly year: number;
  readonly harvested: readonly HarvestedPosition[];
  readonly harvestedLoss: Usd;
  readonly realizedShortTerm: Usd;
  readonly realizedLongTerm: Usd;
  readonly taxSaving: Usd;
  readonly taxPaid: Usd;
  readonly valueBeforeReinvest: Usd;
  readonly endValue: Usd;
  readonly basis: Usd;
  /** Positions at the year end, after any reinvestment. */
  readonly positions: readonly Position[];
  readonly noHarvestValue: Usd;
}

export interface Walkthrough {
  readonly years: readonly WalkYear[];
  readonly totalBasisAtLiquidation: Usd;
  readonly shortTermGainAtLiquidation: Usd;
  readonly longTermGainAtLiquidation: Usd;
  readonly liquidationTax: Usd;
  readonly afterTaxValue: Usd;
  /** Savings minus taxes paid, undiscounted. */
  readonly netTaxCashFlow: Usd;
  readonly noHarvestEndValue: Usd;
}

const sum = (xs: readonly number[]): Usd => xs.reduce((a, b) => a + b, 0) as Usd;
const valueOf = (ps: readonly Position[]): Usd => sum(ps.map((p) => p.value));

function move(positions: readonly Position[], to: Usd): Position[] {
  const values = allocate(to, positions.map((p) => p.value));
  return positions.map((p, i) => ({ ...p, value: values[i] as Usd }));
}

/** Tax on a year's net realized items: negative is a saving. */
function yearTax(input: WalkthroughInput, shortTerm: Usd, longTerm: Usd): Usd {
  const y = capitalLossYear({ shortTermNet: shortTerm, longTermNet: longTerm, carryoverIn: NO_CARRYOVER, taxableIncome: 0 as Usd, limit: 0 as Usd });
  const net = y.scheduleD.line16Combined;
  if (net < 0) return -applyRate(-net as Usd, input.lossRate) as Usd;
  return (applyRate(y.netGainAtOrdinaryRates, input.shortTermRate) + applyRate(y.netCapitalGainAtPreferentialRates, input.longTermRate)) as Usd;
}

export function deferralWalkthrough(input: WalkthroughInput): Walkthrough {
  let positions: Position[] = [{ id: 'initial', basis: input.initialInvestment, value: input.initialInvestment, acquiredYear: 1 }];
  let noHarvest = input.initialInvestment;
  const years: WalkYear[] = [];
  let liquidation = { basis: 0 as Usd, shortTerm: 0 as Usd, longTerm: 0 as Usd, tax: 0 as Usd };
  let netTaxCashFlow = 0;
  input.years.forEach((steps, i) => {
    const year = i + 1;
    const harvested: HarvestedPosition[] = [];
    let liquidated = false;
    let shortTerm = 0;
    let longTerm = 0;
    const realize = (p: Position, gain: number): void => {
      if (year > p.acquiredYear) longTerm += gain;
      else shortTerm += gain;
    };
    for (const step of steps) {
      if (step.kind === 'move') {
        const before = valueOf(positions);
        noHarvest = (before === 0 ? step.to : mulDivRound(noHarvest, step.to, before)) as Usd;
        positions = move(positions, step.to);
      } else if (step.kind === 'harvest') {
        positions = positions.map((p) => {
          if (p.value >= p.basis) return p;
          harvested.push({ ...p, loss: (p.basis - p.value) as Usd });
          realize(p, p.value - p.basis);
          return { ...p, basis: p.value, acquiredYear: year };
        });
      } else {
        const basis = sum(positions.map((p) => p.basis));
        for (const p of positions) realize(p, p.value - p.basis);
        const st = sum(positions.filter((p) => year <= p.acquiredYear).map((p) => p.value - p.basis));
        liquidation = { basis, shortTerm: st, longTerm: (valueOf(positions) - basis - st) as Usd, tax: 0 as Usd };
        liquidated = true;
      }
    }
    const tax = yearTax(input, shortTerm as Usd, longTerm as Usd);
    netTaxCashFlow -= tax;
    const valueBeforeReinvest = valueOf(positions);
    if (tax < 0 && input.reinvestSavings) positions = [...positions, { id: `saving-${year}`, basis: -tax as Usd, value: -tax as Usd, acquiredYear: year }];
    if (liquidated) liquidation = { ...liquidation, tax: Math.max(0, tax) as Usd };
    years.push({
      year,
      harvested,
      harvestedLoss: sum(harvested.map((h) => h.loss)),
      realizedShortTerm: shortTerm as Usd,
      realizedLongTerm: longTerm as Usd,
      taxSaving: Math.max(0, -tax) as Usd,
      taxPaid: Math.max(0, tax) as Usd,
      valueBeforeReinvest,
      endValue: valueOf(positions),
      basis: sum(positions.map((p) => p.basis)),
      positions,
      noHarvestValue: noHarvest,
    });
  });
  const endValue = valueOf(positions);
  return {
    years,
    totalBasisAtLiquidation: liquidation.basis,
    shortTermGainAtLiquidation: liquidation.shortTerm,
    longTermGainAtLiquidation: liquidation.longTerm,
    liquidationTax: liquidation.tax,
    afterTaxValue: (endValue - liquidation.tax) as Usd,
    netTaxCashFlow: netTaxCashFlow as Usd,
    noHarvestEndValue: noHarvest,
  };
}
