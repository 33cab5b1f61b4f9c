/**
 * The direct-index sleeve inside the daily policy, on real prices (test/fixtures/sp500 stocks, the
 * market fixture's ETFs), through the 2020 crash: households with a taxable direct index, the
 * spouse's ETF account, and an IRA holding the same stocks live from February to July with random
 * deposits, dividends and withdrawals. Every day the policy decides for the whole household, its
 * orders are booked, and at the end the wash-sale engine books the whole history: no loss may be
 * disallowed, and every harvest must leave tracking error within the budget.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkProperty } from '../kernel/property.test-util.js';
import { addDays, formatDay, type Day } from '../kernel/calendar.js';
import { usd, type Usd } from '../kernel/exact.js';
import { prng } from '../kernel/random.js';
import { book } from '../ledger/booking.js';
import type { LedgerEvent } from '../ledger/events.js';
import { checkInvariants } from '../ledger/invariants.js';
import { accountId, eventId, type Account, type AccountId, type Household, type Symbol } from '../ledger/household.js';
import type { PriceBook, PriceSeries } from '../market/prices.js';
import { ordersToEvents } from '../harvest/orders.js';
import { decide } from '../harvest/policy.js';
import { householdState, type Targets } from '../harvest/state.js';
import { StoppingTables } from '../harvest/stopping/opportunityCost.js';
import { FEDERAL_2025, UNIVERSE, day, rate } from '../harvest/testHousehold.test-util.js';
import { loadPriceBook, SAMPLE_PRICES } from '../../adapters/files/priceDirectory.js';
import { loadQpSolver } from '../../adapters/solver/highsQp.js';
import { DirectSleeve, DEFAULT_DIRECT } from './directSleeve.js';
import { withShareClasses } from './shareClasses.js';
import type { QpSolver } from './qp.js';
import { marketOn, sampleIndex, sampleModel, sampleTradingDays } from './testIndex.test-util.js';

const DIRECT = accountId('direct');
const SPOUSE = accountId('spouse');
const IRA = accountId('ira');
const ACCOUNTS: Account[] = [
  { id: DIRECT, type: 'taxable', owner: 'self' },
  { id: SPOUSE, type: 'taxable', owner: 'spouse' },
  { id: IRA, type: 'traditional_ira', owner: 'self' },
];
const TABLES = new StoppingTables();
let solver: QpSolver;
let prices: PriceBook;
let household: Household;

beforeAll(async () => {
  solver = await loadQpSolver({ timeLimitSeconds: 2 });
  const etfs = loadPriceBook(SAMPLE_PRICES, { symbols: ['VTI', 'SCHB', 'ITOT', 'BND', 'AGG', 'VCIT'] }).book;
  const { book: stocks, universe } = sampleIndex();
  prices = { series: new Map<Symbol, PriceSeries>([...stocks.series, ...etfs.series]), ambiguous: new Map() };
  household = withShareClasses(
    { settings: { filingStatus: 'married_filing_jointly', lotMethod: 'FIFO', substantiallyIdentical: { policy: 'same_symbol', groups: [], matchCusip: false } }, accounts: ACCOUNTS, securities: [] },
    universe,
  );
});

interface Life {
  readonly events: LedgerEvent[];
  readonly sleeves: DirectSleeve[];
  readonly harvestDays: number;
}

/** One household from 2020-02-18 to `until`; the risk model re-estimated at each month's start. */
function live(seed: number, budget: number, until: string): Life {
  const rand = prng(seed);
  const { universe } = sampleIndex();
  let model = sampleModel(day('2020-02-14'), 28).model;
  const config = { ...DEFAULT_DIRECT, trackingErrorBudget: budget, construction: { maxWeight: 0.12, maxSectorWeight: 0.4 } };
  const sleeves = [DIRECT, IRA].map((account) => new DirectSleeve({ account, universe, model, solver, config }));
  const targets = new Map<AccountId, Targets>([[SPOUSE, new Map([['us_stocks', 0.7], ['us_bonds', 0.3]])]]);
  const events: LedgerEvent[] = [];
  let n = 0;
  const id = () => eventId(`x${++n}`);
  const days = sampleTradingDays('2020-02-14', until);
  const first = days[0] as Day;
  for (const a of ACCOUNTS) events.push({ id: id(), date: first, account: a.id, kind: 'deposit', amount: usd(String(100_000 + Math.floor(rand() * 400_000))) });
  let harvestDays = 0;
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
    const state = householdState({
      date,
      events,
      ledger: ledger.value,
      targets,
      withdrawals,
      tax: {
        table: FEDERAL_2025,
        profile: { filingStatus: 'married_filing_jointly', income: { kind: 'taxable', ordinaryTaxableIncome: usd('400000') } },
        rates: { ordinary: rate('0.37'), shortTerm: rate('0.37'), longTerm: rate('0.238') },
      },
    });
    const before = sleeves[0]?.reports.length ?? 0;
    const p = decide(date, state, marketOn(prices, date), { universe: UNIVERSE, tables: TABLES, sleeves, explain: false });
    if ((sleeves[0]?.reports.length ?? 0) > before) harvestDays += 1;
    events.push(...ordersToEvents(p.orders, date, `d${t}`));
    for (const [account, amount] of withdrawals) {
      const cash = book(household, events);
      const have = cash.ok ? (cash.value.cash.get(account) ?? 0) : 0;
      const paid = Math.min(amount, have);
      if (paid > 0) events.push({ id: id(), date, account, kind: 'withdrawal', amount: paid as Usd });
    }
  }
  return { events, sleeves, harvestDays };
}

describe('a direct index through the 2020 crash (real prices)', () => {
  it('harvests stock by stock, never washes a loss, and keeps every harvest within the tracking budget', () => {
    const life = live(7, 0.04, '2020-06-30');
    const final = book(household, life.events);
    if (!final.ok) throw new Error(JSON.stringify(final.issues));
    expect(final.value.dispositions.filter((d) => d.disallowed > 0).map((d) => `${d.saleId} ${d.symbol}`)).toEqual([]);
    expect(checkInvariants(life.events, final.value)).toEqual([]);
    const reports = life.sleeves[0]?.reports ?? [];
    expect(life.harvestDays).toBeGreaterThan(2);
    const stocksHarvested = new Set(reports.flatMap((r) => r.sold.map((s) => s.symbol)));
    expect(stocksHarvested.size).toBeGreaterThan(5);
    for (const r of reports) expect(r.trackingError.after).toBeLessThanOrEqual(Math.max(r.budget, r.trackingError.before) + 1e-6);
    // The IRA sleeve invests but never harvests (no loss to deduct there).
    expect(life.sleeves[1]?.reports).toEqual([]);
    const direct = final.value.dispositions.filter((d) => d.account === DIRECT && d.gain < 0);
    expect(direct.length).toBeGreaterThan(10);
  });

  it('property: no wash sale across random households (direct index, ETF account, IRA, spouse)', () => {
    checkProperty(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom(0.03, 0.05), (seed, budget) => {
        const life = live(seed, budget, '2020-04-30');
        const final = book(household, life.events);
        if (!final.ok) throw new Error(JSON.stringify(final.issues));
        expect(final.value.dispositions.filter((d) => d.disallowed > 0).map((d) => `${d.saleId} ${d.symbol}`)).toEqual([]);
      }),
      { numRuns: 3 },
    );
  });
});
