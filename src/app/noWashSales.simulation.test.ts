/**
 * The daily run's decisions, played over a year of real closes for 40 households (taxable, IRA and
 * spouse accounts; deposits, dividends, withdrawal requests): over 10,000 household-days. Each day the
 * run decides on what the book holds plus the approved orders not yet filled (`decideBatch`, the
 * run's own code); advisers approve with a lag of 0–3 days, or reject; approved orders fill at the
 * next trading day's close, a third of them in two parts. At the end every household's history is
 * booked by the ledger: its wash-sale engine must find no disallowed loss.
 *
 * The service's rules apply as they do in the book: a proposal not approved before the next run is
 * superseded by it, so an approval days later takes effect only if no run came in between (a
 * weekend); everything else an adviser approves late expires.
 */
import { describe, expect, it } from 'vitest';
import { setupDecoder } from '../adapters/files/setupDecoder.js';
import { taxTableFiles } from '../adapters/files/taxTableFiles.js';
import { testPrices } from '../adapters/files/testPrices.test-util.js';
import { addDays, formatDay, parseDay, yearOf, type Day } from '../core/kernel/calendar.js';
import { exact, usdOf, type Price, type Shares, type Usd } from '../core/kernel/exact.js';
import { prng } from '../core/kernel/random.js';
import type { PendingOrder } from '../core/harvest/pending.js';
import { UNIVERSE } from '../core/harvest/testHousehold.test-util.js';
import { book } from '../core/ledger/booking.js';
import type { LedgerEvent } from '../core/ledger/events.js';
import { accountId, eventId, type Account, type AccountId, type Household, type Symbol } from '../core/ledger/household.js';
import { marketOn } from '../core/market/shareUnits.js';
import { decideBatch, type DailyRunDeps } from './dailyRun.js';
import { householdId, type MarketSource, type StoredHousehold } from './ports.js';
import type { HouseholdDecision, SnapshotHousehold } from './runPorts.js';

const SYMBOLS = UNIVERSE.classes.flatMap((c) => c.securities.map((s) => s.symbol as string));
const PRICES = testPrices(...SYMBOLS.filter((s) => !['IYE', 'VTIP'].includes(s)));
const FROM = parseDay('2021-01-04') as Day;
const TO = parseDay('2021-12-31') as Day;
const HOUSEHOLDS = 40;

/** The fixture's trading days in the period, from SPY-like coverage of VTI. */
function tradingDays(): Day[] {
  const vti = PRICES.series.get('VTI' as Symbol);
  if (vti === undefined) throw new Error('no VTI');
  return [...vti.days].filter((d) => d >= FROM && d <= TO) as Day[];
}

/** Closes in the data's own (split-adjusted) units: every event of the simulation uses them too. */
const market: MarketSource = {
  async marketOn(date, symbols) {
    const view = marketOn(PRICES, date, 'split_adjusted');
    return { ok: true, value: { view, tradingDay: date, missing: symbols.filter((s) => view.close(s) === undefined), splits: new Map() } };
  },
};

interface Sim {
  readonly stored: StoredHousehold;
  readonly events: LedgerEvent[];
  readonly proposals: {
    id: string;
    created: Day;
    approveOn: Day | undefined;
    status: 'proposed' | 'approved' | 'rejected' | 'superseded' | 'filled';
    orders: HouseholdDecision['orders'];
    lossSales: readonly boolean[];
    filled: number[];
    /** When the orders fill: half of each then the rest, or all at once. */
    fillPlan: { day: Day; part: 'half' | 'rest' }[];
  }[];
  withdrawals: { id: string; account: AccountId; amount: Usd }[];
  n: number;
}

