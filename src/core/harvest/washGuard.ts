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
 *
 * Every question is answered by a lookup, not by comparing the symbol with each trade: the day's
 * trades, loss sales and recent purchases are filed once by identity class (byClass.ts), so a
 * decision over hundreds of stocks against hundreds of trades stays linear.
 */
import { addDays, type Day } from '../kernel/calendar.js';
import { canonicalJson } from '../kernel/canonicalJson.js';
import { taxableAccounts, type AccountId, type Household, type Symbol } from '../ledger/household.js';
import type { Lot } from '../ledger/lots.js';
import { substantiallyIdentical, type Universe } from '../securities/universe.js';
import { identicalKey, washWindow, WASH_WINDOW_DAYS } from '../ledger/washSales.js';
import type { HouseholdState, TradeRecord } from './state.js';
import { ByClass, type Classes } from './byClass.js';

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
  private readonly soldAtLossToday: ByClass<{ symbol: Symbol; account: AccountId }>;
  private readonly boughtToday: ByClass<{ symbol: Symbol; account: AccountId }>;
  /** Today's trades in taxable accounts (the lock-out's candidates when the window has none). */
  private readonly taxableToday: ByClass<AccountId>;

  constructor(
    private readonly state: HouseholdState,
    universe: Universe,
    private readonly date: Day,
    private readonly lockAcrossAccounts: boolean,
  ) {
    this.identity = identityOf(universe, state.household);
    this.taxable = this.identity.taxable;
    this.window = washWindow(date).from;
    this.soldAtLossToday = new ByClass(this.identity.classes);
    this.boughtToday = new ByClass(this.identity.classes);
    this.taxableToday = new ByClass(this.identity.classes);
    // An approved buy not yet filled will be a purchase within days: treated as bought today.
    for (const t of state.trades) if (t.pending === true && t.side === 'buy') this.boughtToday.add(t.symbol, date, { symbol: t.symbol, account: t.account });
  }

  /**
   * Substantially identical on `day` (the decision date unless said otherwise): the household's
   * policy joined with the universe's funds on one index that day. Against an earlier loss sale
   * identity is judged on the sale's date, as the wash-sale engine judges it.
   */
  same(a: Symbol, b: Symbol, day: Day = this.date): boolean {
    return this.identity.classes.same(a, b, day);
  }

  /** Whether a symbol is identical today to any of `symbols`, answered by lookup (many symbols asked against many). */
  identicalToAny(symbols: Iterable<Symbol>): (symbol: Symbol) => boolean {
    const filed = new ByClass<true>(this.identity.classes);
    for (const s of symbols) filed.add(s, this.date, true);
    return (symbol) => filed.first(symbol) !== undefined;
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
    // Another part of one purchase (split by a transfer) is not a replacement for a loss on that
    // purchase's shares, but it is for any other lot of the sale: only a sale of parts of a single
    // purchase leaves the rest of it alone.
    const origin = lots.every((l) => l.origin === lots[0]?.origin) ? lots[0]?.origin : undefined;
    const replacement = this.recentPurchases().first(symbol, (l) => !selling.has(l) && l.origin !== origin);
    if (replacement !== undefined) return { kind: 'recent_purchase', lot: replacement };
    const bought = this.boughtToday.first(symbol);
    if (bought) return { kind: 'bought_today', symbol: bought.symbol, account: bought.account };
    return lock ? { kind: 'locked_by_account', account: lock.account, until: lock.until } : undefined;
  }

  /** Why `symbol` may not be bought in `account` today, if it may not. */
  buyBlock(account: AccountId, symbol: Symbol): BuyBlock | undefined {
    const today = this.soldAtLossToday.first(symbol);
    if (today) return { kind: 'loss_sale_today', symbol: today.symbol, account: today.account };
    const recent = this.lossSales().first(symbol);
    if (recent) return { kind: 'recent_loss_sale', symbol: recent.symbol, date: recent.date, account: recent.account };
    const lock = this.lockHolder(account, symbol);
    return lock ? { kind: 'locked_by_account', account: lock.account, until: lock.until } : undefined;
  }

  /** Records today's planned trades so later decisions of the same day respect them. */
  noteSale(account: AccountId, symbol: Symbol, atLoss: boolean): void {
    if (atLoss && this.taxable.has(account)) this.soldAtLossToday.add(symbol, this.date, { symbol, account });
    this.tradedToday(account, symbol);
  }

  noteBuy(account: AccountId, symbol: Symbol): void {
    this.boughtToday.add(symbol, this.date, { symbol, account });
    this.tradedToday(account, symbol);
  }

  private tradedToday(account: AccountId, symbol: Symbol): void {
    if (this.taxable.has(account)) this.taxableToday.add(symbol, this.date, account);
  }

  /** Days until each of `symbols`' class is free to buy again (0 = free now), for the lock model. */
  daysUntilBuyable(symbol: Symbol): number {
    if (this.soldAtLossToday.first(symbol) !== undefined) return WASH_WINDOW_DAYS + 1;
    let last = -Infinity;
    this.lossSales().each(symbol, (t) => {
      if (t.date > last) last = t.date;
    });
    return last === -Infinity ? 0 : last + WASH_WINDOW_DAYS + 1 - this.date;
  }

  private recent: ByClass<Lot> | undefined;

  /** Open lots bought in the last 30 days that can still be a replacement (in acquisition order). */
  private recentPurchases(): ByClass<Lot> {
    if (this.recent === undefined) {
      this.recent = new ByClass(this.identity.classes);
      for (const l of this.state.lots) if (l.acquired >= this.window && l.purchase && !l.replacement) this.recent.add(l.symbol, this.date, l);
    }
    return this.recent;
  }

  private losses: ByClass<TradeRecord> | undefined;

  /** The window's loss sales, each filed by its class on its own date. */
  private lossSales(): ByClass<TradeRecord> {
    if (this.losses === undefined) {
      this.losses = new ByClass(this.identity.classes);
      for (const t of this.state.trades) if (t.lossSale) this.losses.add(t.symbol, t.date, t);
    }
    return this.losses;
  }

  private taxableWindow: ByClass<TradeRecord> | undefined;

  /** The window's trades in taxable accounts, each filed by its class on its own date. */
  private taxableTrades(): ByClass<TradeRecord> {
    if (this.taxableWindow === undefined) {
      this.taxableWindow = new ByClass(this.identity.classes);
      for (const t of this.state.trades) if (this.taxable.has(t.account)) this.taxableWindow.add(t.symbol, t.date, t);
    }
    return this.taxableWindow;
  }

  /** The paper's lock-out: the first taxable account to trade a class in 30 days holds it. */
  private lockHolder(account: AccountId, symbol: Symbol): { account: AccountId; until: Day } | undefined {
    if (!this.lockAcrossAccounts) return undefined;
    let first: TradeRecord | undefined;
    this.taxableTrades().each(symbol, (t) => {
      if (first === undefined || t.date < first.date) first = t;
    });
    if (first !== undefined) {
      return first.account === account ? undefined : { account: first.account, until: addDays(first.date, WASH_WINDOW_DAYS) };
    }
    const today = this.taxableToday.first(symbol);
    return today === undefined || today === account ? undefined : { account: today, until: addDays(this.date, WASH_WINDOW_DAYS) };
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
  readonly classes: Classes;
}

