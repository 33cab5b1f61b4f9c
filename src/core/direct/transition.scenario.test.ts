/**
 * The transition on real prices (test/fixtures/sp500, 2020): a taxable account arrives on
 * 2020-02-18 with 40 % of its value in MSFT, bought over the years in lots of random basis (some
 * short-term), and cash; the household has an IRA holding a direct index of the same stocks, and
 * gains or losses already realized in January. Each day the policy decides, its orders are booked,
 * and the next day decides on the result (the day loop of directSleeve.test.ts), through the 2020
 * crash. Checked from the booked ledger: the account's net realized gain for the year never
 * passes the budget (or what January left it at, when that was already above), no loss is washed,
 * and the losses the sleeve harvests pay for selling more of MSFT than the budget alone allows.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkProperty } from '../kernel/property.test-util.js';
import { addDays, formatDay, yearOf, type Day } from '../kernel/calendar.js';
import { price, shares, usd, ZERO_USD, type Usd } from '../kernel/exact.js';
import { prng } from '../kernel/random.js';
import { book } from '../ledger/booking.js';
import type { LedgerEvent } from '../ledger/events.js';
import type { Ledger } from '../ledger/ledger.js';
import { accountId, eventId, symbol, type Account, type Household } from '../ledger/household.js';
import { DEFAULT_CONFIG } from '../harvest/config.js';
import { ordersToEvents } from '../harvest/orders.js';
import { decide } from '../harvest/policy.js';
import { householdState } from '../harvest/state.js';
import { StoppingTables } from '../harvest/stopping/opportunityCost.js';
import { FEDERAL_2025, UNIVERSE, day, rate } from '../harvest/testHousehold.test-util.js';
import { loadQpSolver } from '../../adapters/solver/highsQp.js';
import { DEFAULT_DIRECT, DirectSleeve } from './directSleeve.js';
import type { QpSolver } from './qp.js';
import { withShareClasses } from './shareClasses.js';
import { marketOn, sampleIndex, sampleModel, sampleTradingDays } from './testIndex.test-util.js';

const DIRECT = accountId('direct');
const IRA = accountId('ira');
const ACCOUNTS: Account[] = [
  { id: DIRECT, type: 'taxable', owner: 'self' },
  { id: IRA, type: 'traditional_ira', owner: 'self' },
];
const MSFT = symbol('MSFT');
const JNJ = symbol('JNJ');
const TABLES = new StoppingTables();
let solver: QpSolver;
let household: Household;

beforeAll(async () => {
  solver = await loadQpSolver({ timeLimitSeconds: 2 });
  household = withShareClasses(
    { settings: { filingStatus: 'married_filing_jointly', lotMethod: 'FIFO', substantiallyIdentical: { policy: 'same_symbol', groups: [], matchCusip: false } }, accounts: ACCOUNTS, securities: [] },
    sampleIndex().universe,
  );
});

/** Net realized gain of the taxable sales in `year` (the direct account's; the IRA's are not taxable), as Schedule D counts it. */
function realizedIn(ledger: Ledger, year: number): number {
  return ledger.dispositions.filter((d) => d.taxable && yearOf(d.date) === year).reduce((s, d) => s + d.gain + d.disallowed, 0);
}

interface Arrival {
  readonly seed: number;
  readonly budget: Usd;
  /** Net gain realized in January, before the transition starts (negative: a loss). */
  readonly prior: Usd;
  readonly harvest: boolean;
  readonly until: string;
}

interface Path {
  readonly events: LedgerEvent[];
  readonly sleeve: DirectSleeve;
  /** The year's net realized gain after each day's orders are booked. */
  readonly realized: number[];
}

