/**
 * The policy's answer for one day: orders to place, and for every lot at a loss in a taxable
 * account, whether it was harvested and why (or why not), with the numbers behind it.
 */
import type { Day } from '../kernel/calendar.js';
import type { Shares, Usd } from '../kernel/exact.js';
import type { Term } from '../ledger/holdingPeriod.js';
import type { AccountId, Symbol } from '../ledger/household.js';
import type { Economics } from './economics.js';
import type { Order } from './orders.js';

export type Verdict =
  | 'harvest'
  | 'below_minimum'
  | 'below_threshold'
  | 'costs_exceed_benefit'
  | 'recent_purchase_would_wash'
  | 'bought_today'
  | 'locked_by_account'
  | 'no_alternate'
  | 'not_in_universe';

export interface Candidate {
  readonly account: AccountId;
  readonly symbol: Symbol;
  readonly lotId: string;
  readonly shares: Shares;
  readonly basis: Usd;
  readonly marketValue: Usd;
  readonly loss: Usd;
  readonly term: Term;
  readonly verdict: Verdict;
  /** The replacement bought (harvests) or the one the numbers assumed. */
  readonly replacement?: Symbol;
  readonly economics?: Economics;
  /** One sentence: the rule that fired and its numbers. */
  readonly why: string;
}

export interface Proposals {
  readonly date: Day;
  readonly orders: readonly Order[];
  readonly candidates: readonly Candidate[];
  /** Cash flows and rebalancing, in words. */
  readonly notes: readonly string[];
  /** Sum of the tax benefit of today's harvests. */
  readonly harvestBenefit: Usd;
}
