/**
 * Phases 3-5 of a day: withdrawals, investing cash (deposits, dividends, proceeds), rebalancing.
 *
 *  - Withdrawals raise cash tax-efficiently: losses first (largest first, only where the sale
 *    cannot be washed by a recent purchase), then long-term lots with the least gain per dollar,
 *    short-term gains last. Cash on hand is used before anything is sold. The cross-account
 *    lock-out does not stop a withdrawal; the wash-sale checks do.
 *  - Cash goes to the asset classes furthest below target, each into the first security of the
 *    class (primary, then alternates) whose purchase washes no loss realized in the household in
 *    the last 30 days — in any account, IRAs included — and that no other account has locked.
 *  - When a class is still off target by more than the drift band after the cash is invested,
 *    overweight classes are sold down (losses first, then long-term gains smallest first, then
 *    short-term gains no larger than a small fraction of value) and the proceeds invested.
 *  - Targets are the day's (allocation.ts): renormalized over the classes that can trade, a
 *    class being phased in filled by cash only.
 *  - An account whose targets weigh a sleeve (`direct_index`, sleevePart.ts) treats the sleeve as
 *    one more class: its share of the cash is set aside for the sleeve's own placement, which runs
 *    after this phase; rebalancing sells an overweight sleeve's unplaced cash first, then its lots
 *    in the same tax order; the proceeds of ETF sales for an underweight sleeve are set aside
 *    after the sleeve has placed today's cash, so they wait for its next placement.
 */
import { ascending } from '../kernel/ascending.js';
import { format, usdOf, type Shares, type Usd } from '../kernel/exact.js';
import { termOf } from '../ledger/holdingPeriod.js';
import type { AccountId, Symbol } from '../ledger/household.js';
import type { Lot } from '../ledger/lots.js';
import { dayTargets, driftBeyondBand } from './allocation.js';
import { buyBlockText } from './harvest.js';
import { sharesFor, type Rule } from './orders.js';
import type { DayPlan } from './plan.js';
import { inSleeve, SLEEVE_TARGET, sleeveValue } from './sleevePart.js';

const money = (v: number): string => `$${format('usd', v)}`;

/** Dollars (float, for weights) per asset class in the account after the orders planned so far. */
function classValues(plan: DayPlan, account: AccountId): Map<string, number> {
  const out = new Map<string, number>();
  for (const [symbol, shares] of plan.heldShares(account)) {
    const cls = plan.classOf(symbol);
    const price = plan.price(symbol);
    if (cls === undefined || price === undefined) continue;
    out.set(cls.id, (out.get(cls.id) ?? 0) + usdOf(shares as Shares, price) / 100);
  }
  for (const b of plan.buys) {
    if (b.account !== account) continue;
    const cls = plan.classOf(b.symbol);
    if (cls !== undefined) out.set(cls.id, (out.get(cls.id) ?? 0) + b.amount / 100);
  }
  if (plan.state.targets.get(account)?.has(SLEEVE_TARGET) === true) out.set(SLEEVE_TARGET, sleeveValue(plan, account));
  return out;
}

/** Cents of the account's cash not set aside for its sleeve. */
const freeCash = (plan: DayPlan, account: AccountId): number => plan.cash(account) - plan.sleeveCash(account);

/** Sale order for raising cash: 0 losses, 1 long-term gains, 2 short-term gains; then gain per dollar. */
function saleRank(plan: DayPlan, lot: Lot): [number, number] {
  const price = plan.price(lot.symbol);
  if (price === undefined) return [9, 0];
  const value = usdOf(lot.shares, price);
  const gainPerDollar = value > 0 ? (value - lot.basis) / value : 0;
  if (!plan.taxable(lot.account)) return [1, -value];
  if (gainPerDollar < 0) return [0, gainPerDollar];
  return [termOf(lot.heldFrom, plan.date) === 'long' ? 1 : 2, gainPerDollar];
}

