/**
 * The direct-index sleeve: one taxable or retirement account holding stocks of an index, managed by
 * the daily policy beside the ETF classes (harvest/sleeve.ts). Per day:
 *
 *  1. harvest: every lot at a loss is priced by the same cost-benefit test as an ETF lot
 *     (economics.ts: the household's loss value against the round-trip spread and the
 *     optimal-stopping opportunity cost), with the stock's own volatility from the risk model and
 *     its own spread. Stocks that passed are sold (specific lots) if the household wash guard
 *     allows the loss sale. The replacement is a re-optimization of the remaining names: the
 *     proceeds (and any cash) buy, long only and without selling anything else, the weights that
 *     minimize ex-ante tracking error, with every stock the guard blocks held fixed (the stocks
 *     just sold and their issuer's other share classes among them). If the result breaks the
 *     tracking-error budget, the least valuable harvest is dropped and the rest re-tried.
 *  2. invest (after withdrawals are raised by the policy's tax-aware rule): the cash left buys the
 *     names the same optimization finds most underweight, among those the guard allows.
 *
 * Stocks that left the index (not in today's risk model) are harvested when at a loss like any
 * other lot and otherwise kept: they hold no weight in the model's tracking error, and are sold
 * by withdrawals first when at a loss.
 *
 * Every harvest day adds a report: tracking error before, with the sales alone, and after the
 * replacement, so a user sees what each harvest did to risk.
 *
 * With a transition configured (transition.ts), each day's harvests are followed by sales of the
 * overweight positions within the account's yearly realized-gain budget (room left for what the
 * day's withdrawal will realize), placed by the same re-optimization.
 *
 * In an account that also holds ETF classes (its targets weigh the sleeve as `direct_index`,
 * harvest/sleevePart.ts), the sleeve is the account's holdings outside those classes and the cash
 * set aside for it: the proceeds of its own sales and its share of the account's cash, split by
 * the policy's `investCash` before the sleeve's `invest`. Weights and tracking error are over the
 * sleeve alone; the ETF holdings and the rest of the cash are the ETF classes'.
 */
import { format, usdOf, type Price, type Shares, type Usd } from '../kernel/exact.js';
import { formatDay, type Day } from '../kernel/calendar.js';
import type { AccountId, Symbol } from '../ledger/household.js';
import type { Lot } from '../ledger/lots.js';
import { kappa, lotEconomics, type CostInputs, type Economics } from '../harvest/economics.js';
import { sharesFor, type Rule } from '../harvest/orders.js';
import { lossFloor, worthHarvesting } from '../harvest/rule.js';
import type { DayPlan } from '../harvest/plan.js';
import type { Sleeve } from '../harvest/sleeve.js';
import { inSleeve, mixedAccount, sleeveCash } from '../harvest/sleevePart.js';
import { lockState, type StoppingTable } from '../harvest/stopping/opportunityCost.js';
import { buildPortfolio, optimize, reachable, type Built, type ConstructionConfig, type Optimized } from './construction.js';
import { sectorOf, type IndexUniverse } from './indexUniverse.js';
import { PlacementMemo } from './placementMemo.js';
import type { QpSolver } from './qp.js';
import { trackingError, volatility, type RiskModel } from './riskModel.js';
import { Transition, type TransitionConfig, type TransitionHost } from './transition.js';

export interface DirectConfig {
  readonly construction: ConstructionConfig;
  /** Largest ex-ante tracking error a harvest may leave (annualized, 0.01 = 1 %/yr). */
  readonly trackingErrorBudget: number;
  /** Half the bid-ask spread of a stock, in basis points (large caps: 1-3 bp). */
  readonly halfSpreadBps: number;
  readonly halfSpreadOverrides?: ReadonlyMap<Symbol, number>;
  /** Expected annual return of a stock, for the stopping model's drift. */
  readonly expectedReturn: number;
  /** Purchases below this are not placed (cash stays for the next day). */
  readonly minTrade: Usd;
  /** Move a concentrated or legacy account into the index under a yearly realized-gain budget. */
  readonly transition?: TransitionConfig;
}

export const DEFAULT_DIRECT: DirectConfig = {
  construction: { maxWeight: 0.05, maxSectorWeight: 0.35 },
  trackingErrorBudget: 0.01,
  halfSpreadBps: 2,
  expectedReturn: 0.07,
  minTrade: 5_000 as Usd,
};

