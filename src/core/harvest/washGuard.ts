/**
 * The wash-sale guard: what the household may sell at a loss and buy today without ever causing a
 * wash sale (§1091, across every account — docs/wash-sales.md), plus the paper's optional
 * lock-out ("the first taxable account to trade a security will block the other account(s) from
 * trading in that same security for 30 days").
 *
 *  - A loss sale is blocked while any open, unused purchase lot of the same class (any account)
 *    acquired in the last 30 days is not part of the same sale — it would be the replacement
 *    (buy-buy-sell). This mirrors the booking engine's candidate rule exactly.
 *  - A purchase is blocked while the household has a loss sale of the same class in the last 30
 *    days, today's included (buying would wash it; in an IRA, for good).
 *  - A class sold at a loss today is not bought today, and a class bought today is not sold at a
 *    loss today, in any account.
 *
 * "Same class" = substantially identical: the household's own policy (symbols, CUSIPs, groups)
 * joined with the universe's funds that track one index on the day.
 */
import { addDays, type Day } from '../kernel/calendar.js';
import { canonicalJson } from '../kernel/canonicalJson.js';
import { taxableAccounts, type AccountId, type Household, type Symbol } from '../ledger/household.js';
import type { Lot } from '../ledger/lots.js';
import { substantiallyIdentical, type Universe } from '../securities/universe.js';
import { identicalRelation, WASH_WINDOW_DAYS } from '../ledger/washSales.js';
import type { HouseholdState, TradeRecord } from './state.js';

export type BuyBlock =
  | { readonly kind: 'recent_loss_sale'; readonly symbol: Symbol; readonly date: Day; readonly account: AccountId }
  | { readonly kind: 'loss_sale_today'; readonly symbol: Symbol; readonly account: AccountId }
  | { readonly kind: 'locked_by_account'; readonly account: AccountId; readonly until: Day };

export type SellBlock =
  | { readonly kind: 'recent_purchase'; readonly lot: Lot }
  | { readonly kind: 'bought_today'; readonly symbol: Symbol; readonly account: AccountId }
  | { readonly kind: 'locked_by_account'; readonly account: AccountId; readonly until: Day };

export class WashGuard {
  private readonly identity: Identity;
  private readonly taxable: ReadonlySet<string>;
  private readonly window: Day;
  private readonly soldAtLossToday: { symbol: Symbol; account: AccountId }[] = [];
  private readonly boughtToday: { symbol: Symbol; account: AccountId }[] = [];
  private readonly tradedToday: { symbol: Symbol; account: AccountId }[] = [];

  constructor(
    private readonly state: HouseholdState,
    universe: Universe,
    private readonly date: Day,
    private readonly lockAcrossAccounts: boolean,
  ) {
    this.identity = identityOf(universe, state.household);
    this.taxable = this.identity.taxable;
    this.window = addDays(date, -WASH_WINDOW_DAYS);
    // An approved buy not yet filled will be a purchase within days: treated as bought today.
    for (const t of state.trades) if (t.pending === true && t.side === 'buy') this.boughtToday.push({ symbol: t.symbol, account: t.account });
  }

  /**
   * Substantially identical on `day` (the decision date unless said otherwise): the household's
   * policy joined with the universe's funds on one index that day. Against an earlier loss sale
   * identity is judged on the sale's date, as the wash-sale engine judges it.
   */
  same(a: Symbol, b: Symbol, day: Day = this.date): boolean {
    return a === b || this.identity.same(a, b, day);
  }

  /**
   * Why `lots` (all of one symbol and account) may not be sold today, if they may not. Only a sale
   * at a loss can be washed. The cross-account lock-out applies unless `respectLock` is false
   * (withdrawals: a client's cash is not refused for a rule that only simplifies wash avoidance).
   */
  sellBlock(account: AccountId, symbol: Symbol, lots: readonly Lot[], atLoss = true, respectLock = true): SellBlock | undefined {
    const lock = respectLock ? this.lockHolder(account, symbol) : undefined;
    if (!atLoss) return lock ? { kind: 'locked_by_account', account: lock.account, until: lock.until } : undefined;
    const selling = new Set(lots);
    const origins = new Set(lots.map((l) => l.origin));
    for (const l of this.recentPurchases()) {
      if (selling.has(l) || origins.has(l.origin)) continue;
      if (this.same(l.symbol, symbol)) return { kind: 'recent_purchase', lot: l };
    }
    const bought = this.boughtToday.find((b) => this.same(b.symbol, symbol));
    if (bought) return { kind: 'bought_today', symbol: bought.symbol, account: bought.account };
    return lock ? { kind: 'locked_by_account', account: lock.account, until: lock.until } : undefined;
  }

  /** Why `symbol` may not be bought in `account` today, if it may not. */
  buyBlock(account: AccountId, symbol: Symbol): BuyBlock | undefined {
    const today = this.soldAtLossToday.find((s) => this.same(s.symbol, symbol));
    if (today) return { kind: 'loss_sale_today', symbol: today.symbol, account: today.account };
    const recent = this.recentTrades().find((t) => t.lossSale && this.same(t.symbol, symbol, t.date));
    if (recent) return { kind: 'recent_loss_sale', symbol: recent.symbol, date: recent.date, account: recent.account };
    const lock = this.lockHolder(account, symbol);
    return lock ? { kind: 'locked_by_account', account: lock.account, until: lock.until } : undefined;
  }

  /** Records today's planned trades so later decisions of the same day respect them. */
  noteSale(account: AccountId, symbol: Symbol, atLoss: boolean): void {
    if (atLoss && this.taxable.has(account)) this.soldAtLossToday.push({ symbol, account });
    this.tradedToday.push({ symbol, account });
  }

