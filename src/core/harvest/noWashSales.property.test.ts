/**
 * The harvester never causes a wash sale. Random households — a taxable account, the spouse's, an
 * IRA and a Roth — live through random price paths with random deposits, cash dividends and
 * withdrawals; every day the policy decides, its orders become ledger events, and at the end the
 * wash-sale engine books the whole history: not one loss may be disallowed, in any account. On
 * every day `screen` says "nothing to do", `decide` must indeed propose no order; and without
 * explanations (as backtests run it) it must propose the same orders.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { book } from '../ledger/booking.js';
import { addDays, type Day } from '../kernel/calendar.js';
import type { LedgerEvent } from '../ledger/events.js';
import { checkInvariants } from '../ledger/invariants.js';
import { usd, type Usd } from '../kernel/exact.js';
import { accountId, eventId, symbol, type Account, type AccountId, type Household, type Symbol } from '../ledger/household.js';
import type { MarketView } from './config.js';
import { ordersToEvents } from './orders.js';
import { decide } from './policy.js';
import { screen } from './bulk/screen.js';
import { householdState, type Targets } from './state.js';
import { FEDERAL_2025, UNIVERSE, day, rate } from './testHousehold.test-util.js';
import { StoppingTables } from './stopping/opportunityCost.js';
import { gaussian, prng } from '../kernel/random.js';
import { checkProperty } from '../kernel/property.test-util.js';

const ACCOUNTS: Account[] = [
  { id: accountId('joint'), type: 'taxable', owner: 'self' },
  { id: accountId('spouse'), type: 'taxable', owner: 'spouse' },
  { id: accountId('ira'), type: 'traditional_ira', owner: 'self' },
  { id: accountId('roth'), type: 'roth_ira', owner: 'spouse' },
];
const CLASSES = [
  { id: 'us_stocks', symbols: ['VTI', 'SCHB', 'ITOT'], vol: 0.022 },
  { id: 'us_bonds', symbols: ['BND', 'AGG', 'VCIT'], vol: 0.006 },
  { id: 'emerging_markets', symbols: ['VWO', 'IEMG', 'SCHE'], vol: 0.025 },
];
const HOUSEHOLD: Household = {
  settings: { filingStatus: 'married_filing_jointly', lotMethod: 'FIFO', substantiallyIdentical: { policy: 'same_symbol', groups: [], matchCusip: false } },
  accounts: ACCOUNTS,
  securities: [],
};
const TABLES = new StoppingTables();

interface World {
  readonly seed: number;
  readonly days: number;
  readonly stockShare: number;
  /** Days before emerging markets have a price (a class whose funds start late), then 20 days phasing it in. */
  readonly lateDays: number;
}

