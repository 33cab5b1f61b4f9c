/**
 * Phase 1 of a day: tax-loss harvesting (seed paper, "Wealthfront's Tax-Loss Harvesting service").
 * Every lot at a loss in a taxable account is a candidate. Candidates are priced (economics.ts),
 * grouped by account and security, and taken best first: each group is sold (specific lots) if
 * the wash guard allows the loss sale, and the same dollar amount of the first alternate that may
 * be bought is bought in the same account. Later groups are re-priced after each harvest, since a
 * harvested loss uses up this year's gains. Phase 2 switches alternates held at least 31 days back
 * to the primary when their gain is no more than a small threshold.
 */
import { format, usdOf, type Price, type Usd } from '../kernel/exact.js';
import type { AccountId, Symbol } from '../ledger/household.js';
import type { Lot } from '../ledger/lots.js';
import { alternatesFor, type AssetClass, type UniverseSecurity } from '../securities/universe.js';
import { formatDay } from '../kernel/calendar.js';
import { termOf, type Term } from '../ledger/holdingPeriod.js';
import { kappa, lotEconomics, type CostInputs, type Economics } from './economics.js';
import { lockState, type LockState } from './stopping/opportunityCost.js';
import { sharesFor } from './orders.js';
import type { DayPlan } from './plan.js';
import type { Verdict } from './proposals.js';
import type { BuyBlock, SellBlock } from './washGuard.js';
import { WASH_WINDOW_DAYS } from '../ledger/washSales.js';
import { reachesMinimum, worthHarvesting } from './rule.js';

const money = (v: number): string => `$${format('usd', v)}`;

interface Group {
  readonly account: AccountId;
  readonly symbol: Symbol;
  readonly lots: Lot[];
}

/** `sleeved`: accounts managed by a sleeve, whose lots outside the ETF universe are the sleeve's to judge. */
export function planHarvests(plan: DayPlan, sleeved: ReadonlySet<AccountId> = NO_ACCOUNTS): number {
  if (plan.config.trigger.kind === 'off') return 0;
  const found = lossGroups(plan, plan.explain ? 0 : plan.config.minLoss, sleeved);
  // Without explanations, a group with no alternate to buy before the day's first trade is left
  // out unpriced: the trades planned can only block more purchases, so it would never harvest,
  // and the stable sort keeps the others in the order they had with it.
  const groups = plan.explain ? found : found.filter((g) => firstAlternate(plan, g.account, g.symbol) !== undefined);
  let benefit = 0;
  const ordered = groups.sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  const pending = ordered.map((g) => ({ g, best: bestNet(plan, g) })).sort((a, b) => b.best - a.best);
  for (const { g } of pending) benefit += harvestGroup(plan, g);
  return benefit;
}

/**
 * Whether phase 1 would harvest anything today: the same judgement of the same groups, without
 * explanations, stopping at the first harvest. A group that phase 1 harvests is judged on the
 * day's opening state (no trade is planned before the first harvest), so this is exact: `screen`
 * uses it to skip `decide` on days it would only explain why not.
 */
export function anyHarvest(plan: DayPlan): boolean {
  if (plan.config.trigger.kind === 'off') return false;
  return lossGroups(plan, plan.config.minLoss).some((g) => judgeGroup(plan, g, false).kind === 'harvest');
}

const NO_ACCOUNTS: ReadonlySet<AccountId> = new Set();

/**
 * The groups depend only on the plan's opening lots, the day's prices and the sleeves' accounts:
 * a plan judged by `anyHarvest` and then decided on (`decideOn`) finds them once.
 */
const groupsOf = new WeakMap<DayPlan, { readonly minLoss: number; readonly sleeved: ReadonlySet<AccountId>; readonly groups: readonly Group[] }>();

/** Taxable lots at a loss of at least `minLoss` cents, by account and security, but a sleeve's stocks (a fresh array: callers sort it). */
function lossGroups(plan: DayPlan, minLoss: number, sleeved: ReadonlySet<AccountId> = NO_ACCOUNTS): Group[] {
  const known = groupsOf.get(plan);
  if (known !== undefined && known.minLoss === minLoss && sameAccounts(known.sleeved, sleeved)) return [...known.groups];
  const groups = findLossGroups(plan, minLoss, sleeved);
  groupsOf.set(plan, { minLoss, sleeved, groups });
  return [...groups];
}

