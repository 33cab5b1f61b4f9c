/**
 * The direct-index day loop: one account holding an index's stocks, under one direct strategy
 * (harvested daily by the cost-benefit rule, or never), through the same simulator as the ETF
 * backtest (src/core/backtest): the Brokerage's fills at the close with each stock's half spread,
 * the AccountSpec's deposits, dividends on ex-dates, the quarterly advisory fee, the year's tax
 * settlement (`settleYear`), the closing figures and the ledger's re-booking (`finishRun`).
 *
 * Each trading day from the account's start, in the ETF loop's order (referenceRun.ts):
 *
 *   1. deposits (the initial one, or the client's existing lots moved in, on the first day; the
 *      monthly ones later) and dividends arrive as cash;
 *   2. a held stock without a close for more than a week (acquired for cash, delisted) is sold at
 *      its last close: the simulator has no corporate actions, and a stale mark would otherwise
 *      stand in for it forever;
 *   3. the policy's `decide` runs with the account's DirectSleeve (harvest per lot per stock,
 *      buy-only re-optimization within the tracking-error budget, cash placed by the sleeve) —
 *      on the days it can act: a fee is due, a lot is at a loss (harvesting strategy), new cash of
 *      at least `minTrade` since the last decision, or, with cash waiting, a trade left the 30-day
 *      window or the risk model changed (a blocked name may be free). On the other days the
 *      sleeve would propose nothing (its placement memo, placementMemo.ts), so `decide` is skipped;
 *   4. the fee is paid, the year settled on its last trading day.
 *
 * A mixed strategy (`DirectRunContext.etf`: the account's targets weigh the direct index as
 * `direct_index` beside ETF classes, e.g. 70 % direct index and 30 % bond funds) runs the same
 * loop with the ETF phases on and `decide` every day (the ETF part's rebalancing and switch-backs
 * need days the cheap-day test does not see); the funds trade at their universe spreads.
 *
 * No look-ahead: the policy sees the day through `serve` (closes on or before it); the risk model
 * in force was estimated on returns through the trading day before its period began
 * (directModels.ts); values use the last close on or before the day.
 */
import type { Day } from '../kernel/calendar.js';
import { exact, type Price, type Shares, type Usd } from '../kernel/exact.js';
import type { HarvestConfig } from '../harvest/config.js';
import type { SellOrder } from '../harvest/orders.js';
import { decide, type PolicyContext } from '../harvest/policy.js';
import type { HouseholdState, Targets } from '../harvest/state.js';
import type { StoppingTables } from '../harvest/stopping/opportunityCost.js';
import { accountId, type Account, type AccountId, type Household, type Symbol } from '../ledger/household.js';
import { identicalPeriods, type Universe } from '../securities/universe.js';
import type { AccountSpec } from '../backtest/accounts.js';
import { Brokerage } from '../backtest/brokerage.js';
import { serve, type CalendarFields, type MarketData } from '../backtest/marketData.js';
import { finishRun, scheduledDeposit } from '../backtest/runParts.js';
import { RunTally } from '../backtest/runTally.js';
import type { HarvestEvent, PhaseTimes, ProfileSituation, StrategyRun } from '../backtest/simulation.js';
import type { DirectModels, PeriodModel } from './directModels.js';
import { DirectSleeve, type DirectConfig, type HarvestReport } from './directSleeve.js';
import { withShareClasses } from './shareClasses.js';
import type { TransitionReport, WithdrawalOverrun } from './transition.js';

/** A client's existing position, moved into the account on its first day (not a purchase). */
export interface InitialLot {
  readonly symbol: Symbol;
  /** Micro-shares, in the price data's (split-adjusted) units. */
  readonly shares: Shares;
  readonly basis: Usd;
  readonly acquired: Day;
}

export interface DirectAccountSpec extends AccountSpec {
  /** Lots the account starts with (a concentrated low-basis position), besides the initial deposit. */
  readonly initialLots?: readonly InitialLot[];
}

export interface DirectStrategy {
  readonly id: string;
  readonly label: string;
  /** Harvest by the policy's cost-benefit rule every day; false: never (the baseline). */
  readonly harvest: boolean;
}

export const DIRECT_STRATEGIES: readonly DirectStrategy[] = [
  { id: 'direct_none', label: 'Direct index, never harvested', harvest: false },
  { id: 'direct_cost_benefit', label: 'Direct index, harvested daily (cost-benefit)', harvest: true },
];

export interface DirectRunContext {
  /** The index's stocks (and the benchmark) aligned to the run's calendar. */
  readonly data: MarketData;
  readonly calendar: CalendarFields;
  /** Per symbol of `data`, per calendar day: the last close on or before it (valuation only). */
  readonly marks: readonly Float64Array[];
  readonly models: DirectModels;
  readonly direct: DirectConfig;
  /** The policy's settings; the strategy sets the trigger. */
  readonly config: HarvestConfig;
  readonly tables: StoppingTables;
  readonly profiles: readonly ProfileSituation[];
  readonly feeRate: number;
  readonly taxFlows: 'external' | 'reinvest';
  /** Last calendar index simulated. */
  readonly end: number;
  readonly verify: boolean;
  readonly keepEvents?: boolean;
  readonly phases?: PhaseTimes;
  /** Run `decide` on every day (the equality test of the days the loop skips). */
  readonly decideEveryDay?: boolean;
  /**
   * ETF classes held beside the direct index in every account: their universe (funds in `data`)
   * and the account's targets, `direct_index` among them (harvest/sleevePart.ts). Absent: the
   * account is all direct index.
   */
  readonly etf?: { readonly universe: Universe; readonly targets: Targets };
}

