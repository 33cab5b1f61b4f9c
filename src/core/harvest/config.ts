/**
 * The harvester's settings, with the defaults documented in docs/harvester.md, and the one view of
 * market data the policy may use: closes on or before the decision date (no look-ahead).
 */
import type { Day } from '../kernel/calendar.js';
import { usd, type Usd } from '../kernel/exact.js';
import type { Symbol } from '../ledger/household.js';
import { DEFAULT_LOSS_VALUE_PARAMS, type LossValueParams } from '../tax/lossValue.js';

/**
 * When a loss is harvested: the cost-benefit test (the default); a fixed threshold — any loss of
 * at least a fraction of the lot's basis whose tax benefit beats the spread and commissions, as
 * fixed-threshold services and year-end reviews do (no opportunity cost); or not at all today.
 */
export type HarvestTrigger =
  | { readonly kind: 'cost_benefit' }
  | { readonly kind: 'loss_at_least'; readonly fraction: number }
  | { readonly kind: 'off' };

export interface HarvestConfig {
  readonly trigger: HarvestTrigger;
  /** Smallest loss worth harvesting, in dollars (on top of the cost-benefit test). */
  readonly minLoss: Usd;
  /**
   * Net benefit required on top of zero, in basis points of the lot's market value. The default
   * is 0: the opportunity cost compares harvesting today with keeping the option for tomorrow,
   * and inside the region where harvesting is optimal the two differ by about one day's time
   * value, less than a basis point — any positive margin would stop the rule from ever harvesting.
   */
  readonly minNetBenefitBps: number;
  /** Commission per trade (the paper's clients pay none). */
  readonly commission: Usd;
  /** An alternate is switched back to the primary once held this many days and its gain is at
   * most `switchBackMaxGain` of its market value. */
  readonly alternateMinHoldDays: number;
  readonly switchBackMaxGain: number;
  /** The paper's rule: the first taxable account to trade a security blocks the household's other
   * accounts from trading it for 30 days. */
  readonly lockAcrossAccounts: boolean;
  /** Rebalance when an asset class's weight is off target by more than this (absolute). */
  readonly driftBand: number;
  /** Largest short-term gain a rebalancing sale may realize, as a fraction of the lot's value. */
  readonly rebalanceMaxShortTermGain: number;
  /** Cash below this stays uninvested. */
  readonly minCashToInvest: Usd;
  /**
   * Trading days between the close an order is sized at and its fill: 0 when orders fill at that
   * close (the backtester), a few days when an adviser approves them first (the daily run). A
   * sale within a three-sigma move of its basis over that time may fill at a loss, so the wash
   * guard treats it as a loss sale.
   */
  readonly fillDelayDays: number;
  /** Half spreads in basis points overriding the universe's, per symbol. */
  readonly halfSpreadBps: ReadonlyMap<Symbol, number>;
  /** How a loss carried to later years is discounted (tax model). */
  readonly lossValue: LossValueParams;
}

export const DEFAULT_CONFIG: HarvestConfig = {
  trigger: { kind: 'cost_benefit' },
  minLoss: usd('25'),
  minNetBenefitBps: 0,
  commission: usd('0'),
  alternateMinHoldDays: 31,
  switchBackMaxGain: 0.0025,
  lockAcrossAccounts: true,
  driftBand: 0.05,
  rebalanceMaxShortTermGain: 0.01,
  minCashToInvest: usd('10'),
  fillDelayDays: 0,
  halfSpreadBps: new Map(),
  lossValue: DEFAULT_LOSS_VALUE_PARAMS,
};

/**
 * What the policy sees of the market on its decision date: each security's close on or before
 * that date (undefined when it has none yet or its series stopped). The backtester's `serve(t)`
 * builds one per day from the past only.
 */
export interface MarketView {
  readonly date: Day;
  close(symbol: Symbol): number | undefined;
}

/** The fall in price, as a fraction, a sale of a class with volatility `sigma` may suffer before it fills. */
export function fillMargin(config: HarvestConfig, sigma: number): number {
  return config.fillDelayDays > 0 ? 3 * sigma * Math.sqrt(config.fillDelayDays / 252) : 0;
}