function household(i: number, rand: () => number): Sim {
  const accounts: Account[] = [{ id: accountId('joint'), type: 'taxable', owner: 'self' }];
  if (i % 2 === 0) accounts.push({ id: accountId('ira'), type: 'traditional_ira', owner: 'self' });
  if (i % 3 === 0) accounts.push({ id: accountId('spouse'), type: 'taxable', owner: 'spouse' });
  const h: Household = { settings: { filingStatus: 'married_filing_jointly', lotMethod: 'FIFO', substantiallyIdentical: { policy: 'same_symbol', groups: [], matchCusip: false } }, accounts, securities: [] };
  const targets = Object.fromEntries(accounts.map((a) => [a.id, { riskScore: 3 + Math.floor(rand() * 8) }]));
  const stored: StoredHousehold = {
    id: householdId(`h${i}`),
    name: `h${i}`,
    version: 1,
    household: h,
    accountInfo: new Map(),
    documents: { taxProfile: { ordinaryTaxableIncome: String(80_000 + Math.floor(rand() * 400_000)), state: ['CA', 'NY', 'TX', 'WA'][i % 4] }, targets },
    eventCount: 0,
    lastEventDate: undefined,
  };
  const events: LedgerEvent[] = accounts.map((a, k) => ({ id: eventId(`dep0-${k}`), date: FROM, account: a.id, kind: 'deposit', amount: (Math.round((20_000 + rand() * 200_000) * 100) as Usd) }));
  return { stored, events, proposals: [], withdrawals: [], n: 0 };
}

/** What the book would hand the run for this household on `date`. */
function snapshot(s: Sim, date: Day): SnapshotHousehold {
  const ledger = book(s.stored.household, s.events, { through: date });
  if (!ledger.ok) {
    const dump = s.events.filter((e) => 'symbol' in e && e.date >= addDays(date, -60)).map((e) => JSON.stringify(e));
    throw new Error(`${s.stored.id} does not book: ${JSON.stringify(ledger.issues)}\n${dump.join('\n')}\n${JSON.stringify(s.proposals.slice(-4), null, 1)}`);
  }
  const washed = ledger.value.dispositions.find((d) => d.disallowed > 0);
  if (washed !== undefined) {
    const sale = s.events.find((e) => e.id === washed.saleId);
    const prop = s.proposals.filter((p) => p.orders.length > 0).slice(-8).map((p) => `${p.id} ${formatDay(p.created)} ${p.status} ${p.orders.map((o) => `${o.side} ${o.account} ${o.symbol} ${o.rule} ${o.side === 'sell' ? o.lots.map((l) => l.lotId).join('+') : ''}`).join('; ')}`);
    throw new Error(`wash sale in ${s.stored.id}: ${JSON.stringify(washed)}\nsale ${JSON.stringify(sale)}\n${prop.join('\n')}\n${s.events.filter((e) => e.date >= addDays(washed.date, -31) && 'symbol' in e && e.symbol === washed.symbol).map((e) => JSON.stringify(e)).join('\n')}`);
  }
  const from = addDays(date, -30);
  const yearStart = parseDay(`${yearOf(date)}-01-01`) as Day;
  let shortTerm = 0;
  let longTerm = 0;
  const lossSales = new Set<string>();
  for (const d of ledger.value.dispositions) {
    if (!d.taxable) continue;
    if (d.date >= yearStart) {
      if (d.term === 'short') shortTerm += d.gain + d.disallowed;
      else longTerm += d.gain + d.disallowed;
    }
    if (d.date >= from && d.gain < 0) lossSales.add(d.saleId);
  }
  const pending: PendingOrder[] = [];
  for (const p of s.proposals) {
    if (p.status !== 'approved') continue;
    p.orders.forEach((o, k) => {
      const open = (o.shares - (p.filled[k] as number)) as Shares;
      if (open <= 0) return;
      if (o.side === 'buy') pending.push({ side: 'buy', account: o.account, symbol: o.symbol, shares: open, amount: Math.round((o.amount * open) / o.shares) as Usd });
      else pending.push({ side: 'sell', account: o.account, symbol: o.symbol, shares: open, lots: remainingLots(o.lots, p.filled[k] as number), lossSale: p.lossSales[k] ?? true });
    });
  }
  return {
    stored: s.stored,
    lots: ledger.value.openLots,
    cash: ledger.value.cash,
    realized: { shortTerm: shortTerm as Usd, longTerm: longTerm as Usd },
    recentEvents: s.events.filter((e) => e.date >= from && e.date <= date),
    recentLossSales: lossSales,
    pending,
    withdrawals: s.withdrawals,
  };
}

