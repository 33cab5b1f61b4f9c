/**
 * The working state of one decision: prices of the day, what each account holds and will hold
 * after the orders planned so far, cash, the wash guard, and the explanations. Phases (harvest,
 * switch-back, withdrawals, cash, rebalancing) add orders to it in turn; `decide` returns what it
 * collected. It lives for one call of `decide` only.
 */
import type { Day } from '../kernel/calendar.js';
import { exact, prorate, usdOf, type Price, type Shares, type Usd } from '../kernel/exact.js';
import { termOf } from '../ledger/holdingPeriod.js';
import { taxableAccounts, type Account, type AccountId, type Symbol } from '../ledger/household.js';
import type { Lot } from '../ledger/lots.js';
import { lossContext, lossValue, marginalLossValue } from '../tax/lossValue.js';
import { alternatesFor, fundIndex, type AssetClass, type FundEntry, type Universe, type UniverseSecurity } from '../securities/universe.js';
import { fillMargin, type HarvestConfig, type MarketView } from './config.js';
import type { CostInputs, LossPricer } from './economics.js';
import type { StoppingTables } from './stopping/opportunityCost.js';
import type { BuyOrder, LotSale, Order, Rule, SellOrder } from './orders.js';
import type { HouseholdState } from './state.js';
import { WashGuard } from './washGuard.js';
import { WASH_WINDOW_DAYS } from '../ledger/washSales.js';
import type { Candidate } from './proposals.js';

export class DayPlan {
  readonly guard: WashGuard;
  readonly sells: SellOrder[] = [];
  readonly buys: BuyOrder[] = [];
  readonly candidates: Candidate[] = [];
  readonly notes: string[] = [];
  /** The day's exact prices, shared by every plan made on the same market view. */
  private readonly prices: Map<Symbol, Price | typeof NO_PRICE>;
  private readonly securities: ReadonlyMap<Symbol, FundEntry>;
  private readonly taxableSet: ReadonlySet<string>;
  private readonly alternateCache = new Map<Symbol, readonly UniverseSecurity[]>();
  private readonly cashLeft = new Map<AccountId, number>();
  /** Cents of an account's cash set aside today for its sleeve (sleevePart.ts). */
  private readonly sleeveClaims = new Map<AccountId, number>();
  /** Shares of each open lot planned for sale today. */
  private readonly sold = new Map<Lot, number>();
  private pricerCache: LossPricer | undefined;
  private realizedShort = 0;
  private realizedLong = 0;
  private readonly realizedBy = new Map<AccountId, number>();

  constructor(
    readonly date: Day,
    readonly state: HouseholdState,
    readonly market: MarketView,
    readonly universe: Universe,
    readonly config: HarvestConfig,
    readonly tables: StoppingTables,
    /** Record why each candidate was or was not harvested (off in backtests, which need only orders). */
    readonly explain = true,
  ) {
    this.guard = new WashGuard(state, universe, date, config.lockAcrossAccounts);
    let prices = pricesByView.get(market);
    if (prices === undefined) pricesByView.set(market, (prices = new Map()));
    this.prices = prices;
    this.securities = fundIndex(universe);
    this.taxableSet = taxableAccounts(state.household);
    for (const a of state.household.accounts) this.cashLeft.set(a.id, state.cash.get(a.id) ?? 0);
  }

  get accounts(): readonly Account[] {
    return this.state.household.accounts;
  }

  taxable(account: AccountId): boolean {
    return this.taxableSet.has(account);
  }

  /** The day's close as an exact price, or undefined when there is none. */
  price(symbol: Symbol): Price | undefined {
    const known = this.prices.get(symbol);
    if (known !== undefined) return known === NO_PRICE ? undefined : known;
    const close = this.market.close(symbol);
    const p = close !== undefined && close > 0 ? exact('price', close) : undefined;
    const value = p?.ok ? p.value : undefined;
    this.prices.set(symbol, value ?? NO_PRICE);
    return value;
  }

  private readonly byPosition = new Map<AccountId, Map<Symbol, readonly Lot[]>>();

  /** The open lots of one security in one account, in acquisition order (found on first ask: a day asks for few). */
  position(account: AccountId, symbol: Symbol): readonly Lot[] {
    let bySymbol = this.byPosition.get(account);
    if (bySymbol === undefined) this.byPosition.set(account, (bySymbol = new Map()));
    let lots = bySymbol.get(symbol);
    if (lots === undefined) bySymbol.set(symbol, (lots = this.state.lots.filter((l) => l.account === account && l.symbol === symbol)));
    return lots;
  }