function arrive(a: Arrival): Path {
  const rand = prng(a.seed);
  let n = 0;
  const id = () => eventId(`x${++n}`);
  const events: LedgerEvent[] = [];
  // $400,000 of MSFT at the 2020-02-14 close in 3-5 lots bought 2005-2019 (a few still short-term).
  const price0 = 185.35;
  const lots = 3 + Math.floor(rand() * 3);
  const total = Math.round(400_000 / price0);
  for (let k = 0; k < lots; k++) {
    const sh = k < lots - 1 ? Math.floor(total / lots) : total - Math.floor(total / lots) * (lots - 1);
    const basis = Math.round(sh * price0 * (0.1 + rand() * 1.1));
    const acquired = addDays(day('2005-01-03'), Math.floor(rand() * 5_440));
    events.push({ id: id(), date: day('2020-01-06'), account: DIRECT, kind: 'transfer_in', symbol: MSFT, shares: shares(String(sh)), basis: usd(String(basis)), acquired });
  }
  // January's realized gain: 1,000 JNJ transferred in and sold at $150.
  events.push({ id: id(), date: day('2020-01-06'), account: DIRECT, kind: 'transfer_in', symbol: JNJ, shares: shares('1000'), basis: (usd('150000') - a.prior) as Usd, acquired: day('2015-06-01') });
  events.push({ id: id(), date: day('2020-01-10'), account: DIRECT, kind: 'sell', symbol: JNJ, shares: shares('1000'), price: price('150'), fees: ZERO_USD });
  const days = sampleTradingDays('2020-02-14', a.until);
  const first = days[0] as Day;
  events.push({ id: id(), date: first, account: DIRECT, kind: 'deposit', amount: usd('450000') });
  events.push({ id: id(), date: first, account: IRA, kind: 'deposit', amount: usd('200000') });
  let model = sampleModel(day('2020-02-14'), 28).model;
  const config = { ...DEFAULT_DIRECT, construction: { maxWeight: 0.12, maxSectorWeight: 0.4 } };
  const sleeve = new DirectSleeve({ account: DIRECT, universe: sampleIndex().universe, model, solver, config: { ...config, transition: { yearlyGainBudget: a.budget } } });
  const ira = new DirectSleeve({ account: IRA, universe: sampleIndex().universe, model, solver, config });
  const policy = a.harvest ? DEFAULT_CONFIG : { ...DEFAULT_CONFIG, trigger: { kind: 'off' as const } };
  const realized: number[] = [];
  let month = -1;
  for (const [t, date] of days.entries()) {
    const m = Number(formatDay(date).slice(5, 7));
    if (month !== -1 && m !== month) {
      model = sampleModel(addDays(date, -1), Math.min(60, t + 20)).model;
      sleeve.useModel(model);
      ira.useModel(model);
    }
    month = m;
    for (const acct of ACCOUNTS) if (rand() < 0.05) events.push({ id: id(), date, account: acct.id, kind: 'deposit', amount: usd(String(1_000 + Math.floor(rand() * 20_000))) });
    const ledger = book(household, events);
    if (!ledger.ok) throw new Error(JSON.stringify(ledger.issues));
    const state = householdState({
      date,
      events,
      ledger: ledger.value,
      targets: new Map(),
      tax: {
        table: FEDERAL_2025,
        profile: { filingStatus: 'married_filing_jointly', income: { kind: 'taxable', ordinaryTaxableIncome: usd('400000') } },
        rates: { ordinary: rate('0.37'), shortTerm: rate('0.37'), longTerm: rate('0.238') },
      },
    });
    const p = decide(date, state, marketOn(sampleIndex().book, date), { universe: UNIVERSE, tables: TABLES, sleeves: [sleeve, ira], config: policy, explain: false });
    events.push(...ordersToEvents(p.orders, date, `d${t}`));
    const after = book(household, events);
    if (!after.ok) throw new Error(JSON.stringify(after.issues));
    realized.push(realizedIn(after.value, 2020));
  }
  return { events, sleeve, realized };
}

const sharesSold = (path: Path): number => (path.sleeve.transition?.reports ?? []).reduce((s, r) => s + r.sold.filter((x) => x.symbol === MSFT).reduce((a, x) => a + x.shares, 0), 0);
const gainsSold = (path: Path): number => (path.sleeve.transition?.reports ?? []).reduce((s, r) => s + r.gain, 0);

describe('a 40 % MSFT position moves into the index under a yearly gain budget (real prices, 2020)', () => {
  it('harvested losses pay for more: more gain realized than the budget, more MSFT sold than without harvesting', () => {
    const base = { seed: 11, budget: usd('30000'), prior: usd('5000'), until: '2020-04-30' };
    const harvesting = arrive({ ...base, harvest: true });
    const not = arrive({ ...base, harvest: false });
    for (const path of [harvesting, not]) {
      const final = book(household, path.events);
      if (!final.ok) throw new Error(JSON.stringify(final.issues));
      expect(final.value.dispositions.filter((d) => d.disallowed > 0)).toEqual([]);
      expect(Math.max(...path.realized)).toBeLessThanOrEqual(usd('30000'));
    }
    // Without harvesting the transition has the budget less January's gain: $25,000 at most.
    expect(gainsSold(not)).toBeLessThanOrEqual(usd('25000'));
    expect(gainsSold(harvesting)).toBeGreaterThan(usd('25000'));
    expect(sharesSold(harvesting)).toBeGreaterThan(sharesSold(not));
    const reports = harvesting.sleeve.transition?.reports ?? [];
    expect(reports[reports.length - 1]!.trackingError.after).toBeLessThan(reports[0]!.trackingError.before);
  });

  it('property: the year\'s net realized gain never passes the budget, and no loss is washed', () => {
    checkProperty(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom(usd('20000'), usd('60000')),
        fc.integer({ min: -20_000, max: 70_000 }),
        (seed, budget, prior) => {
          const path = arrive({ seed, budget, prior: usd(String(prior)), harvest: true, until: '2020-04-15' });
          const final = book(household, path.events);
          if (!final.ok) throw new Error(JSON.stringify(final.issues));
          expect(final.value.dispositions.filter((d) => d.disallowed > 0).map((d) => `${d.saleId} ${d.symbol}`)).toEqual([]);
          // Above the budget already in January: the transition may only bring it down.
          const ceiling = Math.max(budget, usd(String(prior)));
          for (const r of path.realized) expect(r).toBeLessThanOrEqual(ceiling);
          for (const r of path.sleeve.transition?.reports ?? []) expect(r.realizedBefore + r.gain).toBeLessThanOrEqual(Math.max(budget, r.realizedBefore));
        },
      ),
      { numRuns: 3 },
    );
  });
});
