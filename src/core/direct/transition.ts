/**
 * The transition of an account that arrives with a concentrated, low-basis position (or legacy
 * holdings outside the index) into the direct index, under a yearly budget of realized gains
 * (../shared/seeds/kiplinger-year-round-tlh.txt: harvested losses "make a sale more palatable").
 *
 * The budget caps the account's own net realized gain of the calendar year: every taxable sale
 * booked in it this year (harvests, the transition, withdrawals and fees, stocks sold when their
 * prices stopped; wash-sale adjustments as reported) and today's planned sales, short- and
 * long-term netted. The household's other accounts and the client's gains elsewhere are not this
 * account's management and do not count; a loss carried in from an earlier year is not room.
 *
 * It runs each day after the sleeve's harvests, before the policy raises the day's withdrawals
 * (the advisory fee among them). While the sleeve's tracking error is above the optional target:
 *
 *  - Overweight: a position above the construction's per-stock maximum, or one the index cannot
 *    hold (outside the risk model, excluded), is sold down toward its target weight (the
 *    construction's portfolio; 0 outside it). Positions within the maximum are left alone: the
 *    sleeve's own purchases never push a name past it, so the transition does not churn them.
 *  - Lots, across every overweight position: losses first (most loss per dollar first), then
 *    long-term gains, then short-term gains (which turn long-term within the year), each by gain
 *    per dollar of proceeds, least first — the most dollars moved per dollar of the budget.
 *  - Budget: the year's net realized gain plus the sale's gain may not pass the budget; a lot is
 *    sold in part (whole shares) when only part fits. Losses always may be sold and enlarge the
 *    room. In an account without tax the budget does not apply.
 *  - Withdrawals: the transition's proceeds stay cash for a withdrawal due today (the replacement
 *    reserves it), so when the sales the room allows cover it the policy's withdrawal sells
 *    nothing. When they cannot, the transition first raises the withdrawal itself with the least
 *    net gain — losses first, then the least gain per dollar of either term (the policy's own
 *    order puts long-term gains before short-term ones, which for a low-basis position can mean
 *    selling it at 90 % gain rather than a recent lot at 5 %) — and then sells within the room
 *    those sales left.
 *  - Wash sales: a sale that could realize a loss passes the household wash guard, as a harvest
 *    does; a position locked by another account's recent trade is not sold.
 *  - Replacement: the proceeds are placed by the sleeve's buy-only re-optimization, the names just
 *    sold held where they are.
 *
 * The one exception: a withdrawal is always paid (a client's cash is never refused). When the
 * year's room is used up and no loss or cash can pay it, its sales realize gains beyond the
 * budget; after the withdrawals the part beyond is recorded (`overruns`) and noted.
 *
 * In an account that also holds ETF classes, the transition sees only the sleeve (its holdings and
 * cash, `TransitionHost.owns`): the funds of the account's ETF classes are not legacy holdings, but
 * gains their rebalancing realizes count against the account's budget like any other sale.
 */
import { formatDay, type Day } from '../kernel/calendar.js';
import { format, prorate, SCALE, usdOf, type Price, type Shares, type Usd } from '../kernel/exact.js';
import { termOf } from '../ledger/holdingPeriod.js';
import type { AccountId, Symbol } from '../ledger/household.js';
import type { Lot } from '../ledger/lots.js';
import { sharesFor } from '../harvest/orders.js';
import type { DayPlan } from '../harvest/plan.js';
import type { Built, Optimized } from './construction.js';
import { trackingError, type RiskModel } from './riskModel.js';

export interface TransitionConfig {
  /**
   * Largest net realized gain of the account in one calendar year (short- and long-term, losses
   * netted, as reported), cents. Harvested losses enlarge the room.
   */
  readonly yearlyGainBudget: Usd;
  /** The account has arrived once its ex-ante tracking error is at or below this (annualized). */
  readonly targetTrackingError?: number;
}

export interface TransitionSale {
  readonly symbol: Symbol;
  readonly shares: Shares;
  readonly proceeds: Usd;
  readonly gain: Usd;
  readonly lots: readonly { readonly lotId: string; readonly shares: Shares; readonly gain: Usd }[];
}