/**
 * Identity depends on the universe and the household's policy (groups, periods, and CUSIPs when
 * it matches them), not on who the household is: households with one policy share the matrices,
 * so a daily run over many households builds them once.
 */
const identities = new WeakMap<Universe, Map<string, Classes>>();

/** The last identity worked out for a household object (a backtest asks for one household's every day). */
const householdIdentities = new WeakMap<Household, { readonly universe: Universe; readonly identity: Identity }>();

function identityOf(universe: Universe, household: Household): Identity {
  const known = householdIdentities.get(household);
  if (known !== undefined && known.universe === universe) return known.identity;
  const identity = { taxable: taxableAccounts(household), classes: classesFor(universe, household) };
  householdIdentities.set(household, { universe, identity });
  return identity;
}

function classesFor(universe: Universe, household: Household): Classes {
  let byPolicy = identities.get(universe);
  if (byPolicy === undefined) identities.set(universe, (byPolicy = new Map()));
  const policy = household.settings.substantiallyIdentical;
  const key = canonicalJson({ policy, cusips: policy.matchCusip ? household.securities.map((s) => [s.symbol, s.cusip ?? null]) : [] });
  let classes = byPolicy.get(key);
  if (classes === undefined) {
    classes = buildIdentity(universe, household);
    byPolicy.set(key, classes);
  }
  return classes;
}

function buildIdentity(universe: Universe, household: Household): Classes {
  const householdKey = identicalKey(household);
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
  const householdSame = (a: Symbol, b: Symbol, day: Day): boolean => householdKey(a, day) === householdKey(b, day);
  const matrixAt = (day: Day): Uint8Array => {
    const m = new Uint8Array(n * n);
    securities.forEach((a, i) =>
      securities.forEach((b, j) => {
        m[i * n + j] = householdSame(a.symbol, b.symbol, day) || substantiallyIdentical(a, b, day) ? 1 : 0;
      }),
    );
    return m;
  };
  // Epoch k covers [breaks[k-1], breaks[k]); epoch 0 everything before the first break.
  const firstDayOf = (k: number): Day => (k === 0 ? ((breaks[0] ?? 0) - 1) : (breaks[k - 1] as number)) as Day;
  const epochs = [matrixAt(firstDayOf(0)), ...breaks.map((b) => matrixAt(b as Day))];
  const epochOf = (day: number): number => {
    let k = 0;
    while (day >= (breaks[k] ?? Infinity)) k++;
    return k;
  };
  // Periods start and end only on breaks, so a key holds for its whole epoch.
  const keys = new Map<number, Map<Symbol, string>>();
  const key = (symbol: Symbol, epoch: number, day: Day = firstDayOf(epoch)): string => {
    let byEpoch = keys.get(epoch);
    if (byEpoch === undefined) keys.set(epoch, (byEpoch = new Map()));
    let k = byEpoch.get(symbol);
    if (k === undefined) byEpoch.set(symbol, (k = householdKey(symbol, day)));
    return k;
  };
  return {
    epochOf,
    key,
    isFund: (symbol) => ids.has(symbol),
    same: (a, b, day) => {
      const ia = ids.get(a);
      const ib = ids.get(b);
      if (ia === undefined || ib === undefined) return key(a, epochOf(day), day) === key(b, epochOf(day), day);
      return (epochs[epochOf(day)] as Uint8Array)[ia * n + ib] === 1;
    },
  };
}
