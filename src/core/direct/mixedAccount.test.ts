/**
 * One account holding a direct index beside ETF classes (targets {"direct_index": 0.7,
 * "us_bonds": 0.3}, harvest/sleevePart.ts). Worked cases on a made-up day where every close is
 * $100 (the risk model is the sample's real one): a deposit split by the two parts' deficits and
 * each part investing its own share, an overweight sleeve getting none of it, an underweight
 * sleeve rebalanced by ETF sales whose cash waits for the sleeve's next placement, one day with a
 * harvest in each part, withdrawals (paid from the sleeve's harvest proceeds before anything is
 * sold; otherwise sold tax-aware across both parts), and a transition that sells the concentrated
 * stock and leaves the ETF part alone. Then the property: no wash sale across random households with a
 * mixed account, an IRA direct index and the spouse's ETF account, on real 2020 prices.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkProperty } from '../kernel/property.test-util.js';
import { addDays, formatDay, type Day } from '../kernel/calendar.js';
import { price, shares, usd, type Usd } from '../kernel/exact.js';
import { prng } from '../kernel/random.js';
import { book } from '../ledger/booking.js';
import type { LedgerEvent } from '../ledger/events.js';
import { checkInvariants } from '../ledger/invariants.js';
import { accountId, eventId, symbol, type Account, type AccountId, type Household, type Symbol } from '../ledger/household.js';
import type { PriceBook, PriceSeries } from '../market/prices.js';
import { DEFAULT_CONFIG, type MarketView } from '../harvest/config.js';
import { ordersToEvents, type BuyOrder, type Order, type SellOrder } from '../harvest/orders.js';
import { decide } from '../harvest/policy.js';
import type { Proposals } from '../harvest/proposals.js';
import { SLEEVE_TARGET } from '../harvest/sleevePart.js';
import { householdState, type Targets } from '../harvest/state.js';
import { StoppingTables } from '../harvest/stopping/opportunityCost.js';
import { FEDERAL_2025, UNIVERSE, day, rate } from '../harvest/testHousehold.test-util.js';
import { loadPriceBook, SAMPLE_PRICES } from '../../adapters/files/priceDirectory.js';
import { loadQpSolver } from '../../adapters/solver/highsQp.js';
import { DEFAULT_DIRECT, DirectSleeve, type DirectConfig } from './directSleeve.js';
import type { QpSolver } from './qp.js';
import { withShareClasses } from './shareClasses.js';
import { marketOn, sampleIndex, sampleModel, sampleTradingDays } from './testIndex.test-util.js';

const MIXED = accountId('mixed');
const SPOUSE = accountId('spouse');
const IRA = accountId('ira');
const ACCOUNTS: Account[] = [
  { id: MIXED, type: 'taxable', owner: 'self' },
  { id: SPOUSE, type: 'taxable', owner: 'spouse' },
  { id: IRA, type: 'traditional_ira', owner: 'self' },
];
const CONFIG: DirectConfig = { ...DEFAULT_DIRECT, trackingErrorBudget: 0.05, construction: { maxWeight: 0.12, maxSectorWeight: 0.4 } };
const STOCKS = ['AAPL', 'MSFT', 'JPM', 'JNJ', 'XOM', 'PG'].map(symbol);
const BND = symbol('BND');
const TABLES = new StoppingTables();
const isFund = (s: Symbol): boolean => UNIVERSE.classes.some((c) => c.securities.some((x) => x.symbol === s));
const isStock = (s: Symbol): boolean => !isFund(s);
const TAX = {
  table: FEDERAL_2025,
  profile: { filingStatus: 'married_filing_jointly' as const, income: { kind: 'taxable' as const, ordinaryTaxableIncome: usd('400000') } },
  rates: { ordinary: rate('0.37'), shortTerm: rate('0.37'), longTerm: rate('0.238') },
};
let solver: QpSolver;
let household: Household;

beforeAll(async () => {
  solver = await loadQpSolver({ timeLimitSeconds: 2 });
  household = withShareClasses(
    { settings: { filingStatus: 'married_filing_jointly', lotMethod: 'FIFO', substantiallyIdentical: { policy: 'same_symbol', groups: [], matchCusip: false } }, accounts: ACCOUNTS, securities: [] },
    sampleIndex().universe,
  );
});

const BOUGHT = day('2020-05-01');
const DAY = day('2020-06-01');
const mixedTargets = new Map<AccountId, Targets>([[MIXED, new Map([[SLEEVE_TARGET, 0.7], ['us_bonds', 0.3]])]]);
const buys = (orders: readonly Order[]): BuyOrder[] => orders.filter((o): o is BuyOrder => o.side === 'buy');
const sells = (orders: readonly Order[]): SellOrder[] => orders.filter((o): o is SellOrder => o.side === 'sell');
const spent = (orders: readonly BuyOrder[]): number => orders.reduce((s, o) => s + o.amount, 0);

/** The account after buying each stock and BND at $100 on May 1, and a deposit on the day. */
function events(perStock: string, bnd: string, deposit: string): LedgerEvent[] {
  const out: LedgerEvent[] = [];
  const total = Number(perStock) * STOCKS.length + Number(bnd);
  out.push({ id: eventId('d0'), date: BOUGHT, account: MIXED, kind: 'deposit', amount: usd(String(total * 100)) });
  for (const s of [...STOCKS, BND]) {
    const n = s === BND ? bnd : perStock;
    out.push({ id: eventId(`b-${s}`), date: BOUGHT, account: MIXED, kind: 'buy', symbol: s, shares: shares(n), price: price('100'), fees: usd('0') });
  }
  if (Number(deposit) > 0) out.push({ id: eventId('d1'), date: DAY, account: MIXED, kind: 'deposit', amount: usd(deposit) });
  return out;
}

