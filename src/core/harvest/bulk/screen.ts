/**
 * Whether `decide` could propose anything today — for callers that run the policy over many
 * households or days and want to skip the days it would not. True when there is a withdrawal,
 * cash to invest, an alternate that may be due to switch back to its primary, drift beyond the
 * band, or a lot the harvest rule itself would sell (`anyHarvest`: the same judgement as
 * `decide`, without explanations). When it is false, `decide` returns no orders (property-tested
 * in noWashSales.property.test.ts).
 *
 * The lot tests run on a `ScreenIndex`: per security, the highest close at which some taxable lot
 * could be harvested, the close ranges in which an alternate's lot could be switched back, and
 * the shares held per account and asset class. A caller whose lots did not change since
 * yesterday (most days, in a backtest) keeps the index and screens a household in time
 * proportional to its securities, not its lots.
 *
 * Closes and values here are floats; every comparison is widened by a cent so it can only err
 * towards calling `decide`, whose exact arithmetic then settles it.
 */
import type { Day } from '../../kernel/calendar.js';
import { taxableAccounts, type AccountId, type Symbol } from '../../ledger/household.js';
import { fundIndex, substantiallyIdentical, type Universe, type UniverseSecurity } from '../../securities/universe.js';
import { DEFAULT_CONFIG, type HarvestConfig, type MarketView } from '../config.js';
import { dayTargets, driftBeyondBand } from '../allocation.js';
import { anyHarvest } from '../harvest.js';
import { lossFloor } from '../rule.js';
import { DayPlan } from '../plan.js';
import { DEFAULT_TABLES, type PolicyContext } from '../policy.js';
import type { HouseholdState, Targets } from '../state.js';
import type { Lot } from '../../ledger/lots.js';

interface SwitchRange {
  /** The lot may switch back from this day on (held long enough). */
  readonly from: number;
  readonly primary: Symbol;
  /** Closes in (above, atMost] put its gain between 0 and the switch-back threshold. */
  readonly above: number;
  readonly atMost: number;
  /** The lot's fund and its class's primary: on a day they track one index, it is the primary already. */
  readonly fund: UniverseSecurity;
  readonly primaryFund: UniverseSecurity;
}

export class ScreenIndex {
  /** Per symbol: the highest close at which one of its taxable lots could pass the trigger. */
  private readonly harvestBelow = new Map<Symbol, number>();
  private readonly switches = new Map<Symbol, SwitchRange[]>();
  /** Per account with targets: micro-shares per symbol (boxed, so a lot adds to its symbol with one lookup). */
  private readonly holdings = new Map<AccountId, Map<Symbol, { shares: number }>>();
  /** Scratch dollars per asset class for `drift`. */
  private classValues: Float64Array | undefined;
  /** The maps above as arrays in their order, for the daily tests; made again after lots are added. */
  private flat: Flat | undefined;

  constructor(
    state: HouseholdState,
    private readonly universe: Universe,
    private readonly config: HarvestConfig,
  ) {
    this.extend(state, state.lots);
  }

  /**
   * Adds lots appended to the state's lots since the index was built (the day's purchases, when
   * nothing was sold): the index is then the one built from all of them, in the same order.
   */
  extend(state: Pick<HouseholdState, 'household' | 'targets'>, lots: readonly Lot[]): void {
    this.add(state, lots, undefined);
  }

  /**
   * The index of `lots` after a day whose sales changed only the lots of the `sold` symbols
   * (relieved, or split into a sold part and the rest) and whose purchases, acquired on `date`,
   * were appended: the index built from `lots` afresh, with only those symbols' lots and the
   * purchases bounded again — every other symbol's lots, hence its bounds, are unchanged.
   */
  resell(state: Pick<HouseholdState, 'household' | 'targets'>, lots: readonly Lot[], sold: ReadonlySet<Symbol>, date: Day): void {
    for (const symbol of sold) {
      this.harvestBelow.delete(symbol);
      this.switches.delete(symbol);
    }
    this.holdings.clear();
    this.add(state, lots, { sold, date });
  }

