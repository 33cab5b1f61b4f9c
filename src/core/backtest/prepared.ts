/**
 * What every account of a backtest shares, worked out once per simulation context: each
 * strategy's harvest days and configs, the fee days, spreads, the hindsight index, the household
 * every simulated account files under, each asset class's funds (for phasing classes in), and — for the fast day loop — each day's market view and
 * each fund's mark (its last close on or before the day), so no day builds them again.
 */
import type { HarvestConfig, MarketView } from '../harvest/config.js';
import type { Security, SubstantiallyIdenticalPolicy, Symbol } from '../ledger/household.js';
import { identicalPeriods } from '../securities/universe.js';
import { hindsightIndex, type HindsightIndex } from './hindsight.js';
import { serve } from './marketData.js';
import type { ClassFunds } from './phaseIn.js';
import type { SimulationContext } from './simulation.js';
import { dailyThreshold, harvestDays, thresholdStrategy, type Strategy } from './strategies.js';

export interface Prepared {
  /** The strategies, then the tuning rules that are not among them. */
  readonly strategies: readonly Strategy[];
  readonly harvestOn: readonly Uint8Array[];
  readonly onConfig: readonly HarvestConfig[];
  readonly offConfig: HarvestConfig;
  readonly feeDay: Uint8Array;
  readonly halfSpreadPpm: ReadonlyMap<Symbol, number>;
  readonly hindsight: HindsightIndex;
  /** Every simulated household's wash-sale policy and securities: the universe's, with its index history. */
  readonly identical: SubstantiallyIdenticalPolicy;
  readonly securities: readonly Security[];
  /** Per asset class of the universe: its id and its funds' indices in the market data. */
  readonly classFunds: ClassFunds;
  /** `serve(data, t)` for every calendar day. */
  readonly views: readonly MarketView[];
  /** Per symbol, per calendar day: the day's close, or the last one before it, or 0 (valuation only). */
  readonly marks: ReadonlyMap<Symbol, Float64Array>;
  /** 1 on the calendar days some fund goes ex-dividend. */
  readonly dividendDay: Uint8Array;
}

const prepared = new WeakMap<SimulationContext, Prepared>();

export function prepare(ctx: SimulationContext): Prepared {
  let p = prepared.get(ctx);
  if (p !== undefined) return p;
  const { data } = ctx;
  const n = ctx.calendar.year.length;
  const feeDay = new Uint8Array(n);
  for (let t = 0; t < n; t++) feeDay[t] = ctx.calendar.monthStart[t] === 1 && (ctx.calendar.month[t] as number) % 3 === 1 ? 1 : 0;
  const halfSpreadPpm = new Map<Symbol, number>();
  for (const c of ctx.universe.classes) {
    for (const s of c.securities) halfSpreadPpm.set(s.symbol, Math.round((ctx.config.halfSpreadBps.get(s.symbol) ?? s.halfSpreadBps) * 100));
  }
  const marks = new Map<Symbol, Float64Array>();
  const dividendDay = new Uint8Array(n);
  data.symbols.forEach((symbol, s) => {
    const close = data.close[s] as Float64Array;
    const mark = new Float64Array(n);
    let last = 0;
    for (let t = 0; t < n; t++) {
      const v = close[t] as number;
      if (!Number.isNaN(v)) last = v;
      mark[t] = last;
    }
    marks.set(symbol, mark);
    const dividend = data.dividend[s] as Float64Array;
    for (let t = 0; t < n; t++) if ((dividend[t] as number) > 0) dividendDay[t] = 1;
  });
  const classFunds = ctx.universe.classes.map((c) => ({ id: c.id, symbols: c.securities.flatMap((x) => (data.symbolIndex.has(x.symbol) ? [data.symbolIndex.get(x.symbol) as number] : [])) }));
  const strategies = [...ctx.strategies, ...ctx.tuningThresholds.filter((f) => dailyThreshold(ctx.strategies, f) < 0).map(thresholdStrategy)];
  p = {
    strategies,
    harvestOn: strategies.map((s) => harvestDays(s.schedule, ctx.calendar)),
    onConfig: strategies.map((s) => ({ ...ctx.config, trigger: s.trigger })),
    offConfig: { ...ctx.config, trigger: { kind: 'off' } },
    feeDay,
    halfSpreadPpm,
    hindsight: hindsightIndex(ctx.data, ctx.end, ctx.discountRate, classFunds),
    identical: { policy: 'groups', groups: [], periods: identicalPeriods(ctx.universe), matchCusip: false },
    securities: ctx.universe.classes.flatMap((c) => c.securities.map((x) => ({ symbol: x.symbol }))),
    classFunds,
    views: Array.from({ length: n }, (_, t) => serve(data, t)),
    marks,
    dividendDay,
  };
  prepared.set(ctx, p);
  return p;
}
