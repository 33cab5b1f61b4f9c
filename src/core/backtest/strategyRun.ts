/**
 * One strategy's run over an account's days: the fast loop. It computes exactly what the reference
 * loop (referenceRun.ts) computes — the same policy (`screen`'s parts, then `decide`) on the same
 * state, the same orders, fills, lots, cash and figures to the cent, in the same float order — but
 * skips the work a day provably does not need:
 *
 *  - The household's state is built only on the days the policy is asked (about one in ten);
 *    the other days are screened on what is carried across days: the brokerage's cash, the screen
 *    index of the lots (extended by a day's purchases; after a sale only the sold symbols' lots
 *    are bounded again) and the day's market view and marks, made once per run for every account
 *    (prepared.ts). The shares held per fund the index keeps are handed to the policy with the
 *    state (`HouseholdState.held`), so placing cash does not sum them from the lots.
 *  - Values use each fund's mark of the day from a table, not a closure and a search back, over
 *    the funds held as listed after the last change of lots (`Valuer`).
 *  - A day whose screen finds cash to invest (a deposit, a dividend), a withdrawal or drift runs
 *    `decide` without the phases the screen proved empty: with no lot that could pass the harvest
 *    trigger (the screen's loss bound is the trigger's, widened by a cent) the harvest phase
 *    would judge and reject every candidate, and with no alternate in its switch-back range the
 *    switch-back phase would pass over every lot; neither has any other effect, so the orders
 *    are the same without pricing the losses or walking the lots.
 *  - A day the screen sends to the harvest rule alone is judged on a plan (`judgedPlan`) that,
 *    when the rule would sell, is the plan `decide` then runs on (`decideOn`): the lots it priced
 *    are not priced again.
 *
 * With `ctx.phases` set, the time spent deciding, filling orders and re-booking with the ledger is
 * summed through the clock it carries; the rest of the day is the screen.
 */
import type { Day } from '../kernel/calendar.js';
import type { Usd } from '../kernel/exact.js';
import type { HarvestConfig } from '../harvest/config.js';
import { decide, decideOn, type PolicyContext } from '../harvest/policy.js';
import { judgedPlan, ScreenIndex } from '../harvest/bulk/screen.js';
import type { DayPlan } from '../harvest/plan.js';
import type { HouseholdState, Targets } from '../harvest/state.js';
import type { Proposals } from '../harvest/proposals.js';
import { accountId, type Account, type AccountId, type Symbol } from '../ledger/household.js';
import type { Lot } from '../ledger/lots.js';
import { targetWeights } from '../securities/universe.js';
import type { AccountSpec } from './accounts.js';
import { Brokerage } from './brokerage.js';
import { prepare } from './prepared.js';
import { finishRun, householdFor, noteTranches, scheduledDeposit } from './runParts.js';
import { RunTally } from './runTally.js';
import type { TrancheBook } from './hindsight.js';
import { PhaseIn } from './phaseIn.js';
import type { HarvestEvent, ProfileSituation, SimulationContext, StrategyRun } from './simulation.js';
import type { Strategy } from './strategies.js';

const NO_WITHDRAWALS: ReadonlyMap<AccountId, Usd> = new Map();

/**
 * The account's value in dollars (float) at a day's marks, summed in the brokerage's holding order
 * as `Brokerage.value` does. The holdings with shares, and their marks, are read again only when
 * the lots changed (every change of holdings is one).
 */
class Valuer {
  /** The day `now` values the account on. */
  t = 0;
  readonly now = (): number => this.valueAt(this.t);
  private lots: Brokerage['lots'] | undefined;
  private readonly series: Float64Array[] = [];
  private readonly shares: number[] = [];

  constructor(
    private readonly broker: Brokerage,
    private readonly marks: ReadonlyMap<Symbol, Float64Array>,
  ) {}