/**
 * Volatilities are rounded to this step, within [SIGMA_STEP, MAX_SIGMA], so stocks share stopping
 * tables (solving one takes a few hundred milliseconds): at most 16 per household rate.
 */
const SIGMA_STEP = 0.05;
const MAX_SIGMA = 0.8;
const DEFAULT_SIGMA = 0.3;
const NEVER_LOCKED = lockState(2, []);

export interface HarvestReport {
  readonly date: Day;
  readonly account: AccountId;
  readonly sold: readonly { readonly symbol: Symbol; readonly loss: Usd; readonly benefit: Usd }[];
  /** Ex-ante tracking error of the sleeve before the day's trades, after the sales, after the replacement. */
  readonly trackingError: { readonly before: number; readonly afterSales: number; readonly after: number };
  readonly budget: number;
}

interface Group {
  readonly symbol: Symbol;
  readonly lots: Lot[];
  net: number;
  benefit: number;
  loss: number;
}

interface DayWork {
  /** Target weights of the model's names after today's purchases, and the cash they assumed. */
  readonly weights?: Float64Array;
  readonly cash: number;
  readonly rule: Rule;
  /** Names sold today that the placement must not buy back. */
  readonly fixed: ReadonlySet<Symbol>;
}

export interface DirectSleeveInit {
  readonly account: AccountId;
  readonly universe: IndexUniverse;
  readonly model: RiskModel;
  readonly solver: QpSolver;
  readonly config?: DirectConfig;
}

export class DirectSleeve implements Sleeve, TransitionHost {
  readonly account: AccountId;
  readonly universe: IndexUniverse;
  readonly solver: QpSolver;
  readonly config: DirectConfig;
  /** The risk model in force; the caller re-estimates it (e.g. monthly) with `useModel`. */
  model: RiskModel;
  readonly reports: HarvestReport[] = [];
  /** The transition's state and reports, when the config asks for one. */
  readonly transition: Transition | undefined;
  private readonly work = new WeakMap<DayPlan, DayWork>();
  private readonly placement: PlacementMemo;

  constructor(init: DirectSleeveInit) {
    this.account = init.account;
    this.universe = init.universe;
    this.model = init.model;
    this.solver = init.solver;
    this.config = init.config ?? DEFAULT_DIRECT;
    this.transition = this.config.transition === undefined ? undefined : new Transition(this.config.transition);
    this.placement = new PlacementMemo(init.account, this.config.minTrade);
  }

  /** The ETF phase leaves this account's stocks (not in the ETF universe) to the sleeve. */
  useModel(model: RiskModel): void {
    this.model = model;
  }

  halfSpreadBps(symbol: Symbol): number {
    return this.config.halfSpreadOverrides?.get(symbol) ?? this.config.halfSpreadBps;
  }

  /** Dollars held per stock of the sleeve after the sales planned so far, and the total with its cash. */
  private holdings(plan: DayPlan): { weights: Float64Array; value: number; cash: number } {
    const n = this.model.symbols.length;
    const weights = new Float64Array(n);
    let value = Math.max(0, sleeveCash(plan, this.account)) / 100;
    const cash = value;
    for (const [symbol, shares] of plan.heldShares(this.account)) {
      const price = plan.price(symbol);
      if (price === undefined || !inSleeve(plan, this.account, symbol)) continue;
      const dollars = usdOf(shares as Shares, price) / 100;
      value += dollars;
      const i = this.model.index.get(symbol);
      if (i !== undefined) weights[i] = (weights[i] as number) + dollars;
    }
    if (value > 0) for (let i = 0; i < n; i++) weights[i] = (weights[i] as number) / value;
    return { weights, value, cash };
  }

  harvest(plan: DayPlan): number {
    const benefit = this.harvestLosses(plan);
    this.transition?.run(plan, this);
    return benefit;
  }

