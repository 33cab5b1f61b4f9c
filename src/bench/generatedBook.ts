/**
 * A generated book for the daily run's benchmark and fault tests: `households` client households,
 * each with a taxable account, and some with an IRA and a spouse's account, about `lotsPerHousehold`
 * purchase lots of the universe's funds bought over three years, about `lossShare` of them at a
 * loss on the run date's closes (most by about a day's move, as in a book harvested every day), a
 * tax profile and (for half of them) risk-score targets, held on target.
 *
 * It writes straight into the book's tables — each household's events (a deposit and its buys)
 * and the booked state those events give (open lots, cash), in the store's own row format — so a
 * hundred thousand households load in seconds; `lotsmith book verify` re-books any of them and
 * finds the same state.
 */
import { sql } from 'drizzle-orm';
import { tenantId, type TenantId } from '../app/ports.js';
import { addDays, formatDay, type Day } from '../core/kernel/calendar.js';
import { exact, usdOf, type Price, type Shares, type Usd } from '../core/kernel/exact.js';
import { prng } from '../core/kernel/random.js';
import type { LedgerEvent } from '../core/ledger/events.js';
import { accountId, eventId, type AccountId, type Symbol } from '../core/ledger/household.js';
import { targetWeights, type Universe } from '../core/securities/universe.js';
import type { Lot } from '../core/ledger/lots.js';
import { insertRows, type Executor } from '../adapters/store/bulk.js';
import type { Database } from '../adapters/store/database.js';
import { eventRow, lotRow } from '../adapters/store/rows.js';

export interface BookSpec {
  readonly tenant?: TenantId;
  /** Households with targets hold their risk score's class weights (in each class's first fund with a close). */
  readonly universe: Universe;
  readonly households: number;
  readonly lotsPerHousehold: number;
  /** Share of lots bought above the run date's close. */
  readonly lossShare: number;
  readonly date: Day;
  /** The run date's closes of the funds households hold. */
  readonly closes: ReadonlyMap<Symbol, number>;
  readonly seed: number;
}

const STATES = ['CA', 'NY', 'TX', 'FL', 'IL', 'WA', 'MA', 'NJ', 'PA', 'OH'];
const IDENTITY = { policy: 'same_symbol', groups: [], matchCusip: false };

export interface GeneratedBook {
  readonly tenant: TenantId;
  readonly households: number;
  readonly lots: number;
  readonly events: number;
}

