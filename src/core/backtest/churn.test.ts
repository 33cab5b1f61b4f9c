/**
 * No churn: a no-harvest account trades only for deposits, dividends, fees and genuine drift, even
 * while an asset class cannot trade. The emerging-markets funds' real rows before 2021-06-01 are
 * cut from the fixture, so for its first 17 months the account cannot hold the class at all (the
 * situation of a class whose funds launch later than the account opens). Every trade of the
 * account is then counted and explained from its own events and the day's closes, independently of
 * the policy's code:
 *
 *  - a purchase needs cash that arrived that day: a deposit, a dividend, or the day's sales;
 *  - a sale on a fee day raises no more than the fee;
 *  - an alternate sold for its class's primary is a switch-back (the baseline holds an alternate
 *    when a rebalancing sale at a loss kept it from buying the primary for 30 days);
 *  - any other sale is rebalancing, and needs drift beyond the band, measured against the targets
 *    renormalized over the classes with a price, on that day, and still there the next (within
 *    half a point of market noise: the reason is not a one-day artefact); a class that has just become tradable and has not yet been filled to
 *    within the band is not drift (it is phased in with cash, not sales).
 */
import { describe, expect, it } from 'vitest';
import { FIXTURE_PRICES } from '../../adapters/files/testPrices.test-util.js';
import { loadPriceBook } from '../../adapters/files/priceDirectory.js';
import { parseDay, type Day } from '../kernel/calendar.js';
import { usdOf, type Price, type Shares } from '../kernel/exact.js';
import type { LedgerEvent } from '../ledger/events.js';
import type { Symbol } from '../ledger/household.js';
import { targetWeights } from '../securities/universe.js';
import { prepareBacktest, simulateSlice } from './backtest.js';
import { DEFAULT_STRATEGIES } from './strategies.js';
import { startingOn, testSpec } from './testBacktest.test-util.js';

const day = (s: string): Day => parseDay(s) as Day;
const LATE = ['VWO', 'SCHE', 'IEMG'];
const CLASS_STARTS = day('2021-06-01');
const BAND = 0.05;

function baselineRun() {
  const base = testSpec('2020-01-02', '2022-12-30', 1, { verify: false });
  const spec = {
    ...base,
    strategies: DEFAULT_STRATEGIES.filter((s) => s.id === 'none'),
    population: { ...base.population, count: 1, vintages: [2020], riskScores: [8], startDay: 'first_trading_day' as const, initialDeposit: { min: 100_000, max: 100_000 }, monthlyDepositShare: 1, monthlyDeposit: { min: 1_000, max: 1_000 } },
  };
  const prepared = prepareBacktest(spec, startingOn(loadPriceBook(FIXTURE_PRICES).book, LATE, CLASS_STARTS));
  if (!prepared.ok) throw new Error(JSON.stringify(prepared.issues));
  const [run] = simulateSlice({ ...prepared.value, ctx: { ...prepared.value.ctx, keepEvents: true } }, 0, 1);
  return { prepared: prepared.value, events: run?.runs[0]?.events ?? [] };
}

type Reason = 'deposit' | 'dividend' | 'fee' | 'drift' | 'switch_back';

