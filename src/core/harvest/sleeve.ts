/**
 * A sleeve: a part of the household the daily policy manages by its own targets and replacements,
 * beside the ETF asset classes (a direct index: src/core/direct/directSleeve.ts). The policy calls
 * `harvest` after its own harvest phases, so every sleeve sees the day's earlier trades in the
 * shared wash guard, and `invest` after withdrawals are raised, to place what cash is left.
 */
import type { AccountId } from '../ledger/household.js';
import type { DayPlan } from './plan.js';

export interface Sleeve {
  /**
   * The accounts it manages: the ETF harvest phase leaves their lots outside the ETF universe to
   * the sleeve (it could only explain that they have no alternate).
   */
  readonly accounts: readonly AccountId[];
  harvest(plan: DayPlan): number;
  invest(plan: DayPlan): void;
}