  /** Holdings of every lot; bounds of every lot, or with `changed` of its lots only. */
  private add(state: Pick<HouseholdState, 'household' | 'targets'>, lots: readonly Lot[], changed: { readonly sold: ReadonlySet<Symbol>; readonly date: Day } | undefined): void {
    const config = this.config;
    const taxable = taxableAccounts(state.household);
    const funds = fundIndex(this.universe);
    const t = config.trigger;
    this.flat = undefined;
    // Lots come account by account in practice: the account's lookups are kept for the next lot.
    let account: AccountId | undefined;
    let h: Map<Symbol, { shares: number }> | undefined;
    let taxed = false;
    for (const lot of lots) {
      if (lot.account !== account) {
        account = lot.account;
        h = this.holdings.get(account);
        if (h === undefined && state.targets.has(account)) this.holdings.set(account, (h = new Map()));
        taxed = taxable.has(account);
      }
      if (h !== undefined) {
        const held = h.get(lot.symbol);
        if (held === undefined) h.set(lot.symbol, { shares: lot.shares });
        else held.shares += lot.shares;
      }
      if (!taxed || lot.shares <= 0) continue;
      if (changed !== undefined && lot.acquired !== changed.date && !changed.sold.has(lot.symbol)) continue;
      const perShare = 1e4 / lot.shares;
      if (t.kind !== 'off') {
        // loss + 1 cent >= the rule's floor.
        const below = (lot.basis + 1 - lossFloor(lot.basis, config)) * perShare;
        if (below > (this.harvestBelow.get(lot.symbol) ?? -Infinity)) this.harvestBelow.set(lot.symbol, below);
      }
      const fund = funds.get(lot.symbol);
      const primary = fund?.primary;
      const primaryFund = primary === undefined ? undefined : funds.get(primary)?.security;
      if (fund !== undefined && primary !== undefined && primaryFund !== undefined && primary !== lot.symbol) {
        const ranges = this.switches.get(lot.symbol) ?? [];
        ranges.push({
          from: lot.acquired + config.alternateMinHoldDays,
          primary,
          above: (lot.basis - 1) * perShare,
          atMost: (lot.basis + 1) * perShare / (1 - config.switchBackMaxGain),
          fund: fund.security,
          primaryFund,
        });
        this.switches.set(lot.symbol, ranges);
      }
    }
  }

  /** Micro-shares per symbol of an account with targets, summed in lot order (`HouseholdState.held`). */
  get held(): ReadonlyMap<AccountId, ReadonlyMap<Symbol, number>> {
    return this.flatten().heldMaps;
  }

  private flatten(): Flat {
    if (this.flat !== undefined) return this.flat;
    const funds = fundIndex(this.universe);
    const held = new Map<AccountId, FlatHoldings>();
    const heldMaps = new Map<AccountId, Map<Symbol, number>>();
    for (const [account, h] of this.holdings) {
      const f: FlatHoldings = { symbols: [], classes: [], shares: [] };
      const m = new Map<Symbol, number>();
      for (const [symbol, { shares }] of h) {
        f.symbols.push(symbol);
        f.classes.push(funds.get(symbol)?.classIndex ?? -1);
        f.shares.push(shares);
        m.set(symbol, shares);
      }
      held.set(account, f);
      heldMaps.set(account, m);
    }
    const flat: Flat = { harvestSymbols: [], harvestBelow: [], switchSymbols: [], switchRanges: [], held, heldMaps };
    for (const [symbol, below] of this.harvestBelow) {
      flat.harvestSymbols.push(symbol);
      flat.harvestBelow.push(below);
    }
    for (const [symbol, ranges] of this.switches) {
      flat.switchSymbols.push(symbol);
      flat.switchRanges.push(ranges);
    }
    this.flat = flat;
    return flat;
  }

  /** Some taxable lot could pass the trigger at today's closes. */
  losses(market: MarketView): boolean {
    if (this.config.trigger.kind === 'off') return false;
    const { harvestSymbols: symbols, harvestBelow: below } = this.flatten();
    for (let i = 0; i < symbols.length; i++) {
      const close = market.close(symbols[i] as Symbol);
      if (close !== undefined && close <= (below[i] as number) * (1 + 1e-12)) return true;
    }
    return false;
  }