  /** The symbol's alternates on the decision date that have a price today, in order. */
  alternates(symbol: Symbol): readonly UniverseSecurity[] {
    let found = this.alternateCache.get(symbol);
    if (found === undefined) {
      found = alternatesFor(this.universe, symbol, this.date).filter((a) => this.price(a.symbol) !== undefined);
      this.alternateCache.set(symbol, found);
    }
    return found;
  }

  classOf(symbol: Symbol): AssetClass | undefined {
    return this.securities.get(symbol)?.cls;
  }

  security(symbol: Symbol): UniverseSecurity | undefined {
    return this.securities.get(symbol)?.security;
  }

  halfSpreadBps(symbol: Symbol): number {
    return this.config.halfSpreadBps.get(symbol) ?? this.security(symbol)?.halfSpreadBps ?? 5;
  }

  costs(sell: Symbol, buy: Symbol | undefined): CostInputs {
    return {
      sellHalfSpreadBps: this.halfSpreadBps(sell),
      buyHalfSpreadBps: buy === undefined ? this.halfSpreadBps(sell) : this.halfSpreadBps(buy),
      commission: this.config.commission,
    };
  }

  /**
   * Whether selling `shares` of `lot` today could realize a loss: proceeds a full spread (and the
   * move the price may make before a delayed fill, `fillMargin`) below the close, less the
   * commission, under the basis. Fills are not known in advance, so a sale this close to its basis
   * is treated as a loss sale by the wash guard (it must not follow a purchase of its class, and
   * blocks purchases after it).
   */
  couldLose(lot: Lot, shares: number): boolean {
    const price = this.price(lot.symbol);
    if (price === undefined) return true;
    const margin = fillMargin(this.config, this.classOf(lot.symbol)?.volatility.value ?? 0.2);
    const worst = usdOf(shares as Shares, price) * (1 - this.halfSpreadBps(lot.symbol) / 5_000 - margin) - this.config.commission;
    return worst < prorate(lot.basis, shares, lot.shares);
  }

  /** Prices a loss with this year's gains and the harvests already planned today. */
  pricer(): LossPricer {
    if (this.pricerCache !== undefined) return this.pricerCache;
    const t = this.state.tax;
    const realized = t.profile.realized ?? { shortTerm: 0 as Usd, longTerm: 0 as Usd };
    const profile = {
      ...t.profile,
      realized: { shortTerm: (realized.shortTerm + this.realizedShort) as Usd, longTerm: (realized.longTerm + this.realizedLong) as Usd },
    };
    const ctx = lossContext(t.table, profile, t.rates, this.config.lossValue);
    this.pricerCache = { value: (loss, term) => lossValue(ctx, loss, term), marginal: marginalLossValue(ctx) };
    return this.pricerCache;
  }

  /** Net gain the taxable sales planned so far today realize, by term (cents, signed). */
  realizedToday(): { readonly shortTerm: number; readonly longTerm: number } {
    return { shortTerm: this.realizedShort, longTerm: this.realizedLong };
  }

  /** Net gain the taxable sales planned so far today realize in one account (cents, signed). */
  realizedTodayIn(account: AccountId): number {
    return this.realizedBy.get(account) ?? 0;
  }

  private held: { readonly sells: number; readonly byAccount: Map<AccountId, Map<Symbol, number>> } | undefined;

  /** Shares per security an account still holds after the sales planned so far. */
  heldShares(account: AccountId): ReadonlyMap<Symbol, number> {
    const given = this.sells.length === 0 ? this.state.held?.get(account) : undefined;
    if (given !== undefined) return given;
    if (this.held === undefined || this.held.sells !== this.sells.length) {
      // Summed in boxes (one lookup a lot), then unboxed in the same order.
      const boxes = new Map<AccountId, Map<Symbol, { shares: number }>>();
      let account: AccountId | undefined;
      let m: Map<Symbol, { shares: number }> | undefined;
      for (const lot of this.state.lots) {
        const left = this.available(lot);
        if (left <= 0) continue;
        if (lot.account !== account || m === undefined) {
          account = lot.account;
          m = boxes.get(account);
          if (m === undefined) boxes.set(account, (m = new Map()));
        }
        const held = m.get(lot.symbol);
        if (held === undefined) m.set(lot.symbol, { shares: left });
        else held.shares += left;
      }
      const byAccount = new Map<AccountId, Map<Symbol, number>>();
      for (const [id, symbols] of boxes) byAccount.set(id, new Map([...symbols].map(([symbol, { shares }]) => [symbol, shares])));
      this.held = { sells: this.sells.length, byAccount };
    }
    return this.held.byAccount.get(account) ?? EMPTY_HOLDINGS;
  }

  /** Open lots not yet fully planned for sale, with the shares still available. */
  available(lot: Lot): number {
    return lot.shares - (this.sold.get(lot) ?? 0);
  }

