/**
 * When the direct sleeve's cash placement can be skipped: its last placement still stands. A
 * placement is a QP over the sleeve's names (hundreds of milliseconds on 440 names), and without
 * this the sleeve re-solved it every day while cash the blocked names could not take waited.
 *
 * The last placement stands while (1) the risk model is the same, (2) the cash has not grown by
 * `minTrade` or more beyond what the placement left uninvested (a deposit, dividends adding up),
 * and (3) every name that was blocked then (a wash-sale lock, no price) is still blocked: a name
 * becoming free is the only other thing that lets the same cash buy something new. Purchases are
 * buy-only, so drift alone never calls for a new placement.
 */
import type { AccountId, Symbol } from '../ledger/household.js';
import type { DayPlan } from '../harvest/plan.js';
import type { RiskModel } from './riskModel.js';

interface Placement {
  readonly model: RiskModel;
  /** Cents left in cash after the placement's purchases. */
  readonly left: number;
  readonly blocked: readonly Symbol[];
}

export class PlacementMemo {
  private last: Placement | undefined;

  constructor(
    private readonly account: AccountId,
    private readonly minTrade: number,
  ) {}

  private blocked(plan: DayPlan, symbol: Symbol): boolean {
    return plan.price(symbol) === undefined || plan.guard.buyBlock(this.account, symbol) !== undefined;
  }

  /** True when a placement today would buy nothing the last one did not already place. */
  stands(plan: DayPlan, model: RiskModel, cash: number): boolean {
    const last = this.last;
    if (last === undefined || last.model !== model || cash - last.left >= this.minTrade) return false;
    return last.blocked.every((s) => this.blocked(plan, s));
  }

  /** Records a placement (or a failed one: retried only when something changes). */
  remember(plan: DayPlan, model: RiskModel, left: number): void {
    this.last = { model, left, blocked: model.symbols.filter((s) => this.blocked(plan, s)) };
  }
}