function remainingLots(lots: readonly { lotId: string; shares: Shares }[], filled: number): { lotId: string; shares: Shares }[] {
  let skip = filled;
  return lots.flatMap((l) => {
    const done = Math.min(skip, l.shares);
    skip -= done;
    return l.shares - done > 0 ? [{ lotId: l.lotId, shares: (l.shares - done) as Shares }] : [];
  });
}

function close(symbol: Symbol, date: Day): Price {
  const c = marketOn(PRICES, date, 'split_adjusted').close(symbol);
  const p = c === undefined ? undefined : exact('price', Math.round(c * 100) / 100);
  if (p === undefined || !p.ok) throw new Error(`no close for ${symbol} on ${formatDay(date)}`);
  return p.value;
}

/** Books `shares` of an order's fill at the day's close; sales name the lots still to relieve. */
function fill(s: Sim, p: Sim['proposals'][number], k: number, shares: number, date: Day): void {
  const o = p.orders[k];
  if (o === undefined || shares <= 0) return;
  const price = close(o.symbol, date);
  const id = eventId(`f${s.n++}`);
  if (o.side === 'buy') s.events.push({ id, date, account: o.account, kind: 'buy', symbol: o.symbol, shares: shares as Shares, price, fees: 0 as Usd });
  else {
    const lots = remainingLots(o.lots, p.filled[k] as number);
    let left = shares;
    const picks = lots.flatMap((l) => {
      const take = Math.min(left, l.shares);
      left -= take;
      return take > 0 ? [{ lot: l.lotId, shares: take as Shares }] : [];
    });
    s.events.push({ id, date, account: o.account, kind: 'sell', symbol: o.symbol, shares: shares as Shares, price, fees: 0 as Usd, selection: { method: 'SPECIFIC', lots: picks } });
  }
  p.filled[k] = (p.filled[k] as number) + shares;
}

