/**
 * A sleeve: a part of the household the daily policy manages by its own targets and replacements,
 * beside the ETF asset classes (a direct index: src/core/direct/directSleeve.ts). The policy calls
 * `harvest` after its own harvest phases, so every sleeve sees the day's earlier trades in the
 * shared wash guard, and `invest` after withdrawals are raised and the ETF classes have invested
 * their share of the cash, to place the sleeve's (sleevePart.ts).
 */
import type { AccountId } from '../ledger/household.js';
import type { DayPlan } from './plan.js';

export interface Sleeve {
  /**
   * The account it manages: all of it, or beside ETF classes when the account's targets weigh it
   * (sleevePart.ts). The ETF harvest phase leaves the account's lots outside the ETF universe to
   * the sleeve (it could only explain that they have no alternate).
   */
  readonly account: AccountId;
  harvest(plan: DayPlan): number;
  invest(plan: DayPlan): void;
}