export interface DirectRun extends StrategyRun {
  /** What each harvest did to ex-ante tracking error (the sleeve's reports). */
  readonly reports: readonly HarvestReport[];
  /** The transition's sales, when the config has one (transition.ts), and the days a withdrawal passed its budget. */
  readonly transitions: readonly TransitionReport[];
  readonly overruns: readonly WithdrawalOverrun[];
  /** Stocks sold because their prices stopped. */
  readonly delisted: number;
  /** Days `decide` ran, of the account's days. */
  readonly decideDays: number;
}

/** The ETF universe the policy is handed: none — every holding is the sleeve's. */
const NO_ETFS: Universe = { classes: [], riskScores: [], statisticsThrough: 0 as Day };
const NO_WITHDRAWALS = new Map<AccountId, Usd>();
const NO_TARGETS = new Map();
const SPREAD_MARGIN = 0.001;

export function directHousehold(ctx: DirectRunContext, spec: AccountSpec, account: Account): Household {
  const profile = (ctx.profiles[spec.profile] as ProfileSituation).tax.profile;
  const status = profile.filingStatus === 'qualifying_surviving_spouse' ? 'married_filing_jointly' : profile.filingStatus;
  const funds = ctx.etf?.universe;
  // The funds follow the ETF backtest's wash rules (universe.ts: funds on one index, for a while).
  const base: Household = {
    settings: {
      filingStatus: status,
      lotMethod: 'FIFO',
      substantiallyIdentical: funds === undefined ? { policy: 'same_symbol', groups: [], matchCusip: false } : { policy: 'groups', groups: [], periods: identicalPeriods(funds), matchCusip: false },
    },
    accounts: [account],
    securities: funds === undefined ? [] : funds.classes.flatMap((c) => c.securities.map((x) => ({ symbol: x.symbol }))),
  };
  return withShareClasses(base, ctx.models.index);
}