describe('a year of daily runs, approvals with a lag and partial fills', () => {
  it('causes no wash sale in over 10,000 household-days (the ledger re-books every history)', { timeout: 600_000 }, async () => {
    const rand = prng(2021);
    const days = tradingDays();
    const deps: DailyRunDeps = { runs: undefined as never, market, tax: taxTableFiles(), universe: UNIVERSE, setups: setupDecoder };
    const sims = [...Array(HOUSEHOLDS).keys()].map((i) => household(i, rand));
    let householdDays = 0;
    let checkedDays = 0;
    const missed: string[] = [];
    let proposed = 0;
    let approved = 0;
    let fills = 0;
    for (let t = 0; t < days.length; t++) {
      const date = days[t] as Day;
      for (const s of sims) {
        // Fills due today, at today's close (orders approved on an earlier day).
        for (const p of s.proposals) {
          if (p.status !== 'approved') continue;
          for (const step of p.fillPlan.filter((x) => x.day === date)) {
            p.orders.forEach((o, k) => {
              const open = o.shares - (p.filled[k] as number);
              // An all-or-none sale fills whole, as the custodian is instructed.
              const whole = o.side === 'sell' && o.allOrNone === true;
              const quantity = step.part === 'half' && !whole ? Math.floor(open / 2) : open;
              if (quantity <= 0) return;
              fill(s, p, k, quantity, date);
              fills++;
            });
          }
          if (p.orders.every((o, k) => (p.filled[k] as number) >= o.shares)) p.status = 'filled';
        }
        // Approvals due today happen before today's run; a proposal a run has superseded stays so.
        for (const p of s.proposals) {
          if (p.status !== 'proposed' || p.approveOn === undefined || p.approveOn > date) continue;
          p.status = 'approved';
          approved++;
          const next = days[t + 1];
          const after = days[t + 2];
          if (next === undefined || after === undefined) continue;
          p.fillPlan = rand() < 1 / 3 ? [{ day: next, part: 'half' }, { day: after, part: 'rest' }] : [{ day: next, part: 'rest' }];
        }
        // Cash flows: monthly deposits, quarterly dividends in cash, now and then a withdrawal.
        if (t % 21 === 5) s.events.push({ id: eventId(`dep${s.n++}`), date, account: accountId('joint'), kind: 'deposit', amount: (Math.round(1_000 + rand() * 5_000) * 100) as Usd });
        if (t % 63 === 40) {
          const held = book(s.stored.household, s.events, { through: date });
          const lot = held.ok ? held.value.openLots.find((l) => l.account === 'joint') : undefined;
          if (lot !== undefined) s.events.push({ id: eventId(`div${s.n++}`), date, account: lot.account, kind: 'dividend', symbol: lot.symbol, amount: Math.max(1, Math.round(usdOf(lot.shares, close(lot.symbol, date)) * 0.004)) as Usd });
        }
        s.withdrawals = rand() < 0.01 ? [{ id: `w${s.n++}`, account: accountId('joint'), amount: (Math.round(500 + rand() * 3_000) * 100) as Usd }] : [];
      }
      // Yield between days: the test runner's own messages must get through a long test.
      await new Promise((r) => setImmediate(r));
      const snapshots = sims.map((s) => snapshot(s, date));
      const outcome = await decideBatch(deps, date, snapshots);
      householdDays += sims.length;
      if (t % 10 === 0) {
        // The screen passes every household `decide` would propose orders for.
        const everyone = await decideBatch(deps, date, snapshots, { screen: false });
        const screened = new Set(outcome.decisions.map((d) => d.household));
        for (const d of everyone.decisions) if (d.orders.length > 0 && !screened.has(d.household)) missed.push(`${formatDay(date)} ${d.household}: ${d.orders.map((o) => `${o.side} ${o.symbol} ${o.rule}`).join(', ')}`);
        checkedDays += sims.length;
      }
      expect(outcome.notes.filter((n) => n.kind === 'error')).toEqual([]);
      for (const s of sims) {
        // Today's run supersedes what was proposed before and not approved.
        for (const p of s.proposals) if (p.status === 'proposed') p.status = 'superseded';
        const d = outcome.decisions.find((x) => x.household === s.stored.id);
        if (d === undefined || d.orders.length === 0) continue;
        proposed++;
        const lag = Math.floor(rand() * 4);
        const rejected = rand() < 0.1;
        s.proposals.push({ id: `${s.stored.id}-${t}`, created: date, approveOn: rejected ? undefined : addDays(date, lag), status: rejected ? 'rejected' : 'proposed', orders: d.orders, lossSales: d.lossSales, filled: d.orders.map(() => 0), fillPlan: [] });
      }
    }
    expect(householdDays).toBeGreaterThanOrEqual(10_000);
    expect(checkedDays).toBeGreaterThan(900);
    expect(missed).toEqual([]);
    expect(approved).toBeGreaterThan(100);
    expect(fills).toBeGreaterThan(500);
    expect(proposed).toBeGreaterThan(approved);
    const washed: string[] = [];
    for (const s of sims) {
      const ledger = book(s.stored.household, s.events);
      if (!ledger.ok) throw new Error(`${s.stored.id}: ${JSON.stringify(ledger.issues)}`);
      for (const d of ledger.value.dispositions) if (d.disallowed > 0) washed.push(`${s.stored.id} ${d.saleId} ${d.symbol} ${formatDay(d.date)}: ${d.disallowed}`);
    }
    expect(washed).toEqual([]);
  });
});