/** The policy's day for the mixed account at the given closes (every other close $100), with an optional withdrawal. */
function run(evs: readonly LedgerEvent[], date: Day, closes: Record<string, number> = {}, withdrawal?: Usd, config = CONFIG): { proposals: Proposals; sleeve: DirectSleeve } {
  const { model, universe } = sampleModel(day('2020-05-29'), 40);
  const sleeve = new DirectSleeve({ account: MIXED, universe, model, solver, config });
  const ledger = book(household, evs, { through: date });
  if (!ledger.ok) throw new Error(JSON.stringify(ledger.issues));
  const withdrawals = new Map(withdrawal === undefined ? [] : [[MIXED, withdrawal]]);
  const state = householdState({ date, events: evs, ledger: ledger.value, targets: mixedTargets, withdrawals, tax: TAX });
  const view: MarketView = { date, close: (s) => closes[s] ?? 100 };
  return { proposals: decide(date, state, view, { universe: UNIVERSE, tables: TABLES, sleeves: [sleeve], config: DEFAULT_CONFIG }), sleeve };
}

const runWith = (closes: Record<string, number>, withdrawal: Usd) => run(events('100', '400', '0'), DAY, closes, withdrawal);

describe('a mixed account: direct index 70 %, bond ETF 30 % (every close $100 on the day)', () => {

  it('a $15,000 deposit into $60,000 of stocks and $25,000 of BND: $10,000 to the sleeve, $5,000 to bonds', () => {
    // Total $100,000: the sleeve is $10,000 below 70 %, bonds $5,000 below 30 %; the deficits take the cash.
    const { proposals } = run(events('100', '250', '15000'), DAY);
    const all = buys(proposals.orders);
    expect(sells(proposals.orders)).toEqual([]);
    const bonds = all.filter((b) => !isStock(b.symbol));
    expect(bonds.map((b) => [b.symbol, b.amount, b.shares, b.rule])).toEqual([[BND, usd('5000'), shares('50'), 'invest_cash']]);
    // The sleeve places its $10,000 (less what is below its smallest purchase) in stocks only.
    const stocks = all.filter((b) => isStock(b.symbol));
    expect(spent(stocks)).toBeLessThanOrEqual(usd('10000'));
    expect(spent(stocks)).toBeGreaterThan(usd('9500'));
    expect(stocks.every((b) => b.rule === 'invest_cash')).toBe(true);
  });

  it('an overweight sleeve ($72,000 of stocks, $18,000 of BND, $10,000 deposited) gets none of the deposit', () => {
    // Bonds are $12,000 below 30 %, more than the deposit: all of it buys BND, and the sleeve (72 %) is within the band.
    const { proposals } = run(events('120', '180', '10000'), DAY);
    expect(proposals.orders.map((o) => [o.side, o.symbol, o.side === 'buy' ? o.amount : 0])).toEqual([['buy', BND, usd('10000')]]);
  });

  it('an underweight sleeve ($48,000 of stocks, $52,000 of BND): BND sold to 30 %, the cash placed by the sleeve the next day', () => {
    const evs = events('80', '520', '0');
    const first = run(evs, DAY);
    // 22 points below target, beyond the 5 % band: $22,000 of BND sold, set aside for the sleeve, which has already placed today's cash.
    expect(first.proposals.orders.map((o) => [o.side, o.symbol, o.rule])).toEqual([['sell', BND, 'rebalance']]);
    expect(sells(first.proposals.orders)[0]?.shares).toBe(shares('220'));
    const next = addDays(DAY, 1);
    const second = run([...evs, ...ordersToEvents(first.proposals.orders, DAY, 'r')], next);
    const stocks = buys(second.proposals.orders);
    expect(sells(second.proposals.orders)).toEqual([]);
    expect(stocks.every((b) => isStock(b.symbol))).toBe(true);
    expect(spent(stocks)).toBeLessThanOrEqual(usd('22000'));
    expect(spent(stocks)).toBeGreaterThan(usd('21000'));
  });

  it('harvests XOM in the sleeve and BND in the ETF part on one day, each replaced from its own proceeds', () => {
    const { proposals, sleeve } = run(events('100', '300', '0'), DAY, { XOM: 60, BND: 90 });
    const sold = sells(proposals.orders);
    expect(sold.map((s) => [s.symbol, s.rule]).sort()).toEqual([
      [BND, 'harvest'],
      [symbol('XOM'), 'harvest'],
    ]);
    const all = buys(proposals.orders);
    const etf = all.filter((b) => !isStock(b.symbol));
    const stocks = all.filter((b) => isStock(b.symbol));
    // BND's $27,000 buy its alternate (not BND: the loss would wash); XOM's $6,000 buy other stocks.
    expect(etf.map((b) => b.symbol)).not.toContain(BND);
    expect(etf.every((b) => UNIVERSE.classes.find((c) => c.id === 'us_bonds')?.securities.some((x) => x.symbol === b.symbol))).toBe(true);
    expect(spent(etf)).toBeGreaterThan(usd('26900'));
    expect(spent(etf)).toBeLessThanOrEqual(usd('27000'));
    expect(stocks.map((b) => b.symbol)).not.toContain(symbol('XOM'));
    expect(stocks.every((b) => b.rule === 'harvest_replacement')).toBe(true);
    expect(spent(stocks)).toBeLessThanOrEqual(usd('6000'));
    expect(spent(stocks)).toBeGreaterThan(usd('5500'));
    expect(sleeve.reports.map((r) => r.sold.map((s) => s.symbol))).toEqual([[symbol('XOM')]]);
    const r = sleeve.reports[0];
    expect(r?.trackingError.after).toBeLessThanOrEqual(Math.max(CONFIG.trackingErrorBudget, r?.trackingError.before ?? 0) + 1e-6);
  });
});