  valueAt(t: number): number {
    const broker = this.broker;
    if (this.lots !== broker.lots) {
      this.lots = broker.lots;
      this.series.length = 0;
      this.shares.length = 0;
      for (const [symbol, shares] of broker.held) {
        if (shares <= 0) continue;
        this.series.push(this.marks.get(symbol) as Float64Array);
        this.shares.push(shares);
      }
    }
    let v = broker.cash / 100;
    for (let i = 0; i < this.series.length; i++) v += ((this.shares[i] as number) / 1e6) * ((this.series[i] as Float64Array)[t] as number);
    return v;
  }
}

/** Whether `now` is `before` with lots appended (a day of purchases only): the screen index then only needs them added. */
function appended(before: readonly Lot[], now: readonly Lot[]): boolean {
  if (now.length < before.length) return false;
  for (let i = 0; i < before.length; i++) if (now[i] !== before[i]) return false;
  return true;
}

export function strategyRun(ctx: SimulationContext, spec: AccountSpec, k: number, tranches: TrancheBook | undefined): StrategyRun {
  const p = prepare(ctx);
  const { data, calendar: cal } = ctx;
  const strategy = p.strategies[k] as Strategy;
  const account: Account = { id: accountId(spec.id), type: 'taxable', owner: 'self' };
  const household = householdFor(ctx, spec, account);
  const situation = (ctx.profiles[spec.profile] as ProfileSituation).tax;
  const weights = targetWeights(ctx.universe, spec.riskScore);
  if (weights === undefined) throw new Error(`risk score ${spec.riskScore} is outside the universe's mapping`);
  const targets = new Map<AccountId, Targets>([[account.id, weights]]);
  const fills = { halfSpreadPpm: (s: Symbol) => p.halfSpreadPpm.get(s) ?? 500, commission: ctx.config.commission };
  const broker = new Brokerage(account, 'e', fills, ctx.verify || ctx.keepEvents === true);
  const valuer = new Valuer(broker, p.marks);
  const onConfig = p.onConfig[k] as HarvestConfig;
  const policyOn: PolicyContext = { universe: ctx.universe, config: onConfig, tables: ctx.tables, explain: false };
  const policyOff: PolicyContext = { universe: ctx.universe, config: p.offConfig, tables: ctx.tables, explain: false };
  /** The day's policy by what the screen proved: [harvest possible][switch-back possible]. */
  const policies: readonly (readonly PolicyContext[])[] = [
    [
      { ...policyOff, skip: { harvests: true, switchBacks: true } },
      { ...policyOff, skip: { harvests: true } },
    ],
    [{ ...policyOn, skip: { switchBacks: true } }, policyOn],
  ];
  const harvestOn = onConfig.trigger.kind === 'off' ? undefined : (p.harvestOn[k] as Uint8Array);
  const minCash = ctx.config.minCashToInvest;
  const symbols = data.symbols;
  const { views, marks, dividendDay } = p;
  const phases = ctx.phases;
  const clock = phases?.clock;
  /** Cash and the classes phasing in as the screen's drift test reads them, kept current day by day. */
  const cash = new Map<AccountId, Usd>([[account.id, 0 as Usd]]);
  const phaseIn = new Map<AccountId, ReadonlySet<string>>();
  const screened = { targets, cash, phaseIn };
  const phase = new PhaseIn(p.classFunds, data, weights, ctx.config.driftBand, spec.start);
  let phasing: ReadonlySet<string> | undefined;

  const harvests: HarvestEvent[] = [];
  const tally = new RunTally(situation, ctx.taxFlows, ctx.feeRate);
  let trades = 0;
  let decisions = 0;
  let index: ScreenIndex | undefined;
  let indexedLots: Brokerage['lots'] | undefined;
  /** The symbols the last day with orders sold, and that day: the lots that changed since the index. */
  let sold: ReadonlySet<Symbol> = new Set();
  let tradedOn = 0 as Day;

  const stateNow = (feeDue: number, held?: HouseholdState['held']): HouseholdState => ({
    household,
    lots: broker.lots,
    trades: broker.trades,
    cash: new Map([[account.id, broker.cash as Usd]]),
    targets,
    withdrawals: feeDue > 0 ? new Map([[account.id, feeDue as Usd]]) : NO_WITHDRAWALS,
    tax: tally.taxToday(),
    ...(phasing === undefined ? {} : { phaseIn: new Map([[account.id, phasing]]) }),
    ...(held === undefined ? {} : { held }),
  });

  for (let t = spec.start; t <= ctx.end; t++) {
    valuer.t = t;
    const date = data.days[t] as Day;
    tally.beginDay(t, cal.year[t] as number);
    broker.forget(date);
    const deposit = t === spec.start ? spec.initialDeposit : scheduledDeposit(spec, cal, t);
    if (deposit > 0) tally.deposit(broker, date, deposit);
    if (dividendDay[t] === 1) {
      for (let s = 0; s < symbols.length; s++) {
        const d = (data.dividend[s] as Float64Array)[t] as number;
        if (d > 0) tally.row.dividends += broker.payDividend(date, symbols[s] as Symbol, d);
      }
    }
    if (tally.row.first === t) tally.row.beginningBalance = valuer.valueAt(t);
    phasing = phase.update(t, broker);
    const feeDue = tally.feeDue(p.feeDay[t] === 1 && t > spec.start);
    const market = views[t] as (typeof views)[number];
    if (index === undefined || indexedLots === undefined) index = new ScreenIndex(stateNow(feeDue), ctx.universe, onConfig);
    else if (indexedLots !== broker.lots) {
      if (appended(indexedLots, broker.lots)) index.extend({ household, targets }, broker.lots.slice(indexedLots.length));
      else index.resell({ household, targets }, broker.lots, sold, tradedOn);
    }
    indexedLots = broker.lots;
    cash.set(account.id, broker.cash as Usd);
    if (phasing === undefined) phaseIn.delete(account.id);
    else phaseIn.set(account.id, phasing);
    const harvestMaybe = harvestOn !== undefined && harvestOn[t] === 1 && index.losses(market);
    const switchMaybe = index.switchBack(date, market);
    const flows = feeDue > 0 || broker.cash >= minCash || switchMaybe || index.drift(screened, market);
    let proposals: Proposals | undefined;
    if (flows || harvestMaybe) {
      const state = stateNow(feeDue, index.held);
      let judged: DayPlan | undefined;
      if (!flows) {
        const t0 = clock?.() ?? 0;
        judged = judgedPlan(date, state, market, policyOn, index);
        if (clock !== undefined && phases !== undefined) phases.judge += clock() - t0;
      }
      if (flows || judged !== undefined) {
        decisions += 1;
        const t0 = clock?.() ?? 0;
        const policy = (policies[harvestMaybe ? 1 : 0] as readonly PolicyContext[])[switchMaybe ? 1 : 0] as PolicyContext;
        proposals = judged === undefined ? decide(date, state, market, policy) : decideOn(judged, policy);
        if (clock !== undefined && phases !== undefined) phases.decide += clock() - t0;
      }
    }
    const t1 = clock?.() ?? 0;
    if (proposals !== undefined && proposals.orders.length > 0) {
      trades += proposals.orders.length;
      const heldBefore = tranches === undefined ? undefined : new Map(broker.held);
      const r = broker.execute(date, proposals.orders, feeDue as Usd);
      sold = new Set(proposals.orders.flatMap((o) => (o.side === 'sell' ? [o.symbol] : [])));
      tradedOn = date;
      tally.realized(r);
      if (r.harvestedShort + r.harvestedLong > 0) harvests.push({ t, short: r.harvestedShort, long: r.harvestedLong });
      if (tranches !== undefined && heldBefore !== undefined) noteTranches(broker, heldBefore, date, t, data, tranches);
    }
    tally.chargeFee(broker, date, feeDue);
    if (clock !== undefined && phases !== undefined) phases.fills += clock() - t1;
    tally.closeDay(t, date, broker, t === ctx.end || (cal.monthEnd[t] === 1 && cal.month[t] === 12), valuer.now);
  }
  const endMarks = ctx.end;
  return finishRun(ctx, { strategy: strategy.id, household, broker, situation, harvests, trades, decisions, ...tally.end() }, (s) => (marks.get(s) as Float64Array)[endMarks] as number);
}