  cash(account: AccountId): Usd {
    return (this.cashLeft.get(account) ?? 0) as Usd;
  }

  withdraw(account: AccountId, amount: Usd): void {
    this.cashLeft.set(account, this.cash(account) - amount);
    // A withdrawal paid from the sleeve's set-aside cash leaves it less to place.
    const claim = this.sleeveClaims.get(account);
    if (claim !== undefined) this.sleeveClaims.set(account, Math.min(claim, Math.max(0, this.cash(account))));
  }

  /**
   * Cash of an account that holds both ETF classes and a sleeve, set aside today for the sleeve
   * (the proceeds of its own sales, its share of the account's cash), capped by the account's cash.
   */
  sleeveCash(account: AccountId): Usd {
    return Math.max(0, Math.min(this.sleeveClaims.get(account) ?? 0, this.cash(account))) as Usd;
  }

  /** Sets `cents` more (negative: less) of the account's cash aside for its sleeve. */
  claimForSleeve(account: AccountId, cents: number): void {
    this.sleeveClaims.set(account, Math.max(0, (this.sleeveClaims.get(account) ?? 0) + cents));
  }

  /**
   * Plans a sale of the given lot shares at today's close; returns the proceeds. The order names
   * its lots most recently acquired first: a custodian that fills it in parts then sells a recent
   * purchase before the older lot whose loss it would otherwise wash (buy-buy-sell).
   */
  sell(account: AccountId, symbol: Symbol, lots: readonly { lot: Lot; shares: number }[], rule: Rule): Usd {
    const price = this.price(symbol) as Price;
    let shares = 0;
    let proceeds = 0;
    let couldLose = false;
    const sales: LotSale[] = [];
    const newestFirst = [...lots].sort((a, b) => b.lot.acquired - a.lot.acquired || b.lot.seq - a.lot.seq);
    for (const { lot, shares: n } of newestFirst) {
      couldLose ||= this.couldLose(lot, n);
      this.sold.set(lot, (this.sold.get(lot) ?? 0) + n);
      shares += n;
      const value = usdOf(n as Shares, price);
      const basis = prorate(lot.basis, n, lot.shares);
      proceeds += value;
      if (this.taxable(account)) {
        if (termOf(lot.heldFrom, this.date) === 'short') this.realizedShort += value - basis;
        else this.realizedLong += value - basis;
        this.realizedBy.set(account, (this.realizedBy.get(account) ?? 0) + value - basis);
      }
      sales.push({ lotId: lot.id, shares: n as Shares });
    }
    this.pricerCache = undefined;
    const windowStart = this.date - WASH_WINDOW_DAYS;
    const recent = lots.filter(({ lot }) => lot.acquired >= windowStart).length;
    this.sells.push({ side: 'sell', account, symbol, shares: shares as Shares, lots: sales, price, rule, ...(recent >= 2 ? { allOrNone: true as const } : {}) });
    this.guard.noteSale(account, symbol, couldLose);
    this.cashLeft.set(account, this.cash(account) + proceeds);
    return proceeds as Usd;
  }

  /** Plans a purchase of up to `amount` dollars at today's close; returns what it spends. */
  buy(account: AccountId, symbol: Symbol, amount: Usd, rule: Rule, sharesFor: (a: Usd, p: Price) => Shares): Usd {
    const price = this.price(symbol);
    if (price === undefined || amount <= 0) return 0 as Usd;
    const shares = sharesFor(amount, price);
    if (shares <= 0) return 0 as Usd;
    const spent = usdOf(shares, price);
    this.buys.push({ side: 'buy', account, symbol, shares, amount: spent, price, rule });
    this.guard.noteBuy(account, symbol);
    this.cashLeft.set(account, this.cash(account) - spent);
    return spent;
  }

  /** Sells, then buys with one order per account, security and rule. */
  orders(): Order[] {
    const merged = new Map<string, BuyOrder>();
    for (const b of this.buys) {
      const key = `${b.account}\u0000${b.symbol}\u0000${b.rule}`;
      const m = merged.get(key);
      merged.set(key, m === undefined ? b : { ...m, shares: (m.shares + b.shares) as Shares, amount: (m.amount + b.amount) as Usd });
    }
    return [...this.sells, ...merged.values()];
  }
}

const EMPTY_HOLDINGS: ReadonlyMap<Symbol, number> = new Map();

/** Marks a symbol without a price today in the price cache. */
const NO_PRICE = -1;

/**
 * Exact prices by market view: a view is one day's closes and never changes, so the many plans a
 * backtest or a daily run makes on one view convert each close to an exact price once.
 */
const pricesByView = new WeakMap<MarketView, Map<Symbol, Price | typeof NO_PRICE>>();
