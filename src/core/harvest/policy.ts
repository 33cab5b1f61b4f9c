/**
 * The daily policy: `decide(date, state, market)` → proposals. One pure function, used unchanged by
 * the daily run (`lotsmith harvest`) and the backtester. It sees the household's exact state and
 * the market only up to `date`, and proposes orders that never cause a wash sale.
 *
 * Order of the day: (1) harvest losses, (2) switch alternates back to primaries, (2b) the sleeves'
 * harvests, (3) withdrawals, (4) invest cash (deposits, dividends; in an account that also holds
 * a sleeve, the sleeve's share is set aside: sleevePart.ts), (4b) the sleeves place their cash,
 * (5) rebalance when drift exceeds the band. Orders are returned sells first, then buys. Model
 * and rules: docs/harvester.md; sleeves: docs/direct-indexing.md.
 *
 * Callers that run the policy over many households or days ask `screen` (screen.ts) first.
 */
import type { Day } from '../kernel/calendar.js';
import type { Usd } from '../kernel/exact.js';
import type { Universe } from '../securities/universe.js';
import { DEFAULT_CONFIG, type HarvestConfig, type MarketView } from './config.js';
import { investCash, planWithdrawals, rebalance } from './flows.js';
import { planHarvests, planSwitchBacks } from './harvest.js';
import { StoppingTables } from './stopping/opportunityCost.js';
import { DayPlan } from './plan.js';
import type { Proposals } from './proposals.js';
import type { HouseholdState } from './state.js';
import type { Sleeve } from './sleeve.js';

export interface PolicyContext {
  readonly universe: Universe;
  readonly config?: HarvestConfig;
  /** Stopping-model tables shared across calls (solved on first use). */
  readonly tables?: StoppingTables;
  /** Explain every candidate (default); a backtest that needs only the orders turns it off. */
  readonly explain?: boolean;
  /** Sleeves managed beside the ETF classes (a direct index), each in its own accounts. */
  readonly sleeves?: readonly Sleeve[];
  /**
   * Phases the caller's screen has proven would propose nothing today (`ScreenIndex`: no lot
   * could pass the trigger, no alternate is in its switch-back range), skipped: the orders are
   * the same. Only for callers without explanations — a skipped phase explains nothing.
   */
  readonly skip?: { readonly harvests?: boolean; readonly switchBacks?: boolean };
}

export const DEFAULT_TABLES = new StoppingTables();

export function decide(date: Day, state: HouseholdState, market: MarketView, context: PolicyContext): Proposals {
  return decideOn(new DayPlan(date, state, market, context.universe, context.config ?? DEFAULT_CONFIG, context.tables ?? DEFAULT_TABLES, context.explain ?? true), context);
}

/**
 * `decide` on a plan the caller made for the day with the context's universe, config and tables
 * and has not yet planned orders on: a screen that judged the day's harvests on it (`judgedPlan`)
 * hands it on, so the lots it priced are not priced again.
 */
export function decideOn(plan: DayPlan, context: PolicyContext): Proposals {
  const date = plan.date;
  const skip = plan.explain ? undefined : context.skip;
  const sleeved = new Set((context.sleeves ?? []).map((s) => s.account));
  let harvestBenefit = skip?.harvests === true ? 0 : planHarvests(plan, sleeved);
  if (skip?.switchBacks !== true) planSwitchBacks(plan);
  for (const s of context.sleeves ?? []) harvestBenefit += s.harvest(plan);
  planWithdrawals(plan);
  for (const a of plan.accounts) investCash(plan, a.id);
  for (const s of context.sleeves ?? []) s.invest(plan);
  for (const a of plan.accounts) rebalance(plan, a.id);
  return { date, orders: plan.orders(), candidates: plan.candidates, notes: plan.notes, harvestBenefit: harvestBenefit as Usd };
}