export interface TransitionReport {
  readonly date: Day;
  readonly account: AccountId;
  readonly sold: readonly TransitionSale[];
  /** Net gain the day's transition sales realize. */
  readonly gain: Usd;
  readonly budget: Usd;
  /** The account's net realized gain this year before these sales (today's harvests and withdrawals included). */
  readonly realizedBefore: Usd;
  /** Room the budget leaves for the rest of the year after them (undefined: no tax in this account). */
  readonly left: Usd | undefined;
  /** Value still above target in the overweight positions after the sales. */
  readonly overweightLeft: Usd;
  /** Ex-ante tracking error: planned before the sales, with the sales alone, after the replacement. */
  readonly trackingError: { readonly before: number; readonly afterSales: number; readonly after: number };
}

/** A day whose withdrawal realized gains beyond the budget (paid all the same). */
export interface WithdrawalOverrun {
  readonly date: Day;
  readonly account: AccountId;
  /** Net gain of the day's sales raising the withdrawal, and the part of it beyond the budget. */
  readonly gain: Usd;
  readonly beyond: Usd;
  /** The account's net realized gain this year after them. */
  readonly realized: Usd;
  readonly budget: Usd;
}

/** What the transition needs of its sleeve (the DirectSleeve implements it). */
export interface TransitionHost {
  readonly account: AccountId;
  readonly model: RiskModel;
  /** The construction's per-stock maximum, and the smallest sale or purchase worth a trade. */
  readonly maxWeight: number;
  readonly minTrade: Usd;
  /** Whether the account's holding of `symbol` is the sleeve's (in a mixed account, no fund of its ETF classes). */
  owns(plan: DayPlan, symbol: Symbol): boolean;
  /** Cents of the account's cash that are the sleeve's. */
  cashOf(plan: DayPlan): number;
  /** Excluded by the construction (a stock or its sector): the sleeve holds none of it. */
  excluded(symbol: Symbol): boolean;
  /** The portfolio the sleeve would build from cash today (the target weights). */
  buildTarget(): Built;
  /** Weights of the model's names today: held after the sales planned so far, and planned for the close. */
  heldWeights(plan: DayPlan): Float64Array;
  plannedWeights(plan: DayPlan): Float64Array;
  /** Places today's cash by the buy-only re-optimization, the names in `fixed` not bought. */
  replace(plan: DayPlan, fixed: ReadonlySet<Symbol>): Optimized;
}

/** One lot an overweight position may sell today. */
export interface LotOffer {
  readonly lot: Lot;
  /** Shares still available (not planned for sale by an earlier phase). */
  readonly shares: number;
  readonly price: Price;
}

export interface LotPick {
  readonly lot: Lot;
  readonly shares: number;
  readonly proceeds: number;
  readonly gain: number;
}

/** Gain of selling `n` shares of `lot` at `price`, exactly as the plan books it. */
function gainOf(lot: Lot, n: number, price: Price): number {
  return usdOf(n as Shares, price) - prorate(lot.basis, n, lot.shares);
}

/** Losses, then long-term, then short-term gains; within each the least gain per dollar first. */
export function sellingOrder(offers: readonly LotOffer[], date: Day): LotOffer[] {
  const key = offers.map((o) => {
    const value = usdOf(o.shares as Shares, o.price);
    const gain = gainOf(o.lot, o.shares, o.price);
    const rank = gain <= 0 ? 0 : termOf(o.lot.heldFrom, date) === 'long' ? 1 : 2;
    return { o, rank, perDollar: value > 0 ? gain / value : 0 };
  });
  key.sort((a, b) => a.rank - b.rank || a.perDollar - b.perDollar || a.o.lot.acquired - b.o.lot.acquired || a.o.lot.seq - b.o.lot.seq || (a.o.lot.id < b.o.lot.id ? -1 : 1));
  return key.map((k) => k.o);
}

/** Whole shares, unless the count is the whole remainder of the lot. */
function whole(n: number, all: number): number {
  return n >= all ? all : Math.floor(n / SCALE.shares) * SCALE.shares;
}

/**
 * Greedy selection over `offers` in selling order: each lot sells what its position's excess
 * (cents, updated in place) still asks for, in whole shares, and a lot at a gain only as much as
 * the room (cents; Infinity: no budget) allows. Returns the picks and the room left.
 *
 * `wholeLots`: each lot is sold whole or not at all (while its position is still overweight). Lots
 * whose sale could realize a loss are picked this way: the rest of a lot bought in the last 30 days
 * would be a replacement that washes the loss on another lot of the same sale.
 */
