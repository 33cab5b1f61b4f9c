/**
 * What harvesting one more loss is worth to this household this year: the harvester's price of
 * a candidate lot.
 *
 * Rule: the candidate loss joins the year's realized short-term or long-term items and goes
 * through Schedule D (capitalLoss.ts) in the order the law uses it: against gains of its own
 * term, then of the other term (lines 7, 15, 16), then against ordinary income up to the $3,000
 * ($1,500 married filing separately) limit of 1211(b) as far as taxable income absorbs it, and
 * the rest carries forward with its character (1212(b), the Capital Loss Carryover Worksheet).
 * The saving is the tax difference with and without the candidate, each piece at its marginal
 * rate (marginalRates.ts):
 *
 *   immediate = Δ(gain taxed at ordinary rates) x shortTerm rate
 *             + Δ(net capital gain)             x longTerm rate
 *             + Δ(deduction absorbed)           x ordinary rate
 *   carryforward value = (Δ short-term carryover x shortTerm rate
 *                         + Δ long-term carryover x longTerm rate) x (1 + r)^-T
 *
 * Defaults: r = 8 % (the seed paper's discount rate), T = 1 year (a carryover is first usable on
 * next year's return). The carryover is valued at the rate of its character; that it might later
 * offset only the $3,000 of ordinary income, or nothing, is the caller's assumption to change.
 *
 * Cost: the context (`lossContext`) is built once per household and day; each `lossValue` call is
 * one Schedule D netting and one worksheet, a few dozen integer operations. `valueOfLoss` does
 * both for a single candidate.
 *
 * Rounding: each immediate piece is rounded to the cent; the carryforward is valued exactly
 * undiscounted and then discounted with one float multiplication, rounded once to the cent.
 *
 * Example: single, realized short-term gains 1,000 and long-term 2,000 this year, rates 25 % /
 * 25 % / 15 %; a 4,500 short-term loss offsets 1,000 at 25 %, 2,000 at 15 % and 1,500 of
 * ordinary income at 25 %: 925.00 now, nothing carried forward (the seed paper's Example).
 */
import type { Usd } from '../kernel/exact.js';
import { carryoverWorksheet, NO_CARRYOVER, scheduleD, type Carryover } from './capitalLoss.js';
import type { RateSet } from './marginalRates.js';
import { incomePosition, type TaxProfile } from './profile.js';
import { applyRate } from './rate.js';
import { tableStatus, type FederalTaxTable } from './taxTables.js';

export type LossTerm = 'short' | 'long';

export interface LossValueParams {
  readonly discountRate: number;
  readonly yearsUntilUsed: number;
}

export const DEFAULT_LOSS_VALUE_PARAMS: LossValueParams = { discountRate: 0.08, yearsUntilUsed: 1 };

interface Usage {
  readonly gainAtOrdinaryRates: number;
  readonly netCapitalGain: number;
  readonly deductionAbsorbed: number;
  readonly carryShort: number;
  readonly carryLong: number;
}

export interface LossContext {
  readonly shortTermNet: Usd;
  readonly longTermNet: Usd;
  readonly carryoverIn: Carryover;
  readonly limit: Usd;
  /** Taxable income without the year's capital items (may be negative). */
  readonly taxableBeforeCapital: Usd;
  readonly rates: RateSet;
  /** (1 + r)^-T for the carried-forward part. */
  readonly carryforwardFactor: number;
  readonly base: Usage;
}

export interface LossValue {
  readonly loss: Usd;
  readonly term: LossTerm;
  readonly offsets: { readonly shortTermGains: Usd; readonly longTermGains: Usd; readonly ordinaryIncome: Usd };
  readonly immediateSaving: Usd;
  readonly carriedForward: Carryover;
  readonly carryforwardValue: Usd;
  readonly total: Usd;
}

function usage(c: Omit<LossContext, 'base'>, shortTermNet: number, longTermNet: number): Usage {
  const d = scheduleD(shortTermNet as Usd, longTermNet as Usd, c.carryoverIn, c.limit);
  const net = d.line16Combined;
  const netCapitalGain = d.line15NetLongTerm > 0 && net > 0 ? Math.min(d.line15NetLongTerm, net) : 0;
  const taxableIncome = c.taxableBeforeCapital + (net > 0 ? net : -d.line21LossAllowed);
  const w = carryoverWorksheet(d, taxableIncome as Usd);
  return {
    gainAtOrdinaryRates: Math.max(0, net - netCapitalGain),
    netCapitalGain,
    deductionAbsorbed: w['4'],
    carryShort: w['8'],
    carryLong: w['13'],
  };
}

export function lossContext(
  table: FederalTaxTable,
  profile: TaxProfile,
  rates: RateSet,
  params: LossValueParams = DEFAULT_LOSS_VALUE_PARAMS,
): LossContext {
  const p = incomePosition(table, profile);
  const partial = {
    shortTermNet: profile.realized?.shortTerm ?? (0 as Usd),
    longTermNet: profile.realized?.longTerm ?? (0 as Usd),
    carryoverIn: profile.carryoverIn ?? NO_CARRYOVER,
    limit: table.capitalLossLimit[tableStatus(profile.filingStatus)],
    taxableBeforeCapital: (p.income.ordinarySigned + (profile.preferentialIncome ?? 0)) as Usd,
    rates,
    carryforwardFactor: Math.pow(1 + params.discountRate, -params.yearsUntilUsed),
  };
  return { ...partial, base: usage(partial, partial.shortTermNet, partial.longTermNet) };
}