export async function generateBook(database: Database, spec: BookSpec): Promise<GeneratedBook> {
  const tenant = spec.tenant ?? tenantId('bench');
  const rand = prng(spec.seed);
  const funds = [...spec.closes.keys()];
  const db = database.db;
  await db.execute(sql`insert into tenants (id, name) values (${tenant}, ${tenant}) on conflict do nothing`);
  let lots = 0;
  let events = 0;
  const CHUNK = 2000;
  for (let start = 0; start < spec.households; start += CHUNK) {
    const households: unknown[][] = [];
    const accounts: unknown[][] = [];
    const eventRows: EventRowOf[] = [];
    const lotRows: (ReturnType<typeof lotRow> & { householdId: string })[] = [];
    const cashRows: { householdId: string; accountId: string; cash: string }[] = [];
    for (let h = start; h < Math.min(spec.households, start + CHUNK); h++) {
      const id = `hh${String(h).padStart(7, '0')}`;
      const kinds: [AccountId, string, string][] = [[accountId('joint'), 'taxable', 'self']];
      if (rand() < 1 / 3) kinds.push([accountId('ira'), 'traditional_ira', 'self']);
      if (rand() < 1 / 3) kinds.push([accountId('spouse'), 'taxable', 'spouse']);
      const profile = { ordinaryTaxableIncome: String(50_000 + Math.floor(rand() * 450_000)), state: STATES[Math.floor(rand() * STATES.length)] };
      const riskScore = 3 + Math.floor(rand() * 8);
      const weights = rand() < 0.5 ? targetWeights(spec.universe, riskScore) : undefined;
      const targets = weights === undefined ? null : { joint: { riskScore } };
      const mix = weights === undefined ? undefined : classFunds(spec.universe, weights, spec.closes);
      const first = addDays(spec.date, -3 * 365);
      const list: LedgerEvent[] = [];
      const open: Lot[] = [];
      const spent = new Map<AccountId, number>();
      const n = Math.max(1, Math.round(spec.lotsPerHousehold * (0.75 + rand() * 0.5)));
      for (let k = 0; k < n; k++) {
        // A household with targets holds them in its taxable account (so it is within its band).
        const [account] = (mix !== undefined ? kinds[0] : kinds[Math.floor(rand() * kinds.length)]) as [AccountId, string, string];
        const fund = mix !== undefined ? pick(mix, (k + 0.5) / n) : (funds[Math.floor(rand() * funds.length)] as Symbol);
        const close = spec.closes.get(fund) as number;
        // A book harvested every day holds few deep losses: most are about a day's move (|N(0, 1 %)|),
        // one in twenty is deep (up to 12 %).
        const loss = rand() < spec.lossShare;
        const factor = !loss ? 0.6 + rand() * 0.38 : rand() < 0.05 ? 1.01 + 0.11 * rand() : 1 + Math.max(0.0005, Math.abs(gaussian(rand)) * 0.01);
        const px = exact('price', Math.round(close * factor * 100) / 100);
        const sh = exact('shares', mix !== undefined ? Math.max(1, Math.round(200_000 / n / close)) : 1 + Math.floor(rand() * 200));
        if (!px.ok || !sh.ok) continue;
        const acquired = addDays(first, Math.floor(rand() * (3 * 365 - 40)));
        list.push({ id: eventId(`b${k}`), date: acquired, account, kind: 'buy', symbol: fund, shares: sh.value as Shares, price: px.value as Price, fees: 0 as Usd });
      }
      list.sort((a, b) => a.date - b.date);
      const deposits: LedgerEvent[] = [];
      for (const e of list) {
        if (e.kind !== 'buy') continue;
        const cost = usdOf(e.shares, e.price);
        spent.set(e.account, (spent.get(e.account) ?? 0) + cost);
      }
      for (const [account, amount] of spent) deposits.push({ id: eventId(`d-${account}`), date: first, account, kind: 'deposit', amount: amount as Usd });
      const all = [...deposits, ...list];
      all.forEach((e, seq) => {
        if (e.kind === 'buy') open.push({ id: e.id, origin: e.id, seq, account: e.account, symbol: e.symbol, shares: e.shares, basis: usdOf(e.shares, e.price), acquired: e.date, heldFrom: e.date, washAdjustment: 0 as Usd, purchase: true, replacement: false });
      });
      // The ledger lists open lots by account (household order), security (first seen), then acquisition.
      const accountOrder = new Map(kinds.map(([a], i) => [a as string, i]));
      const symbolOrder = new Map<string, number>();
      for (const e of all) if ('symbol' in e && !symbolOrder.has(e.symbol)) symbolOrder.set(e.symbol, symbolOrder.size);
      open.sort((a, b) => (accountOrder.get(a.account) ?? 0) - (accountOrder.get(b.account) ?? 0) || (symbolOrder.get(a.symbol) ?? 0) - (symbolOrder.get(b.symbol) ?? 0) || a.acquired - b.acquired || a.seq - b.seq);
      households.push([id, `Client ${h}`, JSON.stringify(profile), targets === null ? null : JSON.stringify(targets), all.length, all[all.length - 1]?.date]);
      kinds.forEach(([account, type, owner], ord) => accounts.push([id, account, type, owner, ord]));
      all.forEach((e, seq) => eventRows.push({ ...eventRow(e, seq, `gen:${e.id}`), importId: null, brokerAction: null, householdId: id }));
      open.forEach((l, ord) => lotRows.push({ ...lotRow(l, ord), householdId: id }));
      for (const [account] of kinds) cashRows.push({ householdId: id, accountId: account, cash: '0.00' });
      lots += open.length;
      events += all.length;
    }
    await db.transaction(async (tx) => {
      const ex = tx as unknown as Executor;
      await insertRows(ex, 'households', { tenant_id: tenant }, [
        { name: 'id', type: 'text', get: (r: unknown[]) => r[0] },
        { name: 'name', type: 'text', get: (r) => r[1] },
        { name: 'filing_status', type: 'text', get: () => 'married_filing_jointly' },
        { name: 'lot_method', type: 'text', get: () => 'FIFO' },
        { name: 'identity', type: 'jsonb', get: () => IDENTITY },
        { name: 'tax_profile', type: 'jsonb', get: (r) => JSON.parse(r[2] as string) as unknown },
        { name: 'targets', type: 'jsonb', get: (r) => (r[3] === null ? null : (JSON.parse(r[3] as string) as unknown)) },
        { name: 'event_count', type: 'integer', get: (r) => r[4] },
        { name: 'last_event_date', type: 'date', get: (r) => (r[5] === undefined ? null : formatDay(r[5] as Day)) },
      ], households);
      await insertRows(ex, 'accounts', { tenant_id: tenant }, [
        { name: 'household_id', type: 'text', get: (r: unknown[]) => r[0] },
        { name: 'id', type: 'text', get: (r) => r[1] },
        { name: 'type', type: 'text', get: (r) => r[2] },
        { name: 'owner', type: 'text', get: (r) => r[3] },
        { name: 'ord', type: 'integer', get: (r) => r[4] },
      ], accounts);
      await insertRows(ex, 'events', { tenant_id: tenant }, EVENT_COLUMNS, eventRows);
      await insertRows(ex, 'open_lots', { tenant_id: tenant }, LOT_COLUMNS, lotRows);
      await insertRows(ex, 'account_cash', { tenant_id: tenant }, [
        { name: 'household_id', type: 'text', get: (r: (typeof cashRows)[number]) => r.householdId },
        { name: 'account_id', type: 'text', get: (r) => r.accountId },
        { name: 'cash', type: 'numeric', get: (r) => r.cash },
      ], cashRows);
    });
  }
  return { tenant, households: spec.households, lots, events };
}