  private harvestLosses(plan: DayPlan): number {
    if (!plan.taxable(this.account) || plan.config.trigger.kind === 'off') return 0;
    const before = this.holdings(plan);
    if (before.value <= 0) return 0;
    const groups = this.lossGroups(plan).sort((a, b) => b.net - a.net || (a.symbol < b.symbol ? -1 : 1));
    if (groups.length === 0) return 0;
    const teBefore = trackingError(this.model, before.weights);
    const ceiling = Math.max(this.config.trackingErrorBudget, teBefore);
    for (let take = groups.length; take > 0; take = take > 4 ? Math.floor(take / 2) : take - 1) {
      const chosen = groups.slice(0, take);
      const sold = new Set(chosen.map((g) => g.symbol));
      // A stock keeps the weight of its lots not at a loss (a position bought over years has both).
      const lower = new Float64Array(before.weights);
      for (const g of chosen) {
        const i = this.model.index.get(g.symbol);
        if (i !== undefined) lower[i] = Math.max(0, (lower[i] as number) - this.groupValue(plan, g) / before.value);
      }
      const reserve = (plan.state.withdrawals.get(this.account) ?? 0) / 100 / before.value;
      const result = this.place(plan, lower, sold, reserve);
      if (!result.ok || result.trackingError > ceiling + 1e-6) continue;
      let benefit = 0;
      for (const g of chosen) {
        plan.claimForSleeve(this.account, plan.sell(this.account, g.symbol, g.lots.map((lot) => ({ lot, shares: lot.shares })), 'harvest'));
        benefit += g.benefit;
      }
      this.work.set(plan, { weights: result.weights, cash: sleeveCash(plan, this.account), rule: 'harvest_replacement', fixed: sold });
      const report: HarvestReport = {
        date: plan.date,
        account: this.account,
        sold: chosen.map((g) => ({ symbol: g.symbol, loss: g.loss as Usd, benefit: g.benefit as Usd })),
        trackingError: { before: teBefore, afterSales: trackingError(this.model, lower), after: result.trackingError },
        budget: this.config.trackingErrorBudget,
      };
      this.reports.push(report);
      plan.notes.push(reportSentence(report, groups.length - take));
      return benefit;
    }
    plan.notes.push(`direct index ${this.account}: ${groups.length} stock(s) worth harvesting, but no replacement keeps tracking error within ${pct(ceiling)}`);
    return 0;
  }

  invest(plan: DayPlan): void {
    this.transition?.afterWithdrawals(plan, this.account);
    const cash = sleeveCash(plan, this.account);
    const done = this.work.get(plan);
    // Less than one smallest purchase buys nothing, and a placement of a sliver is a degenerate QP.
    if (done === undefined && (cash < plan.config.minCashToInvest || cash < this.config.minTrade)) return;
    if (done === undefined && this.placement.stands(plan, this.model, cash)) return;
    let weights = done?.weights;
    const now = this.holdings(plan);
    if (weights === undefined || done?.cash !== cash) {
      const result = this.place(plan, now.weights, done?.fixed ?? new Set(), 0);
      if (!result.ok) {
        plan.notes.push(`direct index ${this.account}: cash not invested: ${result.message}`);
        this.placement.remember(plan, this.model, cash);
        return;
      }
      weights = result.weights;
    }
    const rule: Rule = done?.rule ?? 'invest_cash';
    const min = this.config.minTrade;
    const order = [...weights.keys()].sort((a, b) => (weights[b] as number) - (now.weights[b] as number) - ((weights[a] as number) - (now.weights[a] as number)));
    for (const i of order) {
      const amount = Math.floor(((weights[i] as number) - (now.weights[i] as number)) * now.value * 100);
      if (amount < min) continue;
      const spend = Math.min(amount, sleeveCash(plan, this.account)) as Usd;
      if (spend < min) break;
      plan.claimForSleeve(this.account, -plan.buy(this.account, this.model.symbols[i] as Symbol, spend, rule, sharesFor));
    }
    this.placement.remember(plan, this.model, sleeveCash(plan, this.account));
  }

  get maxWeight(): number {
    return this.config.construction.maxWeight;
  }

  get minTrade(): Usd {
    return this.config.minTrade;
  }

  excluded(symbol: Symbol): boolean {
    const c = this.config.construction;
    const sector = sectorOf(this.universe, symbol);
    return (c.excludeSymbols ?? []).includes(symbol) || (sector !== undefined && (c.excludeSectors ?? []).includes(sector));
  }

  buildTarget(): Built {
    return buildPortfolio(this.model, this.config.construction, (s) => sectorOf(this.universe, s), this.solver);
  }

  owns(plan: DayPlan, symbol: Symbol): boolean {
    return inSleeve(plan, this.account, symbol);
  }

  cashOf(plan: DayPlan): number {
    return sleeveCash(plan, this.account);
  }

