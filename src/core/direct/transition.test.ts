/**
 * The concentrated-position transition, checked by hand on five stocks (docs/direct-indexing.md,
 * "Transition", walks through the first case). One factor (loading 0.2 for every stock and the
 * benchmark) and specific variances 1, 2, 4, 4, 8 %²; with at most 20 % per stock the target is
 * 20 % in each. The account is worth $1,000,000 at $100 a share: 1,500 shares of A, B, C and D
 * ($150,000 each) and 4,000 of E (40 %) in four lots:
 *
 *   E1 1,000 sh basis  $10/sh  2010  long-term   gain 0.9 per dollar
 *   E2 1,000 sh basis  $50/sh  2015  long-term   gain 0.5 per dollar
 *   E3 1,000 sh basis  $80/sh  2025-01-15 short-term gain 0.2 per dollar
 *   E4 1,000 sh basis $120/sh  2024-03-01 long-term loss $20,000
 *
 * On 2025-06-02 the sleeve harvests E4 (−$20,000). E is then $300,000, $100,000 above its
 * $200,000 target. Budget $25,000 and nothing realized before: room 25,000 + 20,000 = $45,000.
 * Long-term lots go first, least gain per dollar first: E2 at $50 a share fits 900 whole shares
 * (gain $45,000, proceeds $90,000); the room is then 0, so E1 and the short-term E3 (less gain per
 * dollar, but it turns long-term in January) wait. The year's net realized gain ends at exactly
 * the budget: −20,000 + 45,000 = $25,000.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { symbol, type Symbol } from '../ledger/household.js';
import { usd, type Usd } from '../kernel/exact.js';
import type { Lot } from '../ledger/lots.js';
import { DEFAULT_CONFIG } from '../harvest/config.js';
import type { SellOrder } from '../harvest/orders.js';
import { decide } from '../harvest/policy.js';
import { StoppingTables } from '../harvest/stopping/opportunityCost.js';
import { day, market, testState, UNIVERSE } from '../harvest/testHousehold.test-util.js';
import { loadQpSolver } from '../../adapters/solver/highsQp.js';
import { DEFAULT_DIRECT, DirectSleeve } from './directSleeve.js';
import type { IndexUniverse } from './indexUniverse.js';
import type { QpSolver } from './qp.js';
import type { RiskModel } from './riskModel.js';
import { pickLots, type LotOffer } from './transition.js';

const NAMES = ['A', 'B', 'C', 'D', 'E'].map(symbol);
const MODEL: RiskModel = {
  symbols: NAMES,
  index: new Map(NAMES.map((s, i) => [s, i])),
  factors: 1,
  loadings: Float64Array.from([0.2, 0.2, 0.2, 0.2, 0.2]),
  specific: Float64Array.from([0.01, 0.02, 0.04, 0.04, 0.08]),
  benchmarkLoadings: Float64Array.from([0.2]),
  benchmarkSpecific: 0,
  from: 0,
  through: 0,
};
const INDEX: IndexUniverse = {
  intervals: new Map(NAMES.map((s) => [s, [{ symbol: s, start: day('2000-01-03') }]])),
  sectors: new Map(),
  shareClasses: [],
};
const CLOSES = { A: 100, B: 100, C: 100, D: 100, E: 100 };
const TABLES = new StoppingTables();

const OTHERS = `
e5 2025-01-20 taxable transfer_in A 1500 basis 150000 acquired 2020-01-02
e6 2025-01-20 taxable transfer_in B 1500 basis 150000 acquired 2020-01-02
e7 2025-01-20 taxable transfer_in C 1500 basis 150000 acquired 2020-01-02
e8 2025-01-20 taxable transfer_in D 1500 basis 150000 acquired 2020-01-02`;
const E123 = `
e1 2025-01-20 taxable transfer_in E 1000 basis 10000 acquired 2010-03-01
e2 2025-01-20 taxable transfer_in E 1000 basis 50000 acquired 2015-03-02
e3 2025-01-20 taxable transfer_in E 1000 basis 80000 acquired 2025-01-15`;
const E4 = `
e4 2025-01-20 taxable transfer_in E 1000 basis 120000 acquired 2024-03-01`;

let solver: QpSolver;
beforeAll(async () => {
  solver = await loadQpSolver({ timeLimitSeconds: 5 });
});

function run(events: string, budget: string, options: { harvest?: boolean; targetTrackingError?: number; withdrawal?: string; spouse?: boolean } = {}) {
  const accounts = options.spouse === true ? 'taxable=taxable spouse=taxable:spouse' : 'taxable=taxable';
  const state = testState({ text: `accounts: ${accounts}\n${events}`, date: '2025-06-02', ...(options.withdrawal !== undefined ? { withdrawals: { taxable: options.withdrawal } } : {}) });
  const sleeve = new DirectSleeve({
    account: state.household.accounts[0]!.id,
    universe: INDEX,
    model: MODEL,
    solver,
    config: {
      ...DEFAULT_DIRECT,
      construction: { maxWeight: 0.2 },
      transition: { yearlyGainBudget: usd(budget), ...(options.targetTrackingError !== undefined ? { targetTrackingError: options.targetTrackingError } : {}) },
    },
  });
  const config = options.harvest === false ? { ...DEFAULT_CONFIG, trigger: { kind: 'off' as const } } : DEFAULT_CONFIG;
  const p = decide(day('2025-06-02'), state, market('2025-06-02', CLOSES), { universe: UNIVERSE, tables: TABLES, sleeves: [sleeve], config });
  const sells = p.orders.filter((o): o is SellOrder => o.side === 'sell');
  const lots = (rule: string) => sells.filter((o) => o.rule === rule).flatMap((o) => o.lots.map((l) => `${o.symbol} ${l.lotId} ${l.shares / 1e6}`));
  return { p, sleeve, lots, buys: p.orders.filter((o) => o.side === 'buy') };
}

describe('transition of a 40 % position under a yearly gain budget (hand-checked)', () => {
  it('harvests E4, then sells 900 shares of the long-term lot E2: the budget binds at exactly $25,000', () => {
    const r = run(OTHERS + E123 + E4, '25000');
    expect(r.lots('harvest')).toEqual(['E e4 1000']);
    expect(r.lots('rebalance')).toEqual(['E e2 900']);
    const report = r.sleeve.transition?.reports[0];
    expect(report?.sold).toEqual([{ symbol: 'E', shares: 900_000_000, proceeds: usd('90000'), gain: usd('45000'), lots: [{ lotId: 'e2', shares: 900_000_000, gain: usd('45000') }] }]);
    expect(report?.realizedBefore).toBe(usd('-20000'));
    expect(report?.gain).toBe(usd('45000'));
    expect(report?.left).toBe(0);
    expect(report?.overweightLeft).toBe(usd('10000'));
    // The proceeds ($190,000 with the harvest's) buy A-D toward 20 %; E is not bought back.
    expect(r.buys.map((b) => `${b.symbol} ${b.shares / 1e6}`)).toEqual(['A 500', 'B 500', 'C 450', 'D 450']);
    // TE² = Σ dᵢwᵢ² when fully invested. Before (after the harvest's replacement): A, B 20 %, C, D
    // 15 %, E 30 %: 0.0102. After: E 21 % and the caps fill A, B at 20 %, C, D at 19.5 %: 0.00777.
    expect(report!.trackingError.before).toBeCloseTo(Math.sqrt(0.0102), 6);
    expect(report!.trackingError.after).toBeCloseTo(Math.sqrt(0.00777), 6);
    expect(r.p.notes.some((n) => n.includes('transition sells E 900 shares (gain $45000.00)'))).toBe(true);
  });

  it('without the loss lot the same budget sells 500 shares of E2 ($25,000 of gain on $50,000)', () => {
    const r = run(OTHERS + E123, '25000');
    expect(r.lots('harvest')).toEqual([]);
    expect(r.lots('rebalance')).toEqual(['E e2 500']);
    expect(r.sleeve.transition?.reports[0]?.left).toBe(0);
  });

  it('with harvesting off, the transition sells the loss lot itself first and the room is the same', () => {
    const r = run(OTHERS + E123 + E4, '25000', { harvest: false });
    expect(r.lots('harvest')).toEqual([]);
    // Excess $200,000: E4 (−$20,000, $100,000), then 900 shares of E2 as before.
    expect(r.lots('rebalance')).toEqual(['E e4 1000', 'E e2 900']);
    expect(r.sleeve.transition?.reports[0]?.gain).toBe(usd('25000'));
  });

  it('a budget larger than the gains needed: the excess binds (E2 whole, nothing more)', () => {
    // Excess after the harvest $100,000: E2 whole is exactly that; E1 and E3 are not needed.
    const r = run(OTHERS + E123 + E4, '1000000');
    expect(r.lots('rebalance')).toEqual(['E e2 1000']);
    expect(r.sleeve.transition?.reports[0]?.overweightLeft).toBe(0);
  });

  it('a tracking-error target already met: nothing is sold', () => {
    const r = run(OTHERS + E123, '25000', { targetTrackingError: 0.5 });
    expect(r.lots('rebalance')).toEqual([]);
    expect(r.sleeve.transition?.reports).toEqual([]);
  });

  it("gains realized in the household's other accounts do not count: the budget is this account's", () => {
    // The spouse's account sold 300 A shares at $200 in February ($30,000 of gain): the same
    // $25,000 room as without it, 500 shares of E2.
    const spouse = '\ns1 2025-01-20 spouse transfer_in A 300 basis 30000 acquired 2020-01-02\ns2 2025-02-03 spouse sell A 300 @ 200 lots s1';
    const r = run(OTHERS + E123 + spouse, '25000', { spouse: true });
    expect(r.lots('rebalance')).toEqual(['E e2 500']);
    expect(r.sleeve.transition?.reports[0]?.realizedBefore).toBe(0);
  });

  it('a year already over the budget sells nothing at a gain and says why', () => {
    const r = run(OTHERS + E123 + '\ne9 2025-02-03 taxable sell A 300 @ 200 lots e5', '25000');
    expect(r.lots('rebalance')).toEqual([]);
    // A sold 300 shares at $200 in February: $30,000 realized. E is $300,000 of $930,000, target $186,000.
    expect(r.p.notes).toEqual([
      "direct index taxable: transition waits: $114000.00 above target, but the year's net realized gain $30000.00 leaves no room in the $25000.00 budget, and no lot of them is at a loss",
    ]);
  });
});

/**
 * A withdrawal due the same day (the policy raises it after the sleeve: losses, then long-term
 * lots by least gain per dollar, then short-term). A-D here cost $80 a share: 0.2 of gain per
 * dollar, as much as the short-term E3; E as above.
 */