function sameAccounts(a: ReadonlySet<AccountId>, b: ReadonlySet<AccountId>): boolean {
  return a === b || (a.size === b.size && [...a].every((x) => b.has(x)));
}

function findLossGroups(plan: DayPlan, minLoss: number, sleeved: ReadonlySet<AccountId>): Group[] {
  const groups: Group[] = [];
  const byAccount = new Map<AccountId, Map<Symbol, Group>>();
  for (const lot of plan.state.lots) {
    if (!plan.taxable(lot.account) || (sleeved.has(lot.account) && plan.classOf(lot.symbol) === undefined)) continue;
    const price = plan.price(lot.symbol);
    if (price === undefined || lot.basis <= 0) continue;
    const loss = lot.basis - usdOf(lot.shares, price);
    if (loss <= 0 || loss < minLoss) continue;
    let bySymbol = byAccount.get(lot.account);
    if (bySymbol === undefined) byAccount.set(lot.account, (bySymbol = new Map()));
    let g = bySymbol.get(lot.symbol);
    if (g === undefined) {
      g = { account: lot.account, symbol: lot.symbol, lots: [] };
      bySymbol.set(lot.symbol, g);
      groups.push(g);
    }
    g.lots.push(lot);
  }
  return groups;
}

/** The group's best net benefit over its lots at a loss of at least the minimum: the processing order. */
function bestNet(plan: DayPlan, g: Group): number {
  let best = -Infinity;
  const buy = firstAlternate(plan, g.account, g.symbol)?.symbol;
  for (const lot of g.lots) {
    const e = economicsOf(plan, lot, buy);
    if (e !== undefined && reachesMinimum(e.loss, plan.config) && e.net > best) best = e.net;
  }
  return best;
}

/**
 * A lot's economics depend on the plan only through the trades planned so far (they change the
 * pricer and the wash guard's locks): a lot priced again before the next trade (the processing
 * order, then each group judged until one harvests) is priced once.
 */
interface PricedSince {
  readonly sells: number;
  readonly buys: number;
  readonly byBuy: Map<Symbol | undefined, Map<Lot, Economics | undefined>>;
}

const pricedSince = new WeakMap<DayPlan, PricedSince>();

function economicsOf(plan: DayPlan, lot: Lot, buy: Symbol | undefined): Economics | undefined {
  let memo = pricedSince.get(plan);
  if (memo === undefined || memo.sells !== plan.sells.length || memo.buys !== plan.buys.length) {
    memo = { sells: plan.sells.length, buys: plan.buys.length, byBuy: new Map() };
    pricedSince.set(plan, memo);
  }
  let byLot = memo.byBuy.get(buy);
  if (byLot === undefined) memo.byBuy.set(buy, (byLot = new Map()));
  if (byLot.has(lot)) return byLot.get(lot);
  const e = priceLot(plan, lot, buy);
  byLot.set(lot, e);
  return e;
}

function priceLot(plan: DayPlan, lot: Lot, buy: Symbol | undefined): Economics | undefined {
  const cls = plan.classOf(lot.symbol);
  const price = plan.price(lot.symbol);
  if (cls === undefined || price === undefined) return undefined;
  const pricer = plan.pricer();
  const costs = plan.costs(lot.symbol, buy);
  const alternates = plan.alternates(lot.symbol);
  const lock = lockOf(plan, alternates);
  const tableFor = (r: number) =>
    plan.tables.get({
      mu: cls.expectedReturn.value,
      sigma: cls.volatility.value,
      kappa: kappa(classRoundTrip(plan, cls), pricer.marginal.shortTerm),
      rho: r,
      alternates: Math.min(2, alternates.length),
    });
  return lotEconomics(lot, price, plan.date, pricer, costs, tableFor, lock);
}

/**
 * The round trip the stopping model prices a class's harvests at: its primary and secondary
 * spreads. Using one figure per class keeps one table per household rate and class; an actual pair
 * differs by well under a basis point, far less than a lattice step. The spread charged as a cost
 * is always the actual pair's.
 */