export function directRun(ctx: DirectRunContext, spec: DirectAccountSpec, strategy: DirectStrategy): DirectRun {
  const { data, calendar: cal } = ctx;
  const account: Account = { id: accountId(spec.id), type: 'taxable', owner: 'self' };
  const household = directHousehold(ctx, spec, account);
  const situation = (ctx.profiles[spec.profile] as ProfileSituation).tax;
  const fundSpreads = new Map((ctx.etf?.universe.classes ?? []).flatMap((c) => c.securities.map((x) => [x.symbol, ctx.config.halfSpreadBps.get(x.symbol) ?? x.halfSpreadBps] as const)));
  const spreadPpm = (s: Symbol): number => Math.round((fundSpreads.get(s) ?? ctx.direct.halfSpreadOverrides?.get(s) ?? ctx.direct.halfSpreadBps) * 100);
  const broker = new Brokerage(account, 'e', { halfSpreadPpm: spreadPpm, commission: ctx.config.commission }, ctx.verify || ctx.keepEvents === true);
  let period: PeriodModel = ctx.models.at(spec.start);
  const sleeve = new DirectSleeve({ account: account.id, universe: ctx.models.index, model: ctx.models.forAccount(period, []), solver: ctx.models.solver, config: ctx.direct });
  const policy: PolicyContext = {
    universe: ctx.etf?.universe ?? NO_ETFS,
    config: { ...ctx.config, trigger: strategy.harvest ? { kind: 'cost_benefit' } : { kind: 'off' } },
    tables: ctx.tables,
    explain: false,
    sleeves: [sleeve],
    // Without ETF classes the ETF harvest and switch-back phases have nothing to do.
    ...(ctx.etf === undefined ? { skip: { harvests: true, switchBacks: true } } : {}),
  };
  const targets = ctx.etf === undefined ? NO_TARGETS : new Map([[account.id, ctx.etf.targets]]);
  const column = (s: Symbol): number => data.symbolIndex.get(s) as number;
  const markOf = (t: number) => (s: Symbol): number => (ctx.marks[column(s)] as Float64Array)[t] as number;
  const minTrade = ctx.direct.minTrade as number;
  const clock = ctx.phases?.clock;

  const harvests: HarvestEvent[] = [];
  const tally = new RunTally(situation, ctx.taxFlows, ctx.feeRate);
  let trades = 0;
  let decisions = 0;
  let delisted = 0;
  let cashAfterDecision = 0;

  for (let t = spec.start; t <= ctx.end; t++) {
    const date = data.days[t] as Day;
    tally.beginDay(t, cal.year[t] as number);
    const tradesBefore = broker.trades.length;
    broker.forget(date);
    const windowMoved = broker.trades.length !== tradesBefore;
    if (t === spec.start) {
      for (const lot of spec.initialLots ?? []) {
        broker.transferIn(date, lot.symbol, lot.shares, lot.basis, lot.acquired);
        tally.flow += Math.round((lot.shares * markOf(t)(lot.symbol)) / 1e4);
      }
    }
    const deposit = t === spec.start ? spec.initialDeposit : scheduledDeposit(spec, cal, t);
    if (deposit > 0) tally.deposit(broker, date, deposit);
    for (const [s, held] of broker.held) {
      if (held <= 0) continue;
      const d = (data.dividend[column(s)] as Float64Array)[t] as number;
      if (d > 0) tally.row.dividends += broker.payDividend(date, s, d);
    }
    if (tally.row.first === t) tally.row.beginningBalance = broker.value(markOf(t));
    const gone = delistedSales(ctx, broker, t);
    if (gone.length > 0) {
      delisted += gone.length;
      trades += gone.length;
      const r = broker.execute(date, gone, 0 as Usd);
      tally.realized(r);
    }
    const modelChanged = ctx.models.periodStart(t) !== period.from;
    if (modelChanged) {
      period = ctx.models.at(t);
      sleeve.useModel(ctx.models.forAccount(period, [...broker.held].filter(([, n]) => n > 0).map(([s]) => s)));
    }
    const feeDue = tally.feeDue(cal.monthStart[t] === 1 && (cal.month[t] as number) % 3 === 1 && t > spec.start);
    const act =
      ctx.decideEveryDay === true ||
      ctx.etf !== undefined ||
      t === spec.start ||
      feeDue > 0 ||
      broker.cash - cashAfterDecision >= minTrade ||
      (broker.cash >= minTrade && (windowMoved || modelChanged)) ||
      (strategy.harvest && anyLoss(ctx, broker, t));
    if (act) {
      const state: HouseholdState = {
        household,
        lots: broker.lots,
        trades: broker.trades,
        cash: new Map([[account.id, broker.cash as Usd]]),
        targets,
        withdrawals: feeDue > 0 ? new Map([[account.id, feeDue as Usd]]) : NO_WITHDRAWALS,
        tax: tally.taxToday(),
        realizedByAccount: new Map([[account.id, (tally.ytd.shortTerm + tally.ytd.longTerm) as Usd]]),
      };
      decisions += 1;
      const t0 = clock?.() ?? 0;
      const proposals = decide(date, state, serve(data, t), policy);
      if (clock !== undefined && ctx.phases !== undefined) ctx.phases.decide += clock() - t0;
      if (proposals.orders.length > 0) {
        trades += proposals.orders.length;
        const r = broker.execute(date, proposals.orders, feeDue as Usd);
        tally.realized(r);
        if (r.harvestedShort + r.harvestedLong > 0) harvests.push({ t, short: r.harvestedShort, long: r.harvestedLong });
      }
    }
    tally.chargeFee(broker, date, feeDue);
    if (act) cashAfterDecision = broker.cash;
    tally.closeDay(t, date, broker, t === ctx.end || (cal.monthEnd[t] === 1 && cal.month[t] === 12), () => broker.value(markOf(t)));
  }
  const end = finishRun(
    ctx,
    { strategy: strategy.id, household, broker, situation, harvests, trades, decisions, ...tally.end() },
    markOf(ctx.end),
  );
  return { ...end, reports: sleeve.reports, transitions: sleeve.transition?.reports ?? [], overruns: sleeve.transition?.overruns ?? [], delisted, decideDays: decisions };
}

/** Whether some lot is at a loss of at least the policy's minimum at today's close (less a margin for the spread). */
function anyLoss(ctx: DirectRunContext, broker: Brokerage, t: number): boolean {
  const min = ctx.config.minLoss as number;
  for (const lot of broker.lots) {
    const close = (ctx.data.close[ctx.data.symbolIndex.get(lot.symbol) as number] as Float64Array)[t] as number;
    if (Number.isNaN(close)) continue;
    if (lot.basis - (lot.shares * close * (1 - SPREAD_MARGIN)) / 1e4 >= min) return true;
  }
  return false;
}

/** Sales, at the last close, of every held stock without a close today (its series stopped). */
function delistedSales(ctx: DirectRunContext, broker: Brokerage, t: number): SellOrder[] {
  const out: SellOrder[] = [];
  for (const [symbol, held] of broker.held) {
    if (held <= 0) continue;
    const i = ctx.data.symbolIndex.get(symbol) as number;
    if (!Number.isNaN((ctx.data.close[i] as Float64Array)[t] as number)) continue;
    const last = exact('price', (ctx.marks[i] as Float64Array)[t] as number);
    if (!last.ok || last.value <= 0) continue;
    const lots = broker.lots.filter((l) => l.symbol === symbol);
    out.push({ side: 'sell', account: broker.account.id, symbol, shares: held as Shares, lots: lots.map((l) => ({ lotId: l.id, shares: l.shares })), price: last.value as Price, rule: 'withdrawal' });
  }
  return out;
}