export function pickLots(offers: readonly LotOffer[], excess: Map<Symbol, number>, room: number, date: Day, wholeLots = false): { picks: LotPick[]; room: number } {
  const picks: LotPick[] = [];
  for (const o of sellingOrder(offers, date)) {
    const wanted = excess.get(o.lot.symbol) ?? 0;
    if (wanted <= 0) continue;
    let n = wholeLots ? o.shares : whole(Math.min(o.shares, sharesFor(wanted as Usd, o.price)), o.shares);
    const over = gainOf(o.lot, n, o.price) > 0 && gainOf(o.lot, n, o.price) > room;
    if (over) n = wholeLots ? 0 : largestWithin(o, n, room);
    if (n <= 0) continue;
    const proceeds = usdOf(n as Shares, o.price);
    const gain = gainOf(o.lot, n, o.price);
    picks.push({ lot: o.lot, shares: n, proceeds, gain });
    excess.set(o.lot.symbol, wanted - proceeds);
    room -= gain;
  }
  return { picks, room };
}

/** The most whole shares below `n` whose gain fits the room (gain grows with the shares sold). */
function largestWithin(o: LotOffer, n: number, room: number): number {
  if (room <= 0) return 0;
  let lo = 0;
  let hi = Math.floor(n / SCALE.shares);
  if (hi * SCALE.shares === n) hi -= 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (gainOf(o.lot, mid * SCALE.shares, o.price) <= room) lo = mid;
    else hi = mid - 1;
  }
  return lo * SCALE.shares;
}

/** The account's net realized gain this year so far, today's planned sales included (cents). */
export function realizedThisYear(plan: DayPlan, account: AccountId): number {
  const booked = plan.state.realizedByAccount;
  if (booked === undefined) throw new Error('a gain budget needs the realized gains of each account (HouseholdState.realizedByAccount)');
  return (booked.get(account) ?? 0) + plan.realizedTodayIn(account);
}

/** Net gain of the sales planned today in the account to raise a withdrawal (cents). */
function withdrawalGain(plan: DayPlan, account: AccountId): number {
  let gain = 0;
  for (const sale of plan.sells) {
    if (sale.account !== account || sale.rule !== 'withdrawal') continue;
    const lots = plan.position(account, sale.symbol);
    for (const part of sale.lots) {
      const lot = lots.find((l) => l.id === part.lotId);
      if (lot !== undefined) gain += gainOf(lot, part.shares, sale.price);
    }
  }
  return gain;
}

/**
 * Raises `need` cents in the account for today's withdrawal with the least realized gain: lots at
 * a loss first (most loss per dollar first, where the wash guard allows the sale), then lots at a
 * gain by least gain per dollar, short- or long-term alike — the budget counts net gain of both
 * terms. Returns the cash raised.
 */
function raiseWithdrawal(plan: DayPlan, account: AccountId, need: number): number {
  const ranked = plan.state.lots
    .filter((l) => l.account === account && plan.available(l) > 0 && plan.price(l.symbol) !== undefined)
    .map((l) => {
      const value = usdOf(l.shares, plan.price(l.symbol) as Price);
      return { l, perDollar: value > 0 ? (value - l.basis) / value : 0 };
    })
    .sort((a, b) => a.perDollar - b.perDollar || (a.l.id < b.l.id ? -1 : 1));
  let raised = 0;
  for (const { l } of ranked) {
    if (raised >= need) break;
    const price = plan.price(l.symbol) as Price;
    const shares = Math.min(plan.available(l), Math.max(1, Math.ceil(((need - raised) * 1e12) / price)));
    if (plan.guard.sellBlock(account, l.symbol, [l], plan.couldLose(l, shares), false) !== undefined) continue;
    raised += plan.sell(account, l.symbol, [{ lot: l, shares }], 'withdrawal');
  }
  return raised;
}

export class Transition {
  readonly reports: TransitionReport[] = [];
  readonly overruns: WithdrawalOverrun[] = [];
  private target: { readonly model: RiskModel; readonly built: Built } | undefined;

  constructor(readonly config: TransitionConfig) {}

