/**
 * The cost-benefit test of harvesting one lot (seed paper, "Wealthfront's Tax-Loss Harvesting
 * service"):
 *
 *   benefit     = what the loss saves this household (tax model: netted against this year's
 *                 gains, then $3,000 of ordinary income, the rest carried forward, discounted)
 *   trading     = (half spread of the sale + half spread of the purchase) × market value
 *                 + two commissions
 *   opportunity = value of waiting for a deeper loss beyond a fresh lot's (opportunityCost.ts)
 *   harvest when benefit - trading - opportunity > 0 and the loss is at least the minimum.
 *
 * Example: a $1,000 short-term loss on $19,000 of VTI for a household at 35 % saves $350; spreads of
 * 0.5 bp + 0.5 bp cost $1.90; if waiting is worth $300 more than a fresh lot, net $48.10: harvest.
 */
import type { Day } from '../kernel/calendar.js';
import { usdOf, type Price, type Usd } from '../kernel/exact.js';
import { termOf, type Term } from '../ledger/holdingPeriod.js';
import type { Lot } from '../ledger/lots.js';
import type { LossValue } from '../tax/lossValue.js';
import { netBenefit } from './rule.js';
import { canHarvest, opportunityCostRate, waitValue, freshAfter, type LockState, type StoppingTable } from './stopping/opportunityCost.js';

/** Prices a candidate loss for the household: exact when the context is rebuilt per harvest. */
export interface LossPricer {
  value(loss: Usd, term: Term): LossValue;
  /** Value per dollar of the next dollar of loss, by term (for normalizing the stopping model). */
  readonly marginal: { readonly shortTerm: number; readonly longTerm: number };
}

export interface Economics {
  readonly term: Term;
  readonly marketValue: Usd;
  readonly loss: Usd;
  /** ln(market value / basis): the lot's position on the stopping lattice. */
  readonly x: number;
  readonly benefit: LossValue;
  readonly spreadCost: Usd;
  readonly commission: Usd;
  readonly opportunityCost: Usd;
  /** Waiting value of this lot and the fresh replacement's value, in dollars, for explanations. */
  readonly waitValue: Usd;
  readonly freshValue: Usd;
  readonly net: Usd;
}

export interface CostInputs {
  readonly sellHalfSpreadBps: number;
  readonly buyHalfSpreadBps: number;
  readonly commission: Usd;
}

const cents = (dollars: number): Usd => Math.round(dollars * 100) as Usd;

/** Spread cost of the round trip in dollars (float, scoring). */
export function spreadDollars(sellHalfSpreadBps: number, buyHalfSpreadBps: number, marketValueDollars: number): number {
  return ((sellHalfSpreadBps + buyHalfSpreadBps) / 10_000) * marketValueDollars;
}

/**
 * The opportunity cost in dollars of harvesting a position of `marketValueDollars` at
 * x = ln(value / basis) in lock state `lock`, with fresh short-term losses worth `shortTermValue`
 * per dollar. Zero when no alternate is free (no harvest is possible then).
 */
export function opportunityDollars(table: StoppingTable, lock: LockState, x: number, shortTermValue: number, marketValueDollars: number): number {
  return canHarvest(table.params, lock) ? opportunityCostRate(table, lock, x) * shortTermValue * marketValueDollars : 0;
}

/** Normalized round-trip trading cost κ for the stopping model (per $ of market value / ST rate). */
export function kappa(costs: CostInputs, shortTermValue: number): number {
  if (!(shortTermValue > 0)) return Infinity;
  return (costs.sellHalfSpreadBps + costs.buyHalfSpreadBps) / 10_000 / shortTermValue;
}

/**
 * ρ: what a dollar of this lot's loss is worth (its benefit / loss today: long-term rates, the part
 * carried forward and discounted) relative to a dollar of a fresh short-term loss. The stopping
 * model values this lot's harvests, now or later, at ρ, so its waiting value and today's benefit
 * are priced alike.
 */
export function rho(pricer: LossPricer, benefit: LossValue): number {
  const st = pricer.marginal.shortTerm;
  if (!(st > 0) || benefit.loss <= 0) return 1;
  return benefit.total / benefit.loss / st;
}

export function lotEconomics(
  lot: Lot,
  price: Price,
  date: Day,
  pricer: LossPricer,
  costs: CostInputs,
  tableFor: (rho: number) => StoppingTable,
  lock: LockState,
): Economics {
  const term = termOf(lot.heldFrom, date);
  const marketValue = usdOf(lot.shares, price);
  const loss = Math.max(0, lot.basis - marketValue) as Usd;
  const x = lot.basis > 0 && marketValue > 0 ? Math.log(marketValue / lot.basis) : 0;
  const benefit = pricer.value(loss, term);
  const table = tableFor(rho(pricer, benefit));
  const mv = marketValue / 100;
  const spreadCost = cents(spreadDollars(costs.sellHalfSpreadBps, costs.buyHalfSpreadBps, mv));
  const commission = (2 * costs.commission) as Usd;
  const st = pricer.marginal.shortTerm;
  const opportunityCost = cents(opportunityDollars(table, lock, x, st, mv));
  return {
    term,
    marketValue,
    loss,
    x,
    benefit,
    spreadCost,
    commission,
    opportunityCost,
    waitValue: cents(waitValue(table, lock, x) * st * mv),
    freshValue: cents(freshAfter(table, lock) * st * mv),
    net: netBenefit(benefit.total, spreadCost, commission, opportunityCost) as Usd,
  };
}