/** Sells lots of the account in tax order until `need` dollars are raised; returns what was raised. */
function raise(plan: DayPlan, account: AccountId, need: number, lots: readonly Lot[], maxShortGain: number | undefined, rule: Rule): number {
  const ranked = lots.filter((l) => l.account === account && plan.available(l) > 0 && plan.price(l.symbol) !== undefined).map((l) => ({ l, r: saleRank(plan, l) }));
  let raised = 0;
  // Most days need a few lots of hundreds: they are taken in order without sorting the rest.
  for (const { l, r } of ascending(ranked, (a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || (a.l.id < b.l.id ? -1 : 1))) {
    if (raised >= need) break;
    if (maxShortGain !== undefined && r[0] === 2 && r[1] > maxShortGain) continue;
    const price = plan.price(l.symbol) as NonNullable<ReturnType<DayPlan['price']>>;
    const left = plan.available(l);
    const wanted = Math.ceil(((need - raised) * 1e12) / price);
    const shares = Math.min(left, Math.max(1, wanted));
    if (plan.guard.sellBlock(account, l.symbol, [l], plan.couldLose(l, shares), rule !== 'withdrawal') !== undefined) continue;
    raised += plan.sell(account, l.symbol, [{ lot: l, shares }], rule);
  }
  return raised;
}

export function planWithdrawals(plan: DayPlan): void {
  for (const [account, amount] of plan.state.withdrawals) {
    if (amount <= 0) continue;
    const need = amount - plan.cash(account);
    if (need > 0) {
      const raised = raise(plan, account, need, plan.state.lots, undefined, 'withdrawal');
      if (raised < need) plan.notes.push(`withdrawal from ${account}: only ${money(raised + Math.max(0, plan.cash(account) - raised))} could be raised without a wash sale or a lock-out`);
    }
    const paid = Math.min(amount, Math.max(0, plan.cash(account))) as Usd;
    plan.withdraw(account, paid);
    plan.notes.push(`withdrawal of ${money(paid)} from ${account}`);
  }
}

/**
 * Invests the account's cash into the classes furthest below target. A class none of whose funds
 * may be bought today (no price, or every one would wash a recent loss or is locked) gets nothing
 * and its share goes to the classes that can be bought, so cash is never parked for a month; a
 * slice below the minimum joins the largest one.
 */
export function investCash(plan: DayPlan, account: AccountId): void {
  const cash = freeCash(plan, account);
  const all = plan.state.targets.get(account);
  if (all === undefined || cash < plan.config.minCashToInvest) return;
  const targets = dayTargets(all, (id) => pricedClass(plan, id), plan.state.phaseIn?.get(account), 'invest');
  const values = classValues(plan, account);
  let total = cash / 100;
  for (const id of targets.keys()) total += values.get(id) ?? 0;
  // The sleeve's entry has no fund: its share is set aside for its own placement.
  const buyable: { clsId: string; weight: number; symbol: Symbol | undefined; deficit: number }[] = [];
  for (const [clsId, weight] of targets) {
    if (clsId === SLEEVE_TARGET) {
      buyable.push({ clsId, weight, symbol: undefined, deficit: Math.max(0, total * weight - (values.get(clsId) ?? 0)) });
      continue;
    }
    const cls = plan.universe.classes.find((c) => c.id === clsId);
    const security = cls?.securities.find((x) => plan.price(x.symbol) !== undefined && plan.guard.buyBlock(account, x.symbol) === undefined);
    if (security !== undefined) {
      buyable.push({ clsId, weight, symbol: security.symbol, deficit: Math.max(0, total * weight - (values.get(clsId) ?? 0)) });
    } else if (weight > 0) {
      const why = cls?.securities.map((x) => `${x.symbol}: ${plan.price(x.symbol) === undefined ? 'no price' : buyBlockText(plan.guard.buyBlock(account, x.symbol))}`).join('; ') ?? 'unknown class';
      plan.notes.push(`nothing of ${clsId} can be bought in ${account} today (${why}): its share of the cash goes to the other classes`);
    }
  }
  for (const [clsId, weight] of all) {
    if (weight > 0 && !targets.has(clsId)) plan.notes.push(`no fund of ${clsId} has a price today: the other classes' targets are scaled up to fill its weight`);
  }
  const amounts = cashShares(cash / 100, buyable);
  const min = plan.config.minCashToInvest;
  let largest = -1;
  amounts.forEach((a, i) => {
    if (largest < 0 || a > (amounts[largest] as number)) largest = i;
  });
  amounts.forEach((a, i) => {
    if (a < min && i !== largest && largest >= 0) {
      amounts[largest] = (amounts[largest] as number) + a;
      amounts[i] = 0;
    }
  });
  buyable.forEach((b, i) => {
    const amount = Math.min(amounts[i] as number, freeCash(plan, account)) as Usd;
    if (amount < min) return;
    if (b.symbol === undefined) plan.claimForSleeve(account, amount);
    else plan.buy(account, b.symbol, amount, 'invest_cash', sharesFor);
  });
}

/**
 * Splits `dollars` over classes, in cents: deficits first (pro rata when the cash does not cover
 * them), the rest by target weight.
 */
function cashShares(dollars: number, classes: readonly { weight: number; deficit: number }[]): number[] {
  let deficit = 0;
  let weight = 0;
  for (const c of classes) {
    deficit += c.deficit;
    weight += c.weight;
  }
  return classes.map((c) => {
    const share =
      deficit >= dollars ? (deficit > 0 ? (dollars * c.deficit) / deficit : 0) : c.deficit + (weight > 0 ? ((dollars - deficit) * c.weight) / weight : 0);
    return Math.floor(share * 100);
  });
}

/** Some fund of the class has a price today (the sleeve counts as priced: it holds many names). */
function pricedClass(plan: DayPlan, id: string): boolean {
  if (id === SLEEVE_TARGET) return true;
  const cls = plan.universe.classes.find((c) => c.id === id);
  return cls?.securities.some((x) => plan.price(x.symbol) !== undefined) ?? false;
}

/** Some fund of the class may be bought in the account today. */
function buyableClass(plan: DayPlan, account: AccountId, id: string): boolean {
  if (id === SLEEVE_TARGET) return true;
  const cls = plan.universe.classes.find((c) => c.id === id);
  return cls?.securities.some((x) => plan.price(x.symbol) !== undefined && plan.guard.buyBlock(account, x.symbol) === undefined) ?? false;
}

/**
 * Rebalances an account whose weights drift beyond the band after its cash is invested: the
 * overweight classes are sold down to the day's targets (a class phasing in left out), and the
 * proceeds invested as cash is, so they go to the largest deficits first.
 */
export function rebalance(plan: DayPlan, account: AccountId): void {
  const all = plan.state.targets.get(account);
  if (all === undefined) return;
  const targets = dayTargets(all, (id) => pricedClass(plan, id), plan.state.phaseIn?.get(account), 'rebalance');
  const values = classValues(plan, account);
  let total = Math.max(0, freeCash(plan, account)) / 100;
  for (const id of targets.keys()) total += values.get(id) ?? 0;
  if (total <= 0) return;
  const valueOf = (id: string): number => values.get(id) ?? 0;
  if (!driftBeyondBand(targets, valueOf, total, plan.config.driftBand, (id) => buyableClass(plan, account, id))) return;
  let worst = 0;
  for (const [cls, w] of targets) worst = Math.max(worst, Math.abs(valueOf(cls) / total - w));
  const over = [...targets]
    .map(([cls, w]) => ({ cls, excess: valueOf(cls) - total * w }))
    .filter((o) => o.excess > 0)
    .sort((a, b) => b.excess - a.excess);
  for (const o of over) {
    let need = Math.floor(o.excess * 100);
    if (o.cls === SLEEVE_TARGET) {
      const released = Math.min(need, plan.sleeveCash(account));
      plan.claimForSleeve(account, -released);
      need -= released;
    }
    const lots = plan.state.lots.filter((l) => (o.cls === SLEEVE_TARGET ? l.account === account && inSleeve(plan, account, l.symbol) : plan.classOf(l.symbol)?.id === o.cls));
    if (need > 0) raise(plan, account, need, lots, plan.config.rebalanceMaxShortTermGain, 'rebalance');
  }
  plan.notes.push(`rebalance ${account}: largest drift ${(worst * 100).toFixed(1)} % exceeds the ${(plan.config.driftBand * 100).toFixed(1)} % band`);
  investCash(plan, account);
}