  /** Some alternate's lot may be due to switch back to its primary. */
  switchBack(date: Day, market: MarketView): boolean {
    const { switchSymbols: symbols, switchRanges } = this.flatten();
    for (let i = 0; i < symbols.length; i++) {
      const close = market.close(symbols[i] as Symbol);
      if (close === undefined) continue;
      for (const r of switchRanges[i] as SwitchRange[]) {
        if (
          date >= r.from &&
          close > r.above * (1 - 1e-12) &&
          close <= r.atMost * (1 + 1e-12) &&
          market.close(r.primary) !== undefined &&
          !substantiallyIdentical(r.primaryFund, r.fund, date)
        ) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Some account's asset-class weight is off its day target (allocation.ts) by more than the
   * band. Unlike `decide` it counts an underweight class it could not buy today (the wash guard is
   * not consulted), which only errs towards deciding. An account's day targets are kept while the
   * classes priced stay the same and none is phasing in: most days they are yesterday's.
   */
  drift(state: Pick<HouseholdState, 'targets' | 'cash' | 'phaseIn'>, market: MarketView): boolean {
    const values = (this.classValues ??= new Float64Array(this.universe.classes.length));
    const priced = pricedClasses(this.universe, market);
    const flat = this.flatten();
    for (const [account, all] of state.targets) {
      values.fill(0);
      const h = flat.held.get(account);
      for (let i = 0; h !== undefined && i < h.symbols.length; i++) {
        const cls = h.classes[i] as number;
        const close = cls < 0 ? undefined : market.close(h.symbols[i] as Symbol);
        if (close === undefined) continue;
        values[cls] = (values[cls] as number) + ((h.shares[i] as number) * close) / 1e6;
      }
      const day = this.dayTargets(account, all, priced, state.phaseIn?.get(account));
      let total = Math.max(0, state.cash.get(account) ?? 0) / 100;
      for (const id of day.targets.keys()) total += day.valueOf(id);
      // A margin of 1e-9 keeps float noise at the band's edge on the side of deciding.
      if (driftBeyondBand(day.targets, day.valueOf, total, this.config.driftBand - 1e-9)) return true;
    }
    return false;
  }

  private readonly days = new Map<AccountId, DayTargets>();

  /** The account's day targets for the rebalancing view, and its class values by class id. */
  private dayTargets(account: AccountId, all: Targets, priced: Uint8Array, phasing: ReadonlySet<string> | undefined): DayTargets {
    const kept = this.days.get(account);
    if (phasing === undefined && kept !== undefined && kept.all === all && kept.phasing === undefined && kept.priced === priced) return kept;
    const values = this.classValues as Float64Array;
    const classOf = targetClasses(this.universe, all);
    const index = (id: string): number => classOf.get(id) ?? -1;
    const day: DayTargets = {
      all,
      priced,
      phasing,
      targets: dayTargets(all, (id) => index(id) >= 0 && priced[index(id)] === 1, phasing, 'rebalance'),
      valueOf: (id) => {
        const cls = index(id);
        return cls < 0 ? 0 : (values[cls] as number);
      },
    };
    this.days.set(account, day);
    return day;
  }
}

/** A few entries per account: plain arrays, cheaper to make than typed ones at this size. */
interface FlatHoldings {
  readonly symbols: Symbol[];
  /** Each symbol's class index in the universe, -1 for a symbol outside it. */
  readonly classes: number[];
  readonly shares: number[];
}

interface Flat {
  readonly harvestSymbols: Symbol[];
  readonly harvestBelow: number[];
  readonly switchSymbols: Symbol[];
  readonly switchRanges: SwitchRange[][];
  readonly held: ReadonlyMap<AccountId, FlatHoldings>;
  readonly heldMaps: ReadonlyMap<AccountId, ReadonlyMap<Symbol, number>>;
}

interface DayTargets {
  readonly all: Targets;
  readonly priced: Uint8Array;
  readonly phasing: ReadonlySet<string> | undefined;
  readonly targets: ReadonlyMap<string, number>;
  readonly valueOf: (classId: string) => number;
}

const pricedByView = new WeakMap<MarketView, { readonly universe: Universe; readonly flags: Uint8Array }>();
/** One array per pattern of priced classes, so days with the same pattern share it (compared by identity). */
const pricedPatterns = new Map<string, Uint8Array>();

/**
 * 1 for each class of the universe (by index) with a fund priced in the view, worked out once per
 * view: the many accounts a backtest screens on one day share it.
 */
function pricedClasses(universe: Universe, market: MarketView): Uint8Array {
  const known = pricedByView.get(market);
  if (known !== undefined && known.universe === universe) return known.flags;
  const found = universe.classes.map((c) => (c.securities.some((x) => market.close(x.symbol) !== undefined) ? 1 : 0));
  const key = found.join('');
  let flags = pricedPatterns.get(key);
  if (flags === undefined) pricedPatterns.set(key, (flags = Uint8Array.from(found)));
  pricedByView.set(market, { universe, flags });
  return flags;
}

const targetIndices = new WeakMap<Targets, { readonly universe: Universe; readonly indices: ReadonlyMap<string, number> }>();

/** The universe's class index of each target class (-1 for a class it lacks), kept per targets. */
function targetClasses(universe: Universe, targets: Targets): ReadonlyMap<string, number> {
  const known = targetIndices.get(targets);
  if (known !== undefined && known.universe === universe) return known.indices;
  const indices = new Map([...targets.keys()].map((id) => [id, universe.classes.findIndex((c) => c.id === id)]));
  targetIndices.set(targets, { universe, indices });
  return indices;
}

/**
 * True when `decide` could propose anything for this household today (see the module comment).
 * `index`, when given, must have been built from today's lots with this config, or with the same
 * config but another trigger when this one is 'off' (a backtest's days without harvesting).
 */
export function screen(date: Day, state: HouseholdState, market: MarketView, context: PolicyContext, index?: ScreenIndex): boolean {
  const lots = index ?? new ScreenIndex(state, context.universe, context.config ?? DEFAULT_CONFIG);
  return screenFlows(date, state, market, context, lots) || screenHarvests(date, state, market, context, lots);
}

/**
 * The harvesting part of `screen`: some lot could pass the trigger at today's closes, and the
 * harvest rule, judging the day's opening state as `decide` does, would sell one.
 */
export function screenHarvests(date: Day, state: HouseholdState, market: MarketView, context: PolicyContext, index?: ScreenIndex): boolean {
  return judgedPlan(date, state, market, context, index) !== undefined;
}

/**
 * `screenHarvests`, giving the plan the harvest rule judged the day on when it would sell a lot:
 * a caller then decides on it (`decideOn`) with the same context, and the lots it priced are
 * not priced again.
 */
export function judgedPlan(date: Day, state: HouseholdState, market: MarketView, context: PolicyContext, index?: ScreenIndex): DayPlan | undefined {
  const config = context.config ?? DEFAULT_CONFIG;
  if (config.trigger.kind === 'off') return undefined;
  const lots = index ?? new ScreenIndex(state, context.universe, config);
  if (!lots.losses(market)) return undefined;
  const plan = new DayPlan(date, state, market, context.universe, config, context.tables ?? DEFAULT_TABLES, false);
  return anyHarvest(plan) ? plan : undefined;
}

/**
 * The part of `screen` that is not harvesting: a withdrawal, cash to invest, a switch-back due or
 * drift beyond the band. A caller that judges the harvests in bulk (the columnar scan of the
 * daily run) asks this for the rest.
 */
export function screenFlows(date: Day, state: HouseholdState, market: MarketView, context: PolicyContext, index?: ScreenIndex): boolean {
  const config = context.config ?? DEFAULT_CONFIG;
  for (const [, amount] of state.withdrawals) if (amount > 0) return true;
  for (const [account, cash] of state.cash) if (cash >= config.minCashToInvest && state.targets.has(account)) return true;
  const lots = index ?? new ScreenIndex(state, context.universe, config);
  return lots.switchBack(date, market) || lots.drift(state, market);
}
