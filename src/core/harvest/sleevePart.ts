/**
 * An account that holds a sleeve (a direct index) beside ETF classes: which of its holdings and
 * how much of its cash belong to the sleeve. The account's targets give the sleeve its weight
 * under the reserved key `direct_index`, beside the ETF classes' weights (together they sum to 1):
 *
 *   { "direct_index": 0.7, "us_bonds": 0.3 }
 *
 * The ETF part is every fund of a class in the account's targets; the sleeve is everything else
 * the account holds (its stocks, and legacy holdings it may sell: funds of classes the targets do
 * not name). An account with a sleeve and no targets is the sleeve's as a whole.
 *
 * Cash is one balance per account, so the sleeve's cash is a claim on it (`DayPlan.sleeveCash`):
 * the proceeds of the sleeve's own harvests and transition sales (they pay for its replacements),
 * and its share of the account's other cash, which `investCash` splits between the ETF classes
 * and the sleeve by their deficits against the targets. The flows see the sleeve as one class
 * whose value is its holdings, its purchases planned today and its claim.
 */
import { usdOf, type Shares } from '../kernel/exact.js';
import type { AccountId, Symbol } from '../ledger/household.js';
import type { DayPlan } from './plan.js';

/** The sleeve's key in an account's targets. */
export const SLEEVE_TARGET = 'direct_index';

/** Whether the account holds ETF classes beside its sleeve (it has targets). */
export function mixedAccount(plan: DayPlan, account: AccountId): boolean {
  return plan.state.targets.has(account);
}

/** Whether a holding of `symbol` in the account is its sleeve's: no fund of the account's ETF classes. */
export function inSleeve(plan: DayPlan, account: AccountId, symbol: Symbol): boolean {
  const targets = plan.state.targets.get(account);
  if (targets === undefined) return true;
  const cls = plan.classOf(symbol);
  return cls === undefined || !targets.has(cls.id);
}

/** The cash the account's sleeve may place today, cents: all of it in an account without ETF classes. */
export function sleeveCash(plan: DayPlan, account: AccountId): number {
  return mixedAccount(plan, account) ? plan.sleeveCash(account) : plan.cash(account);
}

/**
 * Dollars (float, for weights) of the sleeve in a mixed account after the orders planned so far:
 * its priced holdings, its planned purchases and its cash claim.
 */
export function sleeveValue(plan: DayPlan, account: AccountId): number {
  let value = plan.sleeveCash(account) / 100;
  for (const [symbol, shares] of plan.heldShares(account)) {
    const price = plan.price(symbol);
    if (price !== undefined && inSleeve(plan, account, symbol)) value += usdOf(shares as Shares, price) / 100;
  }
  for (const b of plan.buys) if (b.account === account && inSleeve(plan, account, b.symbol)) value += b.amount / 100;
  return value;
}
