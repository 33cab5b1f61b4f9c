/**
 * The daily policy: `decide(date, state, market)` → proposals. One pure function, used unchanged by
 * the daily run (`lotwise harvest`) and the backtester. It sees the household's exact state and
 * the market only up to `date`, and proposes orders that never cause a wash sale.
 *
 * Order of the day: (1) harvest losses, (2) switch alternates back to primaries, (3) withdrawals,
 * (4) invest cash (deposits, dividends), (5) rebalance when drift exceeds the band. Orders are
 * returned sells first, then buys. Model and rules: docs/harvester.md.
 *
 * `screen` is the cheap part of the same rule, for callers that run it over many households: a
 * household with no taxable lot at a loss, no cash to invest, no withdrawal, no alternate due to
 * switch back and no drift beyond the band gets no orders, so `decide` need not run.
 */
import type { Day } from '../calendar.js';
import type { Usd } from '../exact.js';
import type { Universe } from '../universe.js';
import { DEFAULT_CONFIG, type HarvestConfig, type MarketView } from './config.js';
import { investCash, planWithdrawals, rebalance } from './flows.js';
import { planHarvests, planSwitchBacks } from './harvest.js';
import { StoppingTables } from './opportunityCost.js';
import { DayPlan } from './plan.js';
import type { Proposals } from './proposals.js';
import type { HouseholdState } from './state.js';

export interface PolicyContext {
  readonly universe: Universe;
  readonly config?: HarvestConfig;
  /** Stopping-model tables shared across calls (solved on first use). */
  readonly tables?: StoppingTables;
}

const DEFAULT_TABLES = new StoppingTables();

export function decide(date: Day, state: HouseholdState, market: MarketView, context: PolicyContext): Proposals {
  const plan = new DayPlan(date, state, market, context.universe, context.config ?? DEFAULT_CONFIG, context.tables ?? DEFAULT_TABLES);
  const harvestBenefit = planHarvests(plan);
  planSwitchBacks(plan);
  planWithdrawals(plan);
  for (const a of plan.accounts) investCash(plan, a.id);
  for (const a of plan.accounts) rebalance(plan, a.id);
  return { date, orders: plan.orders(), candidates: plan.candidates, notes: plan.notes, harvestBenefit: harvestBenefit as Usd };
}

/** True when `decide` could propose anything for this household today (see the module comment). */
export function screen(date: Day, state: HouseholdState, market: MarketView, context: PolicyContext): boolean {
  const config = context.config ?? DEFAULT_CONFIG;
  for (const [, amount] of state.withdrawals) if (amount > 0) return true;
  for (const [account, cash] of state.cash) if (cash >= config.minCashToInvest && state.targets.has(account)) return true;
  const taxable = new Set(state.household.accounts.filter((a) => a.type === 'taxable').map((a) => a.id as string));
  for (const lot of state.lots) {
    const close = market.close(lot.symbol);
    if (close === undefined || !taxable.has(lot.account)) continue;
    const value = (lot.shares * close) / 1e4;
    if (value < lot.basis) return true;
    if (date - lot.acquired >= config.alternateMinHoldDays && value - lot.basis <= value * config.switchBackMaxGain) return true;
  }
  return drifted(state, market, context.universe, config.driftBand);
}

function drifted(state: HouseholdState, market: MarketView, universe: Universe, band: number): boolean {
  const classOf = new Map<string, string>();
  for (const c of universe.classes) for (const s of c.securities) classOf.set(s.symbol, c.id);
  for (const [account, targets] of state.targets) {
    const values = new Map<string, number>();
    let total = 0;
    for (const lot of state.lots) {
      if (lot.account !== account) continue;
      const close = market.close(lot.symbol);
      const cls = classOf.get(lot.symbol);
      if (close === undefined || cls === undefined) continue;
      const v = (lot.shares * close) / 1e6;
      values.set(cls, (values.get(cls) ?? 0) + v);
      total += v;
    }
    if (total <= 0) continue;
    for (const [cls, w] of targets) if (Math.abs((values.get(cls) ?? 0) / total - w) > band) return true;
  }
  return false;
}