describe('withdrawals from a mixed account', () => {
  it('a $1,000 withdrawal on a day XOM is harvested is paid from its $6,000 of proceeds: no gain sold, $5,000 replaced', () => {
    // BND and the other stocks stand at a gain ($110 against $100): selling them would realize it.
    const closes = { XOM: 60, BND: 110, AAPL: 110, MSFT: 110, JPM: 110, JNJ: 110, PG: 110 };
    const { proposals, sleeve } = runWith(closes, usd('1000'));
    expect(sells(proposals.orders).map((o) => [o.symbol, o.rule])).toEqual([[symbol('XOM'), 'harvest']]);
    const stocks = buys(proposals.orders);
    expect(stocks.every((b) => isStock(b.symbol) && b.symbol !== symbol('XOM'))).toBe(true);
    expect(spent(stocks)).toBeLessThanOrEqual(usd('5000'));
    expect(spent(stocks)).toBeGreaterThan(usd('4500'));
    expect(proposals.notes).toContain('withdrawal of $1000.00 from mixed');
    expect(sleeve.reports).toHaveLength(1);
  });

  it('without a harvest, the withdrawal sells tax-aware across both parts: the loss in the ETF part first', () => {
    // BND at a small loss (not worth harvesting against its spread and opportunity cost), stocks at gains.
    const closes = { XOM: 110, BND: 99.9, AAPL: 110, MSFT: 110, JPM: 110, JNJ: 110, PG: 110 };
    const { proposals } = runWith(closes, usd('5000'));
    expect(sells(proposals.orders).map((o) => [o.symbol, o.rule])).toEqual([[BND, 'withdrawal']]);
  });
});