describe('a baseline account trades only for deposits, dividends, fees and drift', () => {
  const { prepared, events } = baselineRun();
  const { data, universe } = prepared.ctx;
  const targets = targetWeights(universe, 8) as ReadonlyMap<string, number>;
  const classOf = new Map(universe.classes.flatMap((c) => c.securities.map((s) => [s.symbol as string, c.id] as const)));
  const close = (symbol: string, t: number): number => (data.close[data.symbolIndex.get(symbol as Symbol) as number] as Float64Array)[t] as number;
  const priced = (id: string, t: number): boolean => universe.classes.some((c) => c.id === id && c.securities.some((s) => data.symbolIndex.has(s.symbol) && !Number.isNaN(close(s.symbol, t))));
  const byDay = new Map<number, LedgerEvent[]>();
  for (const e of events) byDay.set(e.date, [...(byDay.get(e.date) ?? []), e]);
  const first = data.days.indexOf(events[0]?.date as number);

  /** Weights against the targets renormalized over priced classes (phasing ones left out). */
  function drifts(held: ReadonlyMap<string, number>, cash: number, t: number, phasing: ReadonlySet<string>): Map<string, number> {
    const values = new Map<string, number>();
    for (const [symbol, shares] of held) {
      const c = close(symbol, t);
      const id = classOf.get(symbol) as string;
      if (!Number.isNaN(c)) values.set(id, (values.get(id) ?? 0) + (shares / 1e6) * c);
    }
    const counted = [...targets].filter(([id, w]) => w > 0 && priced(id, t) && !phasing.has(id));
    const weightSum = counted.reduce((s, [, w]) => s + w, 0);
    const total = cash + counted.reduce((s, [id]) => s + (values.get(id) ?? 0), 0);
    return new Map(counted.map(([id, w]) => [id, (values.get(id) ?? 0) / total - w / weightSum]));
  }

  const held = new Map<string, number>();
  let cash = 0;
  const phasing = new Set<string>();
  const wasPriced = new Map([...targets.keys()].map((id) => [id, priced(id, first)]));
  const reasons: Reason[] = [];
  const unexplained: string[] = [];
  const driftSalesAfterStart: number[] = [];
  let emWeightAYearOn = 0;
  for (let t = first; t < data.days.length; t++) {
    const date = data.days[t] as Day;
    const today = byDay.get(date) ?? [];
    for (const e of today) if (e.kind === 'deposit' || e.kind === 'dividend') cash += e.amount / 100;
    for (const id of targets.keys()) {
      if (priced(id, t) && wasPriced.get(id) === false) phasing.add(id);
      wasPriced.set(id, priced(id, t));
    }
    for (const id of [...phasing]) if (((drifts(held, cash, t, new Set())).get(id) as number) >= -BAND) phasing.delete(id);
    const sells = today.filter((e) => e.kind === 'sell');
    const buys = today.filter((e) => e.kind === 'buy');
    const fee = today.find((e) => e.kind === 'fee');
    const kinds = new Set(today.map((e) => e.kind));
    let saleReason: Reason | undefined;
    if (sells.length > 0) {
      const proceeds = sells.reduce((s, e) => s + (e.kind === 'sell' ? usdOf(e.shares, e.price) / 100 : 0), 0);
      const feeAmount = fee?.kind === 'fee' ? fee.amount / 100 : 0;
      const primaryOf = (sym: string): string | undefined => universe.classes.find((c) => c.securities.some((x) => x.symbol === sym))?.securities[0]?.symbol;
      const switchBack = sells.every((e) => e.kind === 'sell' && primaryOf(e.symbol) !== e.symbol && buys.some((b) => b.kind === 'buy' && b.symbol === primaryOf(e.symbol)));
      if (switchBack && !kinds.has('deposit') && !kinds.has('dividend')) {
        saleReason = 'switch_back';
        reasons.push(...sells.map(() => 'switch_back' as const));
      } else if (fee !== undefined && proceeds <= feeAmount + 1) {
        saleReason = 'fee';
        reasons.push(...sells.map(() => 'fee' as const));
      } else {
        // Beyond the band that day, and still beyond (less half a point of market noise) the next.
        const beyond = (d: Map<string, number>, band: number): boolean => [...d.values()].some((x) => Math.abs(x) > band);
        const next = Math.min(t + 1, data.days.length - 1);
        if (beyond(drifts(held, cash, t, phasing), BAND) && beyond(drifts(held, cash, next, phasing), BAND - 0.005)) {
          saleReason = 'drift';
          reasons.push(...sells.map(() => 'drift' as const));
        } else unexplained.push(`${date}: ${sells.length} sale(s) without drift beyond the band`);
        if (date >= CLASS_STARTS && date < CLASS_STARTS + 60) driftSalesAfterStart.push(t);
      }
    }
    if (buys.length > 0) {
      if (kinds.has('deposit')) reasons.push(...buys.map(() => 'deposit' as const));
      else if (kinds.has('dividend')) reasons.push(...buys.map(() => 'dividend' as const));
      else if (saleReason === 'drift' || saleReason === 'switch_back') reasons.push(...buys.map(() => saleReason as Reason));
      else unexplained.push(`${date}: ${buys.length} purchase(s) without cash arriving`);
    }
    for (const e of today) {
      if (e.kind === 'buy') {
        held.set(e.symbol, (held.get(e.symbol) ?? 0) + e.shares);
        cash -= usdOf(e.shares, e.price) / 100;
      } else if (e.kind === 'sell') {
        held.set(e.symbol, (held.get(e.symbol) ?? 0) - e.shares);
        cash += usdOf(e.shares as Shares, e.price as Price) / 100;
      } else if (e.kind === 'fee') cash -= e.amount / 100;
    }
    if (date <= CLASS_STARTS + 365) emWeightAYearOn = (drifts(held, cash, t, new Set()).get('emerging_markets') ?? 0) + (targets.get('emerging_markets') as number);
  }

  it('explains every trade', () => {
    expect(unexplained).toEqual([]);
    const count = (r: Reason): number => reasons.filter((x) => x === r).length;
    const trades = events.filter((e) => e.kind === 'buy' || e.kind === 'sell').length;
    expect(count('deposit') + count('dividend') + count('fee') + count('drift') + count('switch_back')).toBe(trades);
    // Three years: 36 deposits into at most 9 classes, quarterly dividends, 12 fees; drift is rare.
    expect(count('deposit')).toBeGreaterThan(36);
    expect(count('dividend')).toBeGreaterThan(20);
    expect(count('drift')).toBeLessThan(40);
    expect(trades / 3).toBeLessThan(150);
  });

  it('phases a class that becomes tradable in through cash flows, without a burst of sales', () => {
    expect(driftSalesAfterStart).toEqual([]);
    const firstEm = events.find((e) => e.kind === 'buy' && LATE.includes(e.symbol));
    expect(firstEm?.date).toBeGreaterThanOrEqual(CLASS_STARTS);
    expect(firstEm?.date).toBeLessThan(CLASS_STARTS + 40);
    // A year on, deposits and dividends have filled most of the class's 10 % target.
    expect(emWeightAYearOn).toBeGreaterThan(0.5 * (targets.get('emerging_markets') as number));
  });
});