  /** One day's transition for the host's account, after its harvests (see the module comment). */
  run(plan: DayPlan, host: TransitionHost): void {
    const account = host.account;
    const before = host.plannedWeights(plan);
    const teBefore = trackingError(host.model, before);
    const goal = this.config.targetTrackingError;
    const target = goal !== undefined && teBefore <= goal ? undefined : this.targetFor(host);
    if (target?.ok === false) plan.notes.push(`direct index ${account}: transition waits: no target portfolio (${target.message})`);
    const wanted = (): Map<Symbol, number> => (target?.ok === true ? this.overweight(plan, host, target.weights) : new Map());
    const taxable = plan.taxable(account);
    const budget = this.config.yearlyGainBudget;
    let excess = wanted();
    if (taxable && this.paysWithdrawal(plan, host, excess, budget - realizedThisYear(plan, account))) excess = wanted();
    if (excess.size === 0) return;
    const realizedBefore = taxable ? realizedThisYear(plan, account) : 0;
    const room = taxable ? budget - realizedBefore : Infinity;
    const picks = this.choose(plan, host, excess, room);
    if (picks.length === 0) {
      const over = sum(excess.values());
      plan.notes.push(`direct index ${account}: transition waits: ${money(over)} above target, but the year's net realized gain ${money(realizedBefore)} leaves no room in the ${money(budget)} budget, and no lot of them is at a loss`);
      return;
    }
    const sold: TransitionSale[] = [];
    for (const [symbol, lots] of groupBy(picks)) {
      plan.claimForSleeve(account, plan.sell(account, symbol, lots.map((p) => ({ lot: p.lot, shares: p.shares })), 'rebalance'));
      sold.push({
        symbol,
        shares: sum(lots.map((p) => p.shares)) as Shares,
        proceeds: sum(lots.map((p) => p.proceeds)) as Usd,
        gain: sum(lots.map((p) => p.gain)) as Usd,
        lots: lots.map((p) => ({ lotId: p.lot.id, shares: p.shares as Shares, gain: p.gain as Usd })),
      });
    }
    const afterSales = trackingError(host.model, host.heldWeights(plan));
    const placed = host.replace(plan, new Set(sold.map((s) => s.symbol)));
    if (!placed.ok) plan.notes.push(`direct index ${account}: transition proceeds held as cash: ${placed.message}`);
    const gain = sum(sold.map((s) => s.gain)) as Usd;
    const report: TransitionReport = {
      date: plan.date,
      account,
      sold,
      gain,
      budget,
      realizedBefore: realizedBefore as Usd,
      left: taxable ? ((budget - realizedBefore - gain) as Usd) : undefined,
      overweightLeft: sum([...excess.values()].filter((v) => v > 0)) as Usd,
      trackingError: { before: teBefore, afterSales, after: placed.ok ? placed.trackingError : afterSales },
    };
    this.reports.push(report);
    plan.notes.push(reportSentence(report));
  }

  /**
   * A withdrawal due today that the transition's own sales (the whole room's) would not pay is
   * raised here, before them, with the least gain (`raiseWithdrawal`); the policy's withdrawal then
   * finds the cash. Returns whether it sold anything.
   */
  private paysWithdrawal(plan: DayPlan, host: TransitionHost, excess: ReadonlyMap<Symbol, number>, room: number): boolean {
    const need = (plan.state.withdrawals.get(host.account) ?? 0) - plan.cash(host.account);
    if (need <= 0) return false;
    const own = excess.size === 0 ? [] : this.choose(plan, host, new Map(excess), room);
    if (sum(own.map((p) => p.proceeds)) >= need) return false;
    const gainBefore = plan.realizedTodayIn(host.account);
    const raised = raiseWithdrawal(plan, host.account, need);
    if (raised > 0) plan.notes.push(`direct index ${host.account}: today's withdrawal raised by the least gain first: ${money(raised)} sold, ${money(plan.realizedTodayIn(host.account) - gainBefore)} of gain`);
    return raised > 0;
  }

  /**
   * After the policy raised the day's withdrawals: records (and notes) the part of their gains
   * beyond the budget — the exception, a client's cash is never refused.
   */
  afterWithdrawals(plan: DayPlan, account: AccountId): void {
    if (!plan.taxable(account)) return;
    const gain = withdrawalGain(plan, account);
    if (gain <= 0) return;
    const realized = realizedThisYear(plan, account);
    const budget = this.config.yearlyGainBudget;
    const beyond = Math.min(gain, realized - budget);
    if (beyond <= 0) return;
    this.overruns.push({ date: plan.date, account, gain: gain as Usd, beyond: beyond as Usd, realized: realized as Usd, budget });
    plan.notes.push(
      `direct index ${account}: today's withdrawal realizes ${money(gain)} of gain, ${money(beyond)} of it beyond the ${money(budget)} budget: paid all the same (a client's cash is never refused); the year's net realized gain stands at ${money(realized)}`,
    );
  }

  /** The construction's portfolio under the host's model, solved once per model. */
  private targetFor(host: TransitionHost): Built {
    if (this.target?.model !== host.model) this.target = { model: host.model, built: host.buildTarget() };
    return this.target.built;
  }