/** Runs one household through `days` trading days; returns every event booked. */
function live(w: World): LedgerEvent[] {
  const rand = prng(w.seed);
  const prices = new Map<Symbol, number>();
  for (const c of CLASSES) for (const s of c.symbols) prices.set(symbol(s), c.id === 'us_stocks' ? 100 + 200 * rand() : 50 + 50 * rand());
  const targets = new Map<AccountId, Targets>(ACCOUNTS.map((a) => [a.id, new Map([['us_stocks', w.stockShare * 0.8], ['emerging_markets', w.stockShare * 0.2], ['us_bonds', 1 - w.stockShare]])]));
  const events: LedgerEvent[] = [];
  let n = 0;
  const id = () => eventId(`x${++n}`);
  let date = day('2025-01-02');
  for (const a of ACCOUNTS) events.push({ id: id(), date, account: a.id, kind: 'deposit', amount: usd(String(5_000 + Math.floor(rand() * 20_000))) });
  for (let t = 0; t < w.days; t++) {
    date = addDays(date, rand() < 0.8 ? 1 : 3) as Day;
    for (const c of CLASSES) {
      const common = gaussian(rand) * c.vol;
      for (const s of c.symbols) prices.set(symbol(s), Math.max(1, (prices.get(symbol(s)) as number) * Math.exp(common + gaussian(rand) * c.vol * 0.15)));
    }
    const closes = new Map([...prices].filter(([s]) => t >= w.lateDays || !CLASSES[2]?.symbols.includes(s)).map(([s, p]) => [s, Math.round(p * 100) / 100]));
    const market: MarketView = { date, close: (s) => closes.get(s) };
    for (const a of ACCOUNTS) {
      if (rand() < 0.08) events.push({ id: id(), date, account: a.id, kind: 'deposit', amount: usd(String(500 + Math.floor(rand() * 3_000))) });
      if (rand() < 0.05) events.push({ id: id(), date, account: a.id, kind: 'dividend', symbol: symbol('VTI'), amount: usd(String(20 + Math.floor(rand() * 80))) });
    }
    const withdrawals = new Map<AccountId, Usd>();
    if (rand() < 0.04) withdrawals.set((ACCOUNTS[Math.floor(rand() * 4)] as Account).id, usd(String(1_000 + Math.floor(rand() * 4_000))));
    const ledger = book(HOUSEHOLD, events);
    if (!ledger.ok) throw new Error(JSON.stringify(ledger.issues));
    const phasing = t >= w.lateDays && t < w.lateDays + 20 ? { phaseIn: new Map(ACCOUNTS.map((a) => [a.id, new Set(['emerging_markets'])])) } : {};
    const state = { ...phasing, ...householdState({
      date,
      events,
      ledger: ledger.value,
      targets,
      withdrawals,
      tax: {
        table: FEDERAL_2025,
        profile: { filingStatus: 'married_filing_jointly', income: { kind: 'taxable', ordinaryTaxableIncome: usd('300000') } },
        rates: { ordinary: rate('0.37'), shortTerm: rate('0.37'), longTerm: rate('0.238') },
      },
    }) };
    const context = { universe: UNIVERSE, tables: TABLES };
    const p = decide(date, state, market, context);
    if (!screen(date, state, market, context)) {
      quietDays += 1;
      expect(p.orders).toEqual([]);
    }
    if (t % 5 === 0) expect(decide(date, state, market, { ...context, explain: false }).orders).toEqual(p.orders);
    events.push(...ordersToEvents(p.orders, date, `d${t}`));
    for (const [account, amount] of withdrawals) {
      const cash = book(HOUSEHOLD, events);
      const have = cash.ok ? (cash.value.cash.get(account) ?? 0) : 0;
      const paid = Math.min(amount, have);
      if (paid > 0) events.push({ id: id(), date, account, kind: 'withdrawal', amount: paid as Usd });
    }
  }
  return events;
}

let quietDays = 0;

describe('the daily policy over random households and price paths', () => {
  it('never causes a wash sale, in any account, keeps the ledger consistent, and screens out only days without orders', () => {
    let harvests = 0;
    checkProperty(
      fc.property(
        fc.record({ seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }), days: fc.integer({ min: 20, max: 60 }), stockShare: fc.double({ min: 0.3, max: 0.9, noNaN: true }), lateDays: fc.integer({ min: 0, max: 40 }) }),
        (w) => {
          const events = live(w);
          const final = book(HOUSEHOLD, events);
          if (!final.ok) throw new Error(JSON.stringify(final.issues));
          const washed = final.value.dispositions.filter((d) => d.disallowed > 0);
          expect(washed.map((d) => `${d.saleId} ${d.symbol} ${d.disallowed}`)).toEqual([]);
          expect(checkInvariants(events, final.value)).toEqual([]);
          harvests += final.value.dispositions.filter((d) => d.taxable && d.gain < 0).length;
        },
      ),
      { numRuns: 1_000 },
    );
    expect(harvests).toBeGreaterThan(100);
    expect(quietDays).toBeGreaterThan(1_000);
  });
});