  noteBuy(account: AccountId, symbol: Symbol): void {
    this.boughtToday.push({ symbol, account });
    this.tradedToday.push({ symbol, account });
  }

  /** Days until each of `symbols`' class is free to buy again (0 = free now), for the lock model. */
  daysUntilBuyable(symbol: Symbol): number {
    if (this.soldAtLossToday.some((s) => this.same(s.symbol, symbol))) return WASH_WINDOW_DAYS + 1;
    let last = -Infinity;
    for (const t of this.recentTrades()) if (t.lossSale && this.same(t.symbol, symbol, t.date) && t.date > last) last = t.date;
    return last === -Infinity ? 0 : last + WASH_WINDOW_DAYS + 1 - this.date;
  }

  private recent: readonly Lot[] | undefined;

  /** Open lots bought in the last 30 days that can still be a replacement (in acquisition order). */
  private recentPurchases(): readonly Lot[] {
    this.recent ??= this.state.lots.filter((l) => l.acquired >= this.window && l.purchase && !l.replacement);
    return this.recent;
  }

  private recentTrades(): readonly TradeRecord[] {
    return this.state.trades;
  }

  /** The paper's lock-out: the first taxable account to trade a class in 30 days holds it. */
  private lockHolder(account: AccountId, symbol: Symbol): { account: AccountId; until: Day } | undefined {
    if (!this.lockAcrossAccounts) return undefined;
    let first: TradeRecord | undefined;
    for (const t of this.state.trades) {
      if (!this.taxable.has(t.account) || !this.same(t.symbol, symbol, t.date)) continue;
      if (first === undefined || t.date < first.date) first = t;
    }
    if (first !== undefined) {
      return first.account === account ? undefined : { account: first.account, until: addDays(first.date, WASH_WINDOW_DAYS) };
    }
    const today = this.tradedToday.find((t) => this.taxable.has(t.account) && this.same(t.symbol, symbol));
    return today === undefined || today.account === account ? undefined : { account: today.account, until: addDays(this.date, WASH_WINDOW_DAYS) };
  }
}

/**
 * Who is identical to whom, on any day, for a universe and a household: the universe's funds get
 * small integer ids, and since identity changes only where an index or a dated period starts or
 * ends, it is worked out once per stretch between such days ("epoch") as a matrix of pairs.
 * Symbols outside the universe fall back to the household's own policy.
 */
interface Identity {
  readonly taxable: ReadonlySet<string>;
  same(a: Symbol, b: Symbol, day: Day): boolean;
}

type Same = (a: Symbol, b: Symbol, day: Day) => boolean;

/**
 * Identity depends on the universe and the household's policy (groups, periods, and CUSIPs when
 * it matches them), not on who the household is: households with one policy share the matrices,
 * so a daily run over many households builds them once.
 */
const identities = new WeakMap<Universe, Map<string, Same>>();

/** The last identity worked out for a household object (a backtest asks for one household's every day). */
const householdIdentities = new WeakMap<Household, { readonly universe: Universe; readonly identity: Identity }>();

function identityOf(universe: Universe, household: Household): Identity {
  const known = householdIdentities.get(household);
  if (known !== undefined && known.universe === universe) return known.identity;
  const identity = { taxable: taxableAccounts(household), same: sameFor(universe, household) };
  householdIdentities.set(household, { universe, identity });
  return identity;
}

function sameFor(universe: Universe, household: Household): Same {
  let byPolicy = identities.get(universe);
  if (byPolicy === undefined) identities.set(universe, (byPolicy = new Map()));
  const policy = household.settings.substantiallyIdentical;
  const key = canonicalJson({ policy, cusips: policy.matchCusip ? household.securities.map((s) => [s.symbol, s.cusip ?? null]) : [] });
  let same = byPolicy.get(key);
  if (same === undefined) {
    same = buildIdentity(universe, household);
    byPolicy.set(key, same);
  }
  return same;
}

function buildIdentity(universe: Universe, household: Household): Same {
  const householdSame = identicalRelation(household);
  const securities = universe.classes.flatMap((c) => c.securities);
  const ids = new Map<Symbol, number>(securities.map((s, i) => [s.symbol, i]));
  const starts = new Set<number>();
  for (const s of securities) for (const f of s.formerIndexes) starts.add(f.until + 1);
  const policy = household.settings.substantiallyIdentical;
  for (const p of policy.periods ?? []) {
    if (p.from !== undefined) starts.add(p.from);
    if (p.until !== undefined) starts.add(p.until + 1);
  }
  const breaks = [...starts].sort((x, y) => x - y);
  const n = securities.length;
  const matrixAt = (day: Day): Uint8Array => {
    const m = new Uint8Array(n * n);
    securities.forEach((a, i) =>
      securities.forEach((b, j) => {
        m[i * n + j] = i === j || householdSame(a.symbol, b.symbol, day) || substantiallyIdentical(a, b, day) ? 1 : 0;
      }),
    );
    return m;
  };
  // Epoch k covers [breaks[k-1], breaks[k]); epoch 0 everything before the first break.
  const epochs = [matrixAt(((breaks[0] ?? 0) - 1) as Day), ...breaks.map((b) => matrixAt(b as Day))];
  const epochOf = (day: number): number => {
    let k = 0;
    while (k < breaks.length && day >= (breaks[k] as number)) k++;
    return k;
  };
  return (a, b, day) => {
    const ia = ids.get(a);
    const ib = ids.get(b);
    if (ia === undefined || ib === undefined) return householdSame(a, b, day);
    return (epochs[epochOf(day)] as Uint8Array)[ia * n + ib] === 1;
  };
}