const OTHERS_AT_80 = OTHERS.replaceAll('basis 150000', 'basis 120000');

describe('a withdrawal the same day counts against the budget', () => {
  it("the transition's proceeds cover it: the withdrawal sells nothing, the budget binds as before", () => {
    const r = run(OTHERS + E123, '25000', { withdrawal: '30000' });
    expect(r.lots('rebalance')).toEqual(['E e2 500']);
    expect(r.lots('withdrawal')).toEqual([]);
    // $50,000 of proceeds: $30,000 paid out, $20,000 placed.
    expect(r.p.orders.filter((o) => o.side === 'buy').reduce((s, b) => s + b.amount, 0)).toBeLessThanOrEqual(usd('20000'));
  });

  it('they cannot cover it: the transition raises the withdrawal first with the least gain, then sells within what is left', () => {
    // Budget $10,000. The full room would sell 200 E2 shares ($20,000) — less than $30,000. So the
    // withdrawal is raised first by least gain per dollar, either term: E3 (0.2, short-term, and
    // first by id among the 0.2 lots) 300 shares, $6,000 of gain; the transition then has $4,000:
    // 80 E2 shares. The year: exactly $10,000. Before, the transition used the whole $10,000 and the
    // policy's withdrawal sold 100 A shares for the rest: $2,000 beyond the budget.
    const r = run(OTHERS_AT_80 + E123, '10000', { withdrawal: '30000' });
    expect(r.lots('withdrawal')).toEqual(['E e3 300']);
    expect(r.lots('rebalance')).toEqual(['E e2 80']);
    const report = r.sleeve.transition?.reports[0];
    expect(report?.realizedBefore).toBe(usd('6000'));
    expect(report?.gain).toBe(usd('4000'));
    expect(report?.left).toBe(0);
    expect(r.sleeve.transition?.overruns).toEqual([]);
  });

  it('no room and no loss to pay it: the withdrawal is paid all the same, and the part beyond the budget is recorded', () => {
    // Budget $5,000: every lot gains at least 0.2 per dollar, so $30,000 realizes $6,000 at least.
    const r = run(OTHERS_AT_80 + E123, '5000', { withdrawal: '30000' });
    expect(r.lots('rebalance')).toEqual([]);
    expect(r.lots('withdrawal')).toEqual(['E e3 300']);
    expect(r.sleeve.transition?.overruns).toEqual([{ date: day('2025-06-02'), account: 'taxable', gain: usd('6000'), beyond: usd('1000'), realized: usd('6000'), budget: usd('5000') }]);
    expect(r.p.notes.some((n) => n.includes("today's withdrawal realizes $6000.00 of gain, $1000.00 of it beyond the $5000.00 budget: paid all the same"))).toBe(true);
  });
});