  /**
   * Cents above target of each position the transition sells: above the per-stock maximum, or one
   * the sleeve may not hold (outside the model, excluded: target 0, sold whatever its size).
   */
  private overweight(plan: DayPlan, host: TransitionHost, target: Float64Array): Map<Symbol, number> {
    const held: { symbol: Symbol; value: number }[] = [];
    let total = Math.max(0, host.cashOf(plan));
    for (const [symbol, shares] of plan.heldShares(host.account)) {
      const price = plan.price(symbol);
      if (price === undefined || !host.owns(plan, symbol)) continue;
      const value = usdOf(shares as Shares, price);
      held.push({ symbol, value });
      total += value;
    }
    const excess = new Map<Symbol, number>();
    for (const h of held) {
      const i = host.model.index.get(h.symbol);
      const leave = i === undefined || host.excluded(h.symbol);
      if (!leave && h.value <= host.maxWeight * total) continue;
      const wanted = h.value - (leave ? 0 : Math.round((target[i] as number) * total));
      if (wanted >= host.minTrade || leave) excess.set(h.symbol, wanted);
    }
    return excess;
  }

  /**
   * The day's lots: first those whose sale could realize a loss, whole lots (the wash guard judges
   * each position's set), then the rest within the budget; a position locked by another account
   * is left alone, and a position's sale below the smallest trade waits unless it closes it.
   */
  private choose(plan: DayPlan, host: TransitionHost, excess: Map<Symbol, number>, room: number): LotPick[] {
    const account = host.account;
    const losing: LotOffer[] = [];
    const gaining: LotOffer[] = [];
    for (const symbol of excess.keys()) {
      const price = plan.price(symbol) as Price;
      const lots = plan.position(account, symbol).filter((lot) => plan.available(lot) > 0);
      if (plan.guard.sellBlock(account, symbol, lots, false) !== undefined) continue;
      for (const lot of lots) (plan.couldLose(lot, plan.available(lot)) ? losing : gaining).push({ lot, shares: plan.available(lot), price });
    }
    const held = (symbol: Symbol): number => plan.heldShares(account).get(symbol) ?? 0;
    const worthATrade = (picks: readonly LotPick[]): boolean => sum(picks.map((p) => p.proceeds)) >= host.minTrade || sum(picks.map((p) => p.shares)) >= held(picks[0]!.lot.symbol);
    const kept = new Map<Symbol, LotPick[]>();
    let left = room;
    for (const [symbol, lots] of groupBy(pickLots(losing, excess, room, plan.date, true).picks)) {
      if (!worthATrade(lots) || plan.guard.sellBlock(account, symbol, lots.map((p) => p.lot), true) !== undefined) {
        excess.set(symbol, (excess.get(symbol) ?? 0) + sum(lots.map((p) => p.proceeds)));
        continue;
      }
      kept.set(symbol, lots);
      left -= sum(lots.map((p) => p.gain));
    }
    for (const [symbol, lots] of groupBy(pickLots(gaining, excess, left, plan.date).picks)) {
      const all = [...(kept.get(symbol) ?? []), ...lots];
      if (!worthATrade(all)) {
        excess.set(symbol, (excess.get(symbol) ?? 0) + sum(lots.map((p) => p.proceeds)));
        continue;
      }
      kept.set(symbol, all);
    }
    return [...kept.values()].flat();
  }
}

function groupBy(picks: readonly LotPick[]): Map<Symbol, LotPick[]> {
  const by = new Map<Symbol, LotPick[]>();
  for (const p of picks) by.set(p.lot.symbol, [...(by.get(p.lot.symbol) ?? []), p]);
  return by;
}

const sum = (xs: Iterable<number>): number => {
  let s = 0;
  for (const x of xs) s += x;
  return s;
};
const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
const money = (cents: number): string => `$${format('usd', cents)}`;

function reportSentence(r: TransitionReport): string {
  const names = r.sold.map((s) => `${s.symbol} ${format('shares', s.shares)} shares (gain ${money(s.gain)})`).join(', ');
  const te = r.trackingError;
  const budget = r.left === undefined ? 'no tax in this account' : `year's net realized gain ${money(r.realizedBefore + r.gain)} of the ${money(r.budget)} budget, ${money(r.left)} left`;
  return `direct index ${r.account} ${formatDay(r.date)}: transition sells ${names}; ${budget}; ${money(r.overweightLeft)} still above target; tracking error ${pct(te.before)} before, ${pct(te.afterSales)} after the sales, ${pct(te.after)} after re-optimizing`;
}