export function classRoundTrip(plan: DayPlan, cls: AssetClass): CostInputs {
  const [a, b] = cls.securities;
  return {
    sellHalfSpreadBps: a === undefined ? 0 : plan.halfSpreadBps(a.symbol),
    buyHalfSpreadBps: b === undefined ? 0 : plan.halfSpreadBps(b.symbol),
    commission: plan.config.commission,
  };
}

function lotTerm(plan: DayPlan, lot: Lot): Term {
  return termOf(lot.heldFrom, plan.date);
}

function lockOf(plan: DayPlan, alternates: readonly UniverseSecurity[]): LockState {
  const locked = alternates.map((a) => plan.guard.daysUntilBuyable(a.symbol)).filter((d) => d > 0);
  return lockState(Math.min(2, alternates.length), locked);
}

/** The first alternate of `symbol` this account may buy today, with a price. */
export function firstAlternate(plan: DayPlan, account: AccountId, symbol: Symbol): UniverseSecurity | undefined {
  return plan.alternates(symbol).find((a) => plan.guard.buyBlock(account, a.symbol) === undefined);
}

interface Priced {
  readonly lot: Lot;
  readonly e: Economics;
}

type Judgement =
  | { readonly kind: 'none' }
  | { readonly kind: 'harvest'; readonly alternate: UniverseSecurity; readonly passing: readonly Priced[]; readonly swept: readonly Lot[] };

const NONE: Judgement = { kind: 'none' };

/**
 * The rules in order, for one account and security: the minimum loss, the wash guard, a free
 * alternate, the trigger (costs against benefit). With `explain`, every lot left alone is recorded
 * with the reason.
 */
function judgeGroup(plan: DayPlan, g: Group, explain: boolean): Judgement {
  const lots = g.lots.filter((l) => plan.available(l) === l.shares);
  if (lots.length === 0) return NONE;
  if (plan.classOf(g.symbol) === undefined) {
    if (explain) for (const lot of lots) record(plan, lot, 'not_in_universe', undefined, undefined, `${g.symbol} is not in the universe: no alternate to buy`);
    return NONE;
  }
  const alternate = firstAlternate(plan, g.account, g.symbol);
  // Every path below ends without a harvest when there is no alternate to buy: with nothing to
  // explain, such a group (the most common refusal in a backtest) is settled before pricing its lots.
  if (!explain && alternate === undefined) return NONE;
  const min = plan.config.minLoss;
  const eligible: Priced[] = [];
  for (const lot of lots) {
    const e = economicsOf(plan, lot, alternate?.symbol) as Economics;
    if (reachesMinimum(e.loss, plan.config)) eligible.push({ lot, e });
    else if (explain) record(plan, lot, 'below_minimum', e, alternate?.symbol, `loss ${money(e.loss)} is below the ${money(min)} minimum`);
  }
  if (eligible.length === 0 || blocked(plan, g, eligible, alternate, explain)) return NONE;
  if (alternate === undefined) {
    if (explain) {
      const why = `every alternate of ${g.symbol} is blocked today (${blockedAlternates(plan, g.account, g.symbol)})`;
      for (const { lot, e } of eligible) record(plan, lot, 'no_alternate', e, undefined, why);
    }
    return NONE;
  }
  const trigger = plan.config.trigger;
  const worth = (e: Economics): boolean => worthHarvesting(plan.config, e.loss, e.marketValue, e.benefit.total, e.spreadCost, e.commission, e.net);
  const passing = eligible.filter(({ lot, e }) => {
    if (worth(e)) return true;
    if (explain) {
      const why = trigger.kind === 'loss_at_least' ? thresholdSentence(e, trigger.fraction) : costsSentence(e, plan.config.minNetBenefitBps);
      record(plan, lot, trigger.kind === 'loss_at_least' ? 'below_threshold' : 'costs_exceed_benefit', e, alternate.symbol, why);
    }
    return false;
  });
  if (passing.length === 0) return NONE;
  const swept = sweepable(plan, g, passing);
  if ((passing.length < eligible.length || swept.length > 0) && blocked(plan, g, passing, alternate, explain, swept)) return NONE;
  const sweepCost = sweptGain(plan, swept) * plan.pricer().marginal.shortTerm;
  if (swept.length > 0 && passing.reduce((sum, p) => sum + p.e.net, 0) <= sweepCost) {
    if (explain) for (const { lot, e } of passing) record(plan, lot, 'recent_purchase_would_wash', e, alternate.symbol, `the recent purchase of ${g.symbol} in ${g.account} would have to be sold with it, and its gain costs ${money(sweepCost)}: more than the harvest nets`);
    return NONE;
  }
  return { kind: 'harvest', alternate, passing, swept };
}