function delta(ctx: LossContext, loss: number, term: LossTerm): Usage {
  const st = term === 'short' ? ctx.shortTermNet - loss : ctx.shortTermNet;
  const lt = term === 'long' ? ctx.longTermNet - loss : ctx.longTermNet;
  const u = usage(ctx, st, lt);
  const b = ctx.base;
  return {
    gainAtOrdinaryRates: b.gainAtOrdinaryRates - u.gainAtOrdinaryRates,
    netCapitalGain: b.netCapitalGain - u.netCapitalGain,
    deductionAbsorbed: u.deductionAbsorbed - b.deductionAbsorbed,
    carryShort: u.carryShort - b.carryShort,
    carryLong: u.carryLong - b.carryLong,
  };
}

/** Half away from zero, to the cent: the one place a float (the discount factor) meets money. */
const roundCents = (v: number): Usd => (Math.sign(v) * Math.round(Math.abs(v))) as Usd;

/** The saving from realizing `loss` (a positive amount) of the given term this year. */
export function lossValue(ctx: LossContext, loss: Usd, term: LossTerm): LossValue {
  const d = delta(ctx, Math.max(0, loss), term);
  const r = ctx.rates;
  const offsets = { shortTermGains: d.gainAtOrdinaryRates as Usd, longTermGains: d.netCapitalGain as Usd, ordinaryIncome: d.deductionAbsorbed as Usd };
  const immediateSaving = (applyRate(offsets.shortTermGains, r.shortTerm) + applyRate(offsets.longTermGains, r.longTerm) + applyRate(offsets.ordinaryIncome, r.ordinary)) as Usd;
  const carriedForward = { shortTerm: d.carryShort as Usd, longTerm: d.carryLong as Usd };
  const undiscounted = applyRate(carriedForward.shortTerm, r.shortTerm) + applyRate(carriedForward.longTerm, r.longTerm);
  const carryforwardValue = roundCents(undiscounted * ctx.carryforwardFactor);
  return { loss, term, offsets, immediateSaving, carriedForward, carryforwardValue, total: (immediateSaving + carryforwardValue) as Usd };
}

/** One-shot form for a single candidate: builds the context and values the loss. */
export function valueOfLoss(
  table: FederalTaxTable,
  profile: TaxProfile,
  rates: RateSet,
  loss: Usd,
  term: LossTerm,
  params: LossValueParams = DEFAULT_LOSS_VALUE_PARAMS,
): LossValue {
  return lossValue(lossContext(table, profile, rates, params), loss, term);
}

/**
 * Value per dollar of the next cent of loss of each term (0.37 = 37 cents per dollar): the
 * rate-weighted bucket the next cent falls into. For ranking candidates; not money.
 */
export function marginalLossValue(ctx: LossContext): { readonly shortTerm: number; readonly longTerm: number } {
  const perDollar = (term: LossTerm): number => {
    const d = delta(ctx, 1, term);
    const r = ctx.rates;
    const now = d.gainAtOrdinaryRates * r.shortTerm + d.netCapitalGain * r.longTerm + d.deductionAbsorbed * r.ordinary;
    const later = (d.carryShort * r.shortTerm + d.carryLong * r.longTerm) * ctx.carryforwardFactor;
    return (now + later) / 1_000_000;
  };
  return { shortTerm: perDollar('short'), longTerm: perDollar('long') };
}

/** The year's tax on the context's realized items, and the carryover they leave. */
export interface CapitalItemsTax {
  /** Tax at the marginal rates: gains taxed at ordinary rates, net capital gain at the long-term
   * rate, less the ordinary income the deduction absorbs. Negative when the items save tax. */
  readonly tax: Usd;
  readonly carryoverOut: Carryover;
}

/**
 * Tax attributable to the context's realized items (and carryover in) at its marginal rates, as
 * a backtest settles each simulated year: the same Schedule D usage the loss value rests on.
 *
 * Example: single, rates 35 % / 35 % / 20 %, realized short-term -5,000, no other gains: 3,000 of
 * ordinary income absorbed (tax -1,050.00), 2,000 carried forward short-term.
 */
export function capitalItemsTax(ctx: LossContext): CapitalItemsTax {
  const b = ctx.base;
  const r = ctx.rates;
  const tax = applyRate(b.gainAtOrdinaryRates as Usd, r.shortTerm) + applyRate(b.netCapitalGain as Usd, r.longTerm) - applyRate(b.deductionAbsorbed as Usd, r.ordinary);
  return { tax: tax as Usd, carryoverOut: { shortTerm: b.carryShort as Usd, longTerm: b.carryLong as Usd } };
}