describe('pickLots', () => {
  const lot = (id: string, sh: number, basis: string, acquired: string): Lot => ({
    id,
    origin: id as Lot['origin'],
    seq: Number(id.slice(1)),
    account: 'taxable' as Lot['account'],
    symbol: 'E' as Symbol,
    shares: (sh * 1e6) as Lot['shares'],
    basis: usd(basis),
    acquired: day(acquired),
    heldFrom: day(acquired),
    washAdjustment: 0 as Usd,
    purchase: true,
    replacement: false,
  });
  const offer = (l: Lot): LotOffer => ({ lot: l, shares: l.shares, price: 100e8 as LotOffer['price'] });
  const lots = [lot('e1', 1000, '10000', '2010-03-01'), lot('e2', 1000, '50000', '2015-03-02'), lot('e3', 1000, '80000', '2025-01-15'), lot('e4', 1000, '120000', '2024-03-01')];

  it('losses first, then long-term, then short-term; a partial lot in whole shares', () => {
    const excess = new Map([[symbol('E'), usd('400000')]]);
    const { picks, room } = pickLots(lots.map(offer), excess, usd('100000.50'), day('2025-06-02'));
    // Room 100,000.50 + 20,000 = 120,000.50: E2 whole ($50,000), E1 777 whole shares at $90 of gain
    // ($69,930), the $70.50 left buys 3 shares of the short-term E3 at $20.
    expect(picks.map((p) => [p.lot.id, p.shares / 1e6, p.gain / 100])).toEqual([
      ['e4', 1000, -20000],
      ['e2', 1000, 50000],
      ['e1', 777, 69930],
      ['e3', 3, 60],
    ]);
    expect(room).toBe(usd('10.50'));
    expect(excess.get(symbol('E'))).toBe(usd('122000'));
  });

  it('no budget (an account without tax): the excess alone limits the sale', () => {
    const excess = new Map([[symbol('E'), usd('250050')]]);
    const { picks } = pickLots(lots.map(offer), excess, Infinity, day('2025-06-02'));
    expect(picks.map((p) => [p.lot.id, p.shares / 1e6])).toEqual([
      ['e4', 1000],
      ['e2', 1000],
      ['e1', 500],
    ]);
  });
});