/**
 * Purchases of the same security in the same account in the last 30 days that the sale does not
 * include. Sold together with the harvested lots, they replace nothing (the sale relieves them), so
 * a dividend reinvested last week does not stop a harvest; their gain, if any, is the price.
 */
function sweepable(plan: DayPlan, g: Group, sale: readonly Priced[]): Lot[] {
  const selling = new Set(sale.map((p) => p.lot));
  const window = plan.date - WASH_WINDOW_DAYS;
  return plan.position(g.account, g.symbol).filter((l) => !selling.has(l) && l.acquired >= window && l.purchase && !l.replacement && plan.available(l) === l.shares);
}

/** The gain (cents, at today's close) of lots sold along with a harvest; losses count as 0. */
function sweptGain(plan: DayPlan, lots: readonly Lot[]): number {
  let gain = 0;
  for (const lot of lots) {
    const price = plan.price(lot.symbol);
    if (price !== undefined) gain += Math.max(0, usdOf(lot.shares, price) - lot.basis);
  }
  return gain;
}

function harvestGroup(plan: DayPlan, g: Group): number {
  const j = judgeGroup(plan, g, plan.explain);
  if (j.kind === 'none') return 0;
  const sold = [...j.passing.map((p) => p.lot), ...j.swept];
  const proceeds = plan.sell(g.account, g.symbol, sold.map((lot) => ({ lot, shares: lot.shares })), 'harvest');
  if (plan.explain && j.swept.length > 0) {
    plan.notes.push(`harvest ${g.account} ${g.symbol}: also sells the recent purchase${j.swept.length > 1 ? 's' : ''} ${j.swept.map((l) => l.id).join(', ')} so ${j.swept.length > 1 ? 'they do' : 'it does'} not wash the loss`);
  }
  plan.buy(g.account, j.alternate.symbol, proceeds, 'harvest_replacement', sharesFor);
  let benefit = 0;
  for (const { lot, e } of j.passing) {
    benefit += e.benefit.total;
    if (plan.explain) record(plan, lot, 'harvest', e, j.alternate.symbol, `${harvestSentence(e)}; buy ${j.alternate.symbol} (${j.alternate.index}) with the proceeds`);
  }
  return benefit;
}

/** Whether the wash guard refuses the sale (recording it for every lot with `explain`). */
function blocked(plan: DayPlan, g: Group, sale: readonly Priced[], alternate: UniverseSecurity | undefined, explain: boolean, swept: readonly Lot[] = sweepable(plan, g, sale)): boolean {
  const block = plan.guard.sellBlock(g.account, g.symbol, [...sale.map((p) => p.lot), ...swept]);
  if (block === undefined) return false;
  if (explain) {
    const [verdict, why] = sellBlockText(block);
    for (const { lot, e } of sale) record(plan, lot, verdict, e, alternate?.symbol, why);
  }
  return true;
}

function costsSentence(e: Economics, minNetBps: number): string {
  return `benefit ${money(e.benefit.total)} does not beat costs by ${minNetBps} bp of value: spread ${money(e.spreadCost)}, commissions ${money(e.commission)}, opportunity ${money(e.opportunityCost)} (waiting is worth ${money(e.waitValue)}, a fresh lot ${money(e.freshValue)}); net ${money(e.net)}`;
}

function thresholdSentence(e: Economics, fraction: number): string {
  const threshold = `${(fraction * 100).toFixed(1)} %`;
  if (e.loss < fraction * (e.loss + e.marketValue)) return `loss ${money(e.loss)} is less than ${threshold} of the basis`;
  return `benefit ${money(e.benefit.total)} does not beat trading costs: spread ${money(e.spreadCost)}, commissions ${money(e.commission)}`;
}

function harvestSentence(e: Economics): string {
  return `${e.term}-term loss ${money(e.loss)} saves ${money(e.benefit.total)} (now ${money(e.benefit.immediateSaving)}, carried ${money(e.benefit.carryforwardValue)}) against spread ${money(e.spreadCost)}, commissions ${money(e.commission)}, opportunity ${money(e.opportunityCost)}: net ${money(e.net)}`;
}

