/**
 * The reference day loop: one strategy's run as the backtester first stepped it — every day the
 * household's state is rebuilt from the brokerage, the market view and the valuation closures
 * made afresh, and `screen` then `decide` asked with the day's policy. It is kept, unchanged in
 * what it computes, as the oracle the fast loop (strategyRun.ts) is compared with event by event
 * (strategyRun.test.ts) and as the benchmark's baseline (`lotsmith bench backtest --reference`).
 */
import type { Day } from '../kernel/calendar.js';
import type { Usd } from '../kernel/exact.js';
import type { HarvestConfig } from '../harvest/config.js';
import { decide, type PolicyContext } from '../harvest/policy.js';
import { screen, ScreenIndex } from '../harvest/bulk/screen.js';
import type { HouseholdState, Targets } from '../harvest/state.js';
import { accountId, type Account, type Symbol } from '../ledger/household.js';
import { targetWeights } from '../securities/universe.js';
import type { AccountSpec } from './accounts.js';
import { Brokerage } from './brokerage.js';
import { serve } from './marketData.js';
import { prepare } from './prepared.js';
import { finishRun, householdFor, noteTranches, scheduledDeposit } from './runParts.js';
import { RunTally } from './runTally.js';
import type { TrancheBook } from './hindsight.js';
import { PhaseIn } from './phaseIn.js';
import type { HarvestEvent, ProfileSituation, SimulationContext, StrategyRun } from './simulation.js';
import type { Strategy } from './strategies.js';

const NO_WITHDRAWALS = new Map();

export function referenceRun(ctx: SimulationContext, spec: AccountSpec, k: number, tranches: TrancheBook | undefined): StrategyRun {
  const p = prepare(ctx);
  const { data, calendar: cal } = ctx;
  const strategy = p.strategies[k] as Strategy;
  const account: Account = { id: accountId(spec.id), type: 'taxable', owner: 'self' };
  const household = householdFor(ctx, spec, account);
  const situation = (ctx.profiles[spec.profile] as ProfileSituation).tax;
  const weights = targetWeights(ctx.universe, spec.riskScore);
  if (weights === undefined) throw new Error(`risk score ${spec.riskScore} is outside the universe's mapping`);
  const targets = new Map<typeof account.id, Targets>([[account.id, weights]]);
  const fills = { halfSpreadPpm: (s: Symbol) => p.halfSpreadPpm.get(s) ?? 500, commission: ctx.config.commission };
  const broker = new Brokerage(account, 'e', fills, ctx.verify || ctx.keepEvents === true);
  const policyOn: PolicyContext = { universe: ctx.universe, config: p.onConfig[k] as HarvestConfig, tables: ctx.tables, explain: false };
  const policyOff: PolicyContext = { universe: ctx.universe, config: p.offConfig, tables: ctx.tables, explain: false };
  const harvestOn = p.harvestOn[k] as Uint8Array;
  const symbols = data.symbols;
  const closeOf = (t: number) => (s: Symbol): number => markOn(data.close[data.symbolIndex.get(s) as number] as Float64Array, t);

  const harvests: HarvestEvent[] = [];
  const tally = new RunTally(situation, ctx.taxFlows, ctx.feeRate);
  let trades = 0;
  let decisions = 0;
  let index: ScreenIndex | undefined;
  let indexedLots: Brokerage['lots'] | undefined;
  const phase = new PhaseIn(p.classFunds, data, weights, ctx.config.driftBand, spec.start);

  for (let t = spec.start; t <= ctx.end; t++) {
    const date = data.days[t] as Day;
    tally.beginDay(t, cal.year[t] as number);
    broker.forget(date);
    const deposit = t === spec.start ? spec.initialDeposit : scheduledDeposit(spec, cal, t);
    if (deposit > 0) tally.deposit(broker, date, deposit);
    for (let s = 0; s < symbols.length; s++) {
      const d = (data.dividend[s] as Float64Array)[t] as number;
      if (d > 0) tally.row.dividends += broker.payDividend(date, symbols[s] as Symbol, d);
    }
    if (tally.row.first === t) tally.row.beginningBalance = broker.value(closeOf(t));
    const phasing = phase.update(t, broker);
    const feeDue = tally.feeDue(p.feeDay[t] === 1 && t > spec.start);
    const state: HouseholdState = {
      household,
      lots: broker.lots,
      trades: broker.trades,
      cash: new Map([[account.id, broker.cash as Usd]]),
      targets,
      withdrawals: feeDue > 0 ? new Map([[account.id, feeDue as Usd]]) : NO_WITHDRAWALS,
      tax: tally.taxToday(),
      ...(phasing === undefined ? {} : { phaseIn: new Map([[account.id, phasing]]) }),
    };
    const market = serve(data, t);
    const policy = harvestOn[t] === 1 ? policyOn : policyOff;
    if (index === undefined || indexedLots !== broker.lots) {
      index = new ScreenIndex(state, ctx.universe, policyOn.config as HarvestConfig);
      indexedLots = broker.lots;
    }
    if (screen(date, state, market, policy, index)) {
      decisions += 1;
      const proposals = decide(date, state, market, policy);
      if (proposals.orders.length > 0) {
        trades += proposals.orders.length;
        const heldBefore = tranches === undefined ? undefined : new Map(broker.held);
        const r = broker.execute(date, proposals.orders, feeDue as Usd);
        tally.realized(r);
        if (r.harvestedShort + r.harvestedLong > 0) harvests.push({ t, short: r.harvestedShort, long: r.harvestedLong });
        if (tranches !== undefined && heldBefore !== undefined) noteTranches(broker, heldBefore, date, t, data, tranches);
      }
    }
    tally.chargeFee(broker, date, feeDue);
    tally.closeDay(t, date, broker, t === ctx.end || (cal.monthEnd[t] === 1 && cal.month[t] === 12), () => broker.value(closeOf(t)));
  }
  return finishRun(ctx, { strategy: strategy.id, household, broker, situation, harvests, trades, decisions, ...tally.end() }, closeOf(ctx.end));
}

/**
 * A holding's mark for valuing the account: the day's close, or the last close before it when the
 * fund has none that day (a gap, a series that stopped). Only values use it; the policy sees the
 * day's closes (serve).
 */
function markOn(close: Float64Array, t: number): number {
  for (let i = t; i >= 0; i--) {
    const v = close[i] as number;
    if (!Number.isNaN(v)) return v;
  }
  return 0;
}