  heldWeights(plan: DayPlan): Float64Array {
    return this.holdings(plan).weights;
  }

  plannedWeights(plan: DayPlan): Float64Array {
    return this.work.get(plan)?.weights ?? this.holdings(plan).weights;
  }

  /** The transition's replacement: today's cash placed around today's holdings, `fixed` not bought. */
  replace(plan: DayPlan, fixed: ReadonlySet<Symbol>): Optimized {
    const now = this.holdings(plan);
    const done = this.work.get(plan);
    const all = new Set([...(done?.fixed ?? []), ...fixed]);
    const reserve = now.value > 0 ? (plan.state.withdrawals.get(this.account) ?? 0) / 100 / now.value : 0;
    const result = this.place(plan, now.weights, all, reserve);
    if (result.ok) this.work.set(plan, { weights: result.weights, cash: sleeveCash(plan, this.account), rule: done?.rule ?? 'rebalance', fixed: all });
    return result;
  }

  /**
   * Buy-only re-optimization: `lower` (today's weights, with the names to be sold at 0) as lower
   * bounds, stocks the guard blocks (the ones sold, their issuer's other share classes, recent loss
   * sales anywhere in the household), excluded ones and those without a price fixed, and every
   * dollar not in a model name invested except `reserve` (a withdrawal to be paid today) and the
   * value of stocks that left the index. A stock above the per-stock maximum keeps its weight
   * (never forced to sell).
   */
  private place(plan: DayPlan, lower: Float64Array, sold: ReadonlySet<Symbol>, reserve: number) {
    const n = this.model.symbols.length;
    const upper = new Float64Array(n);
    const c = this.config.construction;
    const excluded = new Set(c.excludeSymbols ?? []);
    const excludedSectors = new Set(c.excludeSectors ?? []);
    const soldClass = plan.guard.identicalToAny(sold);
    for (let i = 0; i < n; i++) {
      const s = this.model.symbols[i] as Symbol;
      const sector = sectorOf(this.universe, s);
      const blocked =
        soldClass(s) ||
        excluded.has(s) ||
        (sector !== undefined && excludedSectors.has(sector)) ||
        plan.price(s) === undefined ||
        plan.guard.buyBlock(this.account, s) !== undefined;
      upper[i] = blocked ? (lower[i] as number) : Math.max(lower[i] as number, c.maxWeight);
    }
    const wanted = Math.max(0, 1 - this.outsideModel(plan) - this.unpaid(plan, reserve));
    const input = {
      lower,
      upper,
      total: wanted,
      sectorOf: (s: Symbol) => sectorOf(this.universe, s),
      ...(c.maxSectorWeight !== undefined ? { maxSectorWeight: Math.max(c.maxSectorWeight, this.sectorPeak(lower)) } : {}),
      ...(c.sectorBounds !== undefined ? { sectorBounds: c.sectorBounds } : {}),
    };
    // What the blocked names cannot take stays cash until they are free again.
    const lowerSum = lower.reduce((a, b) => a + b, 0);
    const total = Math.max(lowerSum, Math.min(wanted, reachable(this.model, input) - 1e-9));
    return optimize(this.model, { ...input, total }, this.solver);
  }

  /**
   * The part of a withdrawal (a fraction of the sleeve) the sleeve's placement leaves in cash: all
   * of it in an account of its own; in a mixed one what the cash not set aside for the sleeve
   * cannot pay (the withdrawal takes that cash first).
   */
  private unpaid(plan: DayPlan, reserve: number): number {
    if (reserve <= 0 || !mixedAccount(plan, this.account)) return reserve;
    const value = this.holdings(plan).value;
    const free = Math.max(0, plan.cash(this.account) - plan.sleeveCash(this.account)) / 100;
    return value > 0 ? Math.max(0, reserve - free / value) : 0;
  }

  /** Value held in stocks outside the model (they left the index), as a fraction of the sleeve. */
  private outsideModel(plan: DayPlan): number {
    let outside = 0;
    let value = Math.max(0, sleeveCash(plan, this.account)) / 100;
    for (const [symbol, shares] of plan.heldShares(this.account)) {
      const price = plan.price(symbol);
      if (price === undefined || !inSleeve(plan, this.account, symbol)) continue;
      const dollars = usdOf(shares as Shares, price) / 100;
      value += dollars;
      if (!this.model.index.has(symbol)) outside += dollars;
    }
    return value > 0 ? outside / value : 0;
  }