function sellBlockText(b: SellBlock): [Verdict, string] {
  switch (b.kind) {
    case 'recent_purchase':
      return ['recent_purchase_would_wash', `the ${format('shares', b.lot.shares)} sh of ${b.lot.symbol} bought ${formatDay(b.lot.acquired)} in ${b.lot.account} (lot ${b.lot.id}) would replace these shares: a wash sale`];
    case 'bought_today':
      return ['bought_today', `${b.symbol} is bought today in ${b.account}: a loss sale would be washed`];
    case 'locked_by_account':
      return ['locked_by_account', `${b.account} traded this security first and holds it until ${formatDay(b.until)}`];
  }
}

function blockedAlternates(plan: DayPlan, account: AccountId, symbol: Symbol): string {
  return alternatesFor(plan.universe, symbol, plan.date)
    .map((a) => `${a.symbol}: ${plan.price(a.symbol) === undefined ? 'no price' : buyBlockText(plan.guard.buyBlock(account, a.symbol))}`)
    .join('; ');
}

export function buyBlockText(b: BuyBlock | undefined): string {
  if (b === undefined) return 'free';
  switch (b.kind) {
    case 'recent_loss_sale':
      return `sold at a loss ${formatDay(b.date)} in ${b.account}`;
    case 'loss_sale_today':
      return `sold at a loss today in ${b.account}`;
    case 'locked_by_account':
      return `locked by ${b.account} until ${formatDay(b.until)}`;
  }
}

function record(plan: DayPlan, lot: Lot, verdict: Verdict, e: Economics | undefined, replacement: Symbol | undefined, why: string): void {
  const price = plan.price(lot.symbol) as Price;
  const marketValue = e?.marketValue ?? usdOf(lot.shares, price);
  plan.candidates.push({
    account: lot.account,
    symbol: lot.symbol,
    lotId: lot.id,
    shares: lot.shares,
    basis: lot.basis,
    marketValue,
    loss: (lot.basis - marketValue) as Usd,
    term: lotTerm(plan, lot),
    verdict,
    ...(replacement !== undefined ? { replacement } : {}),
    ...(e !== undefined ? { economics: e } : {}),
    why,
  });
}

/**
 * Phase 2: an alternate held at least `alternateMinHoldDays` whose gain is at most
 * `switchBackMaxGain` of its value goes back to the class's primary, when the primary may be
 * bought. Losses are left to phase 1 (a loss is harvested into another alternate instead).
 */
export function planSwitchBacks(plan: DayPlan): void {
  for (const lot of plan.state.lots) {
    if (!plan.taxable(lot.account) || plan.available(lot) !== lot.shares) continue;
    const cls = plan.classOf(lot.symbol);
    const primary = cls?.securities[0];
    // A fund on the primary's index (SCHP and TIP until 2023-01-30) is the primary already; most
    // lots are of the primary itself, which needs no lookup.
    if (cls === undefined || primary === undefined || primary.symbol === lot.symbol || plan.guard.same(primary.symbol, lot.symbol)) continue;
    if (plan.date - lot.acquired < plan.config.alternateMinHoldDays) continue;
    const price = plan.price(lot.symbol);
    if (price === undefined || plan.price(primary.symbol) === undefined) continue;
    const value = usdOf(lot.shares, price);
    const gain = value - lot.basis;
    if (gain < 0 || gain > value * plan.config.switchBackMaxGain) continue;
    if (plan.guard.sellBlock(lot.account, lot.symbol, [lot], plan.couldLose(lot, lot.shares)) !== undefined) continue;
    if (plan.guard.buyBlock(lot.account, primary.symbol) !== undefined) continue;
    const proceeds = plan.sell(lot.account, lot.symbol, [{ lot, shares: lot.shares }], 'switch_back');
    plan.buy(lot.account, primary.symbol, proceeds, 'switch_back', sharesFor);
    plan.notes.push(
      `switch back: ${lot.account} lot ${lot.id} of ${lot.symbol} (held since ${formatDay(lot.acquired)}, gain ${money(gain)}) to ${primary.symbol}`,
    );
  }
}