type EventRowOf = ReturnType<typeof eventRow> & { importId: null; brokerAction: null; householdId: string };

const EVENT_COLUMNS = [
  { name: 'household_id', type: 'text', get: (r: EventRowOf) => r.householdId },
  { name: 'seq', type: 'integer', get: (r: EventRowOf) => r.seq },
  { name: 'id', type: 'text', get: (r: EventRowOf) => r.id },
  { name: 'idem_key', type: 'text', get: (r: EventRowOf) => r.idemKey },
  { name: 'date', type: 'date', get: (r: EventRowOf) => r.date },
  { name: 'kind', type: 'text', get: (r: EventRowOf) => r.kind },
  { name: 'account_id', type: 'text', get: (r: EventRowOf) => r.accountId },
  { name: 'symbol', type: 'text', get: (r: EventRowOf) => r.symbol },
  { name: 'shares', type: 'numeric', get: (r: EventRowOf) => r.shares },
  { name: 'price', type: 'numeric', get: (r: EventRowOf) => r.price },
  { name: 'amount', type: 'numeric', get: (r: EventRowOf) => r.amount },
  { name: 'fees', type: 'numeric', get: (r: EventRowOf) => r.fees },
];

type LotRowOf = ReturnType<typeof lotRow> & { householdId: string };

const LOT_COLUMNS = [
  { name: 'household_id', type: 'text', get: (r: LotRowOf) => r.householdId },
  { name: 'ord', type: 'integer', get: (r: LotRowOf) => r.ord },
  { name: 'account_id', type: 'text', get: (r: LotRowOf) => r.accountId },
  { name: 'symbol', type: 'text', get: (r: LotRowOf) => r.symbol },
  { name: 'lot_id', type: 'text', get: (r: LotRowOf) => r.lotId },
  { name: 'origin', type: 'text', get: (r: LotRowOf) => r.origin },
  { name: 'lot_seq', type: 'integer', get: (r: LotRowOf) => r.lotSeq },
  { name: 'shares', type: 'numeric', get: (r: LotRowOf) => r.shares },
  { name: 'basis', type: 'numeric', get: (r: LotRowOf) => r.basis },
  { name: 'wash_adjustment', type: 'numeric', get: (r: LotRowOf) => r.washAdjustment },
  { name: 'acquired', type: 'date', get: (r: LotRowOf) => r.acquired },
  { name: 'held_from', type: 'date', get: (r: LotRowOf) => r.heldFrom },
  { name: 'purchase', type: 'boolean', get: (r: LotRowOf) => r.purchase },
  { name: 'replacement', type: 'boolean', get: (r: LotRowOf) => r.replacement },
];

/** Cumulative class weights, each class held in its first fund with a close. */
function classFunds(universe: Universe, weights: ReadonlyMap<string, number>, closes: ReadonlyMap<Symbol, number>): { symbol: Symbol; upTo: number }[] {
  const out: { symbol: Symbol; upTo: number }[] = [];
  let total = 0;
  for (const c of universe.classes) {
    const w = weights.get(c.id) ?? 0;
    const fund = c.securities.find((s) => closes.has(s.symbol));
    if (w <= 0 || fund === undefined) continue;
    total += w;
    out.push({ symbol: fund.symbol, upTo: total });
  }
  return out.map((x) => ({ ...x, upTo: x.upTo / total }));
}

/** The fund whose cumulative weight first reaches `u` (in [0, 1)), by value rather than count. */
function pick(mix: readonly { symbol: Symbol; upTo: number }[], u: number): Symbol {
  return (mix.find((m) => u < m.upTo) ?? mix[mix.length - 1])?.symbol as Symbol;
}

/** A standard normal draw (Box–Muller) from a uniform source. */
function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}