  /** The heaviest sector already held: a sector cap below it would force a sale, so it yields. */
  private sectorPeak(weights: Float64Array): number {
    const by = new Map<string, number>();
    this.model.symbols.forEach((s, i) => {
      const sector = sectorOf(this.universe, s);
      if (sector !== undefined) by.set(sector, (by.get(sector) ?? 0) + (weights[i] as number));
    });
    return Math.max(0, ...by.values());
  }

  private groupValue(plan: DayPlan, g: Group): number {
    const price = plan.price(g.symbol);
    if (price === undefined) return 0;
    return g.lots.reduce((sum, lot) => sum + usdOf(lot.shares, price), 0) / 100;
  }

  /**
   * The sleeve's stocks with lots worth harvesting today that the guard lets be sold. A lot whose
   * loss is below the rule's floor (rule.ts) cannot qualify, so only the others are priced.
   */
  private lossGroups(plan: DayPlan): Group[] {
    const bySymbol = new Map<Symbol, Group>();
    const economics = this.pricing(plan);
    for (const lot of plan.state.lots) {
      if (lot.account !== this.account || plan.available(lot) !== lot.shares || lot.basis <= 0 || !inSleeve(plan, this.account, lot.symbol)) continue;
      const price = plan.price(lot.symbol);
      if (price === undefined) continue;
      const loss = lot.basis - usdOf(lot.shares, price);
      if (loss <= 0 || loss < lossFloor(lot.basis, plan.config)) continue;
      const e = economics(lot, price);
      if (!worthHarvesting(plan.config, e.loss, e.marketValue, e.benefit.total, e.spreadCost, e.commission, e.net)) continue;
      const g = bySymbol.get(lot.symbol) ?? { symbol: lot.symbol, lots: [], net: 0, benefit: 0, loss: 0 };
      g.lots.push(lot);
      g.net += e.net;
      g.benefit += e.benefit.total;
      g.loss += e.loss;
      bySymbol.set(lot.symbol, g);
    }
    return [...bySymbol.values()].filter((g) => plan.guard.sellBlock(this.account, g.symbol, g.lots) === undefined);
  }

  /**
   * Today's economics of a lot of the sleeve: the stock's own volatility and spread, its stopping
   * tables looked up once per stock rather than per lot (no trade is planned while lots are priced,
   * so the loss pricer is the same for all of them).
   */
  private pricing(plan: DayPlan): (lot: Lot, price: Price) => Economics {
    const pricer = plan.pricer();
    const stocks = new Map<Symbol, { readonly costs: CostInputs; readonly tableFor: (rho: number) => StoppingTable }>();
    return (lot, price) => {
      let stock = stocks.get(lot.symbol);
      if (stock === undefined) {
        const i = this.model.index.get(lot.symbol);
        const sigma = i === undefined ? DEFAULT_SIGMA : Math.min(MAX_SIGMA, Math.max(SIGMA_STEP, Math.round(volatility(this.model, i) / SIGMA_STEP) * SIGMA_STEP));
        const spread = this.halfSpreadBps(lot.symbol);
        const costs: CostInputs = { sellHalfSpreadBps: spread, buyHalfSpreadBps: spread, commission: plan.config.commission };
        // Hundreds of other names can replace a stock: the stopping model's two-alternate case, never locked.
        const tableFor = plan.tables.forClass({ mu: this.config.expectedReturn, sigma, kappa: kappa(costs, pricer.marginal.shortTerm), alternates: 2 });
        stocks.set(lot.symbol, (stock = { costs, tableFor }));
      }
      return lotEconomics(lot, price, plan.date, pricer, stock.costs, stock.tableFor, NEVER_LOCKED);
    };
  }
}

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
const money = (cents: number): string => `$${format('usd', cents)}`;

function reportSentence(r: HarvestReport, dropped: number): string {
  const names = r.sold.map((s) => `${s.symbol} (loss ${money(s.loss)})`).join(', ');
  const te = r.trackingError;
  return `direct index ${r.account} ${formatDay(r.date)}: harvest ${names}; tracking error ${pct(te.before)} before, ${pct(te.afterSales)} after the sales, ${pct(te.after)} after re-optimizing the remaining names (budget ${pct(r.budget)})${dropped > 0 ? `; ${dropped} smaller harvest(s) left for later to stay within it` : ''}`;
}
