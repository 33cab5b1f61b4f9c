/**
 * The daily run over a book, on both databases: what it proposes and reports, exactly once per
 * date and batch; proposals approved, raced, expired, filled; and pending orders that keep the next
 * day's run from causing a wash sale.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseBatch, caseHousehold } from '../adapters/files/caseBatch.js';
import { setupDecoder } from '../adapters/files/setupDecoder.js';
import { taxTableFiles } from '../adapters/files/taxTableFiles.js';
import { inProcessQueue } from '../adapters/jobs/batchQueue.js';
import { bookStore } from '../adapters/store/bookStore.js';
import { openDatabase, type Database } from '../adapters/store/database.js';
import { bookMarket, priceStore } from '../adapters/store/priceStore.js';
import { runStore } from '../adapters/store/runStore.js';
import { DATABASE_KINDS, testDatabase, type TestDatabase } from '../adapters/store/testDatabases.test-util.js';
import { parseDay, type Day } from '../core/kernel/calendar.js';
import { price, shares, usd } from '../core/kernel/exact.js';
import { scenario } from '../core/ledger/scenario.test-util.js';
import { symbol } from '../core/ledger/household.js';
import { UNIVERSE } from '../core/harvest/testHousehold.test-util.js';
import { bookHousehold } from './bookHousehold.js';
import { requestDailyRun, runBatch, startDailyRun, type DailyRunDeps } from './dailyRun.js';
import { importFiles } from './importFiles.js';
import { householdId, tenantId, type BookStore } from './ports.js';
import { approveProposal, exportOrders, importFills, rejectProposal, type FillReport } from './proposals.js';

const T = tenantId('acme');
const day = (s: string): Day => parseDay(s) as Day;
const D1 = day('2025-04-08');
const D2 = day('2025-04-09');
const PROFILE = { taxProfile: { ordinaryTaxableIncome: '250000', state: 'CA' } };
const CLOSES: Record<string, number> = { VTI: 270, SCHB: 24, ITOT: 120, VEA: 50, SCHF: 38, BND: 72, AGG: 98, VCIT: 80, VNQ: 85, SCHH: 20, USRT: 50, VWO: 42, SCHE: 26, VIG: 180, SCHD: 26, XLE: 85, VDE: 110, MUB: 105, TFI: 45, TIP: 108, SCHP: 26, EMB: 88, VWOB: 64, LQD: 108, QQQ: 420, IVV: 500, VOO: 460, SPY: 500, IWM: 190 };

describe.each(DATABASE_KINDS)('the daily run on %s', (kind) => {
  let database: TestDatabase;
  let db: Database;
  let book: BookStore;
  let deps: DailyRunDeps;

  async function household(id: string, text: string, documents: Record<string, unknown> = PROFILE): Promise<void> {
    const s = scenario(text);
    const c = { household: s.household, events: s.events, document: documents, files: [`${id}.json`] };
    const r = await importFiles(book, { tenant: T, household: householdId(id), sources: [{ batch: caseBatch(c), sha256: id }], create: caseHousehold(c, id) });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
  }

  async function closes(date: Day, moves: Record<string, number> = {}): Promise<void> {
    await priceStore(db).put(Object.entries({ ...CLOSES, ...moves }).map(([s, c]) => ({ symbol: symbol(s), date, close: price(String(c)), dividend: price('0'), split: '1' })));
  }

  const run = async (date: Day, replace = false) => {
    const r = await requestDailyRun({ ...deps, market: bookMarket(db), queue: inProcessQueue({ ...deps, market: bookMarket(db) }) }, { tenant: T, date, replace, batchSize: 2 });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r.value;
  };
  const proposalsOf = async (household: string) => (await deps.runs.tenant(T).proposals({ household: householdId(household) }, { limit: 50 })).items;

  beforeAll(async () => {
    database = await testDatabase(kind);
    db = await openDatabase(database.target);
    book = bookStore(db);
    await book.ensureTenant(T, 'Acme');
    deps = { runs: runStore(db), market: bookMarket(db), tax: taxTableFiles(), universe: UNIVERSE, setups: setupDecoder };
    await household('a-harvest', 'accounts: joint=taxable\ne1 2025-01-02 joint buy VTI 100 @ 300');
    await household('b-deposit', 'accounts: joint=taxable\ne1 2025-04-01 joint deposit 10000', { ...PROFILE, targets: { joint: { weights: { us_stocks: 1 } } } });
    await household('c-no-profile', 'accounts: joint=taxable\ne1 2025-01-02 joint buy VTI 10 @ 300', {});
    await household('d-unpriced', 'accounts: joint=taxable\ne1 2025-01-02 joint buy VTI 50 @ 300\ne2 2025-01-02 joint buy ZZZ 5 @ 10', { ...PROFILE, targets: { joint: { weights: { us_stocks: 1 } } } });
    await household('e-gain', 'accounts: joint=taxable\ne1 2025-01-02 joint buy VTI 10 @ 200');
    await closes(D1);
    await closes(D2, { VTI: 271 });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('proposes harvests and investments, and reports what it could not do and why', async () => {
    const { run: r, created } = await run(D1);
    expect(created).toBe(true);
    expect(r).toMatchObject({ status: 'done', households: 5, batches: 3, totals: { batchesDone: 3, screened: 5, proposals: 3, errors: 1 } });
    const notes = await deps.runs.tenant(T).notes(r.id);
    expect(notes).toContainEqual(expect.objectContaining({ household: 'c-no-profile', kind: 'error', message: expect.stringMatching(/taxProfile/) }));
    expect(notes).toContainEqual(expect.objectContaining({ household: 'd-unpriced', kind: 'skipped', message: expect.stringMatching(/no close for ZZZ.*joint is neither invested nor rebalanced/) }));
    const [a] = await proposalsOf('a-harvest');
    expect(a?.lines.map((l) => `${l.order.side} ${l.order.symbol} ${l.order.rule}`)).toEqual(['sell VTI harvest', 'buy SCHB harvest_replacement']);
    expect(a?.lines[0]?.lossSale).toBe(true);
    const [b] = await proposalsOf('b-deposit');
    expect(b?.lines.every((l) => l.order.side === 'buy' && l.order.rule === 'invest_cash')).toBe(true);
    const [d] = await proposalsOf('d-unpriced');
    expect(d?.lines.map((l) => `${l.order.side} ${l.order.symbol}`)).toEqual(['sell VTI', 'buy SCHB']);
    expect(await proposalsOf('e-gain')).toEqual([]);
  });

  it('runs a date once: again is a no-op; --replace starts a new generation and supersedes what was not approved', async () => {
    const again = await run(D1);
    expect(again.created).toBe(false);
    expect((await proposalsOf('a-harvest')).length).toBe(1);
    const replaced = await run(D1, true);
    expect(replaced.run.generation).toBe(2);
    const a = await proposalsOf('a-harvest');
    expect(a.map((p) => [p.generation, p.status])).toEqual([
      [1, 'superseded'],
      [2, 'proposed'],
    ]);
  });

  it('writes a batch once when its job is delivered twice', async () => {
    const none = await startDailyRun(deps, { tenant: T, date: day('2025-07-01'), batchSize: 10 });
    expect(none).toMatchObject({ ok: false, issues: [{ code: 'NO_CLOSES', message: expect.stringMatching(/no closes for Tuesday 2025-07-01/) }] });
    const s = await deps.runs.tenant(T).startRun(D1, 'test-duplicate', 10, false);
    expect(await runBatch(deps, { tenant: T, runId: s.run.id, batch: 0 })).toBe(true);
    expect(await runBatch(deps, { tenant: T, runId: s.run.id, batch: 0 })).toBe(false);
    const mine = (await deps.runs.tenant(T).proposals({ runDate: D1 }, { limit: 100 })).items.filter((p) => p.runId === s.run.id);
    expect(mine.length).toBe(3);
  });

  it('settles two approvals of one proposal, and an approval racing the next run, to one outcome', async () => {
    const [p] = (await proposalsOf('a-harvest')).filter((x) => x.status === 'proposed');
    const both = await Promise.all([1, 2].map(() => approveProposal({ runs: deps.runs, market: bookMarket(db) }, { tenant: T, id: p!.id, version: p!.version, date: D1 })));
    expect(both.filter((r) => r.ok).length).toBe(1);
    expect(both.find((r) => !r.ok)).toMatchObject({ ok: false, issues: [{ code: 'CONFLICT' }] });
    const [b] = (await proposalsOf('b-deposit')).filter((x) => x.status === 'proposed');
    await run(D2);
    const late = await approveProposal({ runs: deps.runs, market: bookMarket(db) }, { tenant: T, id: b!.id, version: b!.version, date: D2 });
    expect(late).toMatchObject({ ok: false, issues: [{ code: 'CONFLICT', message: expect.stringMatching(/it is expired/) }] });
  });

  it('expires, instead of approving, a harvest whose loss shrank by more than half', async () => {
    await closes(day('2025-04-11'), { VTI: 296 });
    const [d] = (await proposalsOf('d-unpriced')).filter((x) => x.status === 'proposed');
    const r = await approveProposal({ runs: deps.runs, market: bookMarket(db) }, { tenant: T, id: d!.id, date: day('2025-04-11') });
    expect(r).toMatchObject({ ok: false, issues: [{ message: expect.stringMatching(/loss on VTI lot e1 shrank from \$1450\.00 to \$200\.00/) }] });
    expect((await deps.runs.tenant(T).proposal(d!.id))?.status).toBe('expired');
    expect(await rejectProposal(deps.runs, { tenant: T, id: d!.id, reason: 'late' })).toMatchObject({ ok: false, issues: [{ code: 'CONFLICT' }] });
  });

  it('keeps approved, unfilled orders in the state: the next run neither sells their lots again nor buys what they sold at a loss', async () => {
    await household('f-pending', 'accounts: joint=taxable ira=traditional_ira\ne1 2025-01-02 joint buy VTI 100 @ 300\ne2 2025-04-07 ira deposit 5000', { ...PROFILE, targets: { ira: { weights: { us_stocks: 1 } } } });
    const date = day('2025-04-14');
    await closes(date);
    await run(date);
    const [p] = await proposalsOf('f-pending');
    expect(p?.lines.some((l) => l.order.symbol === 'VTI' && l.order.rule === 'harvest')).toBe(true);
    expect(p?.lines.some((l) => l.order.side === 'buy' && l.order.symbol === 'VTI')).toBe(false);
    expect((await approveProposal({ runs: deps.runs, market: bookMarket(db) }, { tenant: T, id: p!.id, date })).ok).toBe(true);
    const next = day('2025-04-15');
    await closes(next, { VTI: 268 });
    await book.tenant(T).change(householdId('f-pending'), async (unit) => {
      await unit.appendEvents([{ event: { ...scenario('accounts: ira=traditional_ira\nd2 2025-04-15 ira deposit 3000').events[0]! }, key: 'd2' }]);
      return { ok: true, value: 0 };
    });
    await run(next);
    const later = (await proposalsOf('f-pending')).filter((x) => x.runDate === next);
    const buys = later.flatMap((x) => x.lines).filter((l) => l.order.side === 'buy').map((l) => l.order.symbol);
    const sells = later.flatMap((x) => x.lines).filter((l) => l.order.side === 'sell');
    expect(sells).toEqual([]);
    expect(buys).not.toContain('VTI');
  });

  it('skips, with a note naming the split, a household whose events lack a split the stored closes show', async () => {
    await household('g-split', 'accounts: joint=taxable\ne1 2025-01-02 joint buy XLE 10 @ 85');
    await household('h-split', 'accounts: joint=taxable\ne1 2025-01-02 joint buy XLE 10 @ 85\ne2 2025-04-17 - split XLE 2:1');
    const date = day('2025-04-17');
    await priceStore(db).put(Object.entries({ ...CLOSES, XLE: 42.5 }).map(([s, c]) => ({ symbol: symbol(s), date, close: price(String(c)), dividend: price('0'), split: s === 'XLE' ? '2' : '1' })));
    const { run: r } = await run(date);
    const notes = (await deps.runs.tenant(T).notes(r.id)).filter((n) => n.household === 'g-split' || n.household === 'h-split');
    expect(notes).toEqual([
      expect.objectContaining({ household: 'g-split', kind: 'error', message: expect.stringMatching(/^the price data shows a 2-for-1 split of XLE on 2025-04-17, .* in account joint, but the ledger has no split event for it/) }),
    ]);
  });

  it('books fills once: partial fills leave the proposal partly filled, the rest fills it; the ledger holds the trades', async () => {
    const exported = await exportOrders(deps.runs, T);
    const mine = exported.filter((o) => o.household === 'f-pending');
    expect(mine.length).toBeGreaterThan(0);
    const sell = mine.find((o) => o.side === 'sell')!;
    const fill = (key: string, o: (typeof mine)[number], sh: number): FillReport => ({ key, proposal: o.proposal, line: o.line, date: day('2025-04-15'), shares: sh as never, price: o.price, fees: usd('0'), source: { file: 'fills.csv', row: 2 } });
    const partial = await importFills({ runs: deps.runs, book }, T, [fill('f1', sell, shares('40'))]);
    expect(partial).toMatchObject({ ok: true, value: { recorded: 1, eventsAdded: 1 } });
    expect((await deps.runs.tenant(T).proposal(sell.proposal))?.status).toBe('partially_filled');
    const rest = [fill('f1', sell, shares('40')), fill('f2', sell, (sell.shares - shares('40')) as number), ...mine.filter((o) => o !== sell).map((o, i) => fill(`b${i}`, o, o.shares))];
    expect(await importFills({ runs: deps.runs, book }, T, rest)).toMatchObject({ ok: true, value: { known: 1 } });
    expect((await deps.runs.tenant(T).proposal(sell.proposal))?.status).toBe('filled');
    const ledger = await bookHousehold(book, T, householdId('f-pending'));
    expect(ledger.ok && ledger.value.dispositions.map((d) => [d.lotId, d.shares, d.disallowed])).toEqual([
      ['e1', 40_000_000, 0],
      ['e1', 60_000_000, 0],
    ]);
  });
});