describe('a transition in a mixed account', () => {
  it('sells the concentrated stock down, never the ETF part', () => {
    // MSFT is half of the $100,000 sleeve; BND ($43,000) is the ETF part's, not a legacy holding to sell.
    const evs = events('100', '430', '0').map((e) => (e.kind === 'buy' && e.symbol === symbol('MSFT') ? { ...e, shares: shares('500') } : e));
    const deposit = evs[0] as LedgerEvent & { kind: 'deposit' };
    const funded = [{ ...deposit, amount: usd('143000') }, ...evs.slice(1)];
    const { proposals, sleeve } = run(funded, DAY, {}, undefined, { ...CONFIG, transition: { yearlyGainBudget: usd('100000') } });
    expect(sleeve.transition?.reports.flatMap((r) => r.sold.map((x) => x.symbol))).toEqual([symbol('MSFT')]);
    expect(sells(proposals.orders).map((o) => o.symbol)).toEqual([symbol('MSFT')]);
    expect(buys(proposals.orders).every((b) => isStock(b.symbol))).toBe(true);
  });
});

describe('property: no wash sale with a mixed account, an IRA direct index and the spouse ETF account (real 2020 prices)', () => {
  let prices: PriceBook;

  beforeAll(() => {
    const etfs = loadPriceBook(SAMPLE_PRICES, { symbols: ['VTI', 'SCHB', 'ITOT', 'BND', 'AGG', 'VCIT'] }).book;
    prices = { series: new Map<Symbol, PriceSeries>([...sampleIndex().book.series, ...etfs.series]), ambiguous: new Map() };
  });



  /** One household from 2020-02-18 through April: random weights, deposits, withdrawals; the model re-estimated monthly. */
  function live(seed: number, direct: number, withStocks: boolean): { events: LedgerEvent[]; sleeves: DirectSleeve[] } {
    const rand = prng(seed);
    let { model } = sampleModel(day('2020-02-14'), 28);
    const { universe } = sampleIndex();
    const sleeves = [MIXED, IRA].map((account) => new DirectSleeve({ account, universe, model, solver, config: CONFIG }));
    // The mixed account may hold a total-market ETF (a completion fund) beside the direct index: not substantially identical to its stocks.
    const etfPart = withStocks ? [['us_stocks', (1 - direct) / 2] as const, ['us_bonds', (1 - direct) / 2] as const] : [['us_bonds', 1 - direct] as const];
    const targets = new Map<AccountId, Targets>([
      [MIXED, new Map<string, number>([[SLEEVE_TARGET, direct], ...etfPart])],
      [SPOUSE, new Map([['us_stocks', 0.7], ['us_bonds', 0.3]])],
    ]);
    const events: LedgerEvent[] = [];
    let n = 0;
    const id = () => eventId(`x${++n}`);
    const days = sampleTradingDays('2020-02-14', '2020-04-30');
    for (const a of ACCOUNTS) events.push({ id: id(), date: days[0] as Day, account: a.id, kind: 'deposit', amount: usd(String(100_000 + Math.floor(rand() * 400_000))) });
    let month = -1;
    for (const [t, date] of days.entries()) {
      const m = Number(formatDay(date).slice(5, 7));
      if (month !== -1 && m !== month) {
        model = sampleModel(addDays(date, -1), Math.min(60, t + 20)).model;
        for (const s of sleeves) s.useModel(model);
      }
      month = m;
      for (const a of ACCOUNTS) if (rand() < 0.05) events.push({ id: id(), date, account: a.id, kind: 'deposit', amount: usd(String(1_000 + Math.floor(rand() * 20_000))) });
      const withdrawals = new Map<AccountId, Usd>();
      if (rand() < 0.04) withdrawals.set((ACCOUNTS[Math.floor(rand() * 3)] as Account).id, usd(String(2_000 + Math.floor(rand() * 10_000))));
      const ledger = book(household, events);
      if (!ledger.ok) throw new Error(JSON.stringify(ledger.issues));
      const state = householdState({ date, events, ledger: ledger.value, targets, withdrawals, tax: TAX });
      const p = decide(date, state, marketOn(prices, date), { universe: UNIVERSE, tables: TABLES, sleeves, explain: false });
      events.push(...ordersToEvents(p.orders, date, `d${t}`));
      for (const [account, amount] of withdrawals) {
        const after = book(household, events);
        const paid = Math.min(amount, after.ok ? (after.value.cash.get(account) ?? 0) : 0);
        if (paid > 0) events.push({ id: id(), date, account, kind: 'withdrawal', amount: paid as Usd });
      }
    }
    return { events, sleeves };
  }

  it('books every history without a disallowed loss; both parts harvest, each harvest within its budget', () => {
    let stockHarvests = 0;
    let etfHarvests = 0;
    checkProperty(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom(0.5, 0.7, 0.9), fc.boolean(), (seed, direct, withStocks) => {
        const life = live(seed, direct, withStocks);
        const final = book(household, life.events);
        if (!final.ok) throw new Error(JSON.stringify(final.issues));
        expect(final.value.dispositions.filter((d) => d.disallowed > 0).map((d) => `${d.saleId} ${d.symbol}`)).toEqual([]);
        expect(checkInvariants(life.events, final.value)).toEqual([]);
        for (const r of life.sleeves[0]?.reports ?? []) expect(r.trackingError.after).toBeLessThanOrEqual(Math.max(r.budget, r.trackingError.before) + 1e-6);
        // The account stays near its split: the drift band (5 %) plus the cash a day's flows leave.
        const last = day('2020-04-30');
        let direct$ = 0;
        let etf$ = 0;
        for (const lot of final.value.openLots.filter((l) => l.account === MIXED)) {
          const v = (lot.shares / 1e6) * (marketOn(prices, last).close(lot.symbol) ?? 0);
          if (isFund(lot.symbol)) etf$ += v;
          else direct$ += v;
        }
        expect(Math.abs(direct$ / (direct$ + etf$) - direct)).toBeLessThan(0.08);
        const losses = final.value.dispositions.filter((d) => d.account === MIXED && d.gain < 0);
        stockHarvests += losses.filter((d) => !isFund(d.symbol)).length;
        etfHarvests += losses.filter((d) => isFund(d.symbol)).length;
      }),
      { numRuns: 5 },
    );
    // The property is about both parts: the crash gives each of them losses to harvest.
    expect(stockHarvests).toBeGreaterThan(5);
    expect(etfHarvests).toBeGreaterThan(0);
  });
});
