/**
 * The import use case on both stores: atomic, idempotent, ordered; accounts found or created from
 * the file's own account numbers; splits stated as shares added; stated positions reconciled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookStore } from '../adapters/store/bookStore.js';
import { openDatabase } from '../adapters/store/database.js';
import { DATABASE_KINDS, testDatabase, type TestDatabase } from '../adapters/store/testDatabases.test-util.js';
import { parseDay } from '../core/kernel/calendar.js';
import { shares, usd } from '../core/kernel/exact.js';
import type { LedgerEvent } from '../core/ledger/events.js';
import { DEFAULT_SETTINGS, symbol } from '../core/ledger/household.js';
import { scenario } from '../core/ledger/scenario.test-util.js';
import { bookHousehold, verifyBook } from './bookHousehold.js';
import type { ImportBatch, StatedPosition } from './importBatch.js';
import { importFiles, type ImportRequest } from './importFiles.js';
import { householdId, tenantId, type BookStore } from './ports.js';

const T = tenantId('t');
const day = (s: string) => parseDay(s) as NonNullable<ReturnType<typeof parseDay>>;

/** A broker-style batch: events on the file's account key `acct`, keys from the event ids. */
function brokerBatch(file: string, acct: string, text: string, extra: Partial<ImportBatch> = {}): ImportBatch {
  const s = scenario(`accounts: ${acct}=taxable\n${text}`);
  return {
    format: 'test-broker',
    file,
    accounts: [{ key: acct, custodian: 'schwab', title: 'Individual' }],
    securities: [],
    events: s.events.map((event: LedgerEvent, i) => ({ key: `${file}:${event.id}`, event, source: { file, row: i + 2 } })),
    splits: [],
    positions: [],
    notes: [],
    ...extra,
  };
}

const request = (household: string, batches: ImportBatch[], more: Partial<ImportRequest> = {}): ImportRequest => ({
  tenant: T,
  household: householdId(household),
  sources: batches.map((batch) => ({ batch, sha256: 'x' })),
  create: { name: household, settings: DEFAULT_SETTINGS, documents: {} },
  ...more,
});

describe.each(DATABASE_KINDS)('importing into the book on %s', (kind) => {
  let database: TestDatabase;
  let store: BookStore;
  beforeAll(async () => {
    database = await testDatabase(kind);
    store = bookStore(await openDatabase(database.target));
    await store.ensureTenant(T, 'T');
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('creates the household and an account per file account number; a re-import changes nothing', async () => {
    const batch = brokerBatch('jan.csv', 'XXXX-4321', 'e1 2025-01-06 XXXX-4321 buy VTI 10 @ 290\ne2 2025-01-20 XXXX-4321 sell VTI 4 @ 280');
    const first = await importFiles(store, request('h1', [batch]));
    expect(first).toMatchObject({ ok: true, value: { householdCreated: true, eventsAdded: 2, accountsCreated: [{ id: 'schwab-4321', type: 'taxable', custodian: 'schwab', externalNumber: 'XXXX-4321' }] } });
    const again = await importFiles(store, request('h1', [batch]));
    expect(again).toMatchObject({ ok: true, value: { householdCreated: false, eventsAdded: 0, accountsCreated: [], files: [{ added: 0, known: 2 }] } });
    const later = brokerBatch('feb.csv', 'XXXX-4321', 'e3 2025-02-03 XXXX-4321 sell VTI 2 @ 300');
    expect(await importFiles(store, request('h1', [later]))).toMatchObject({ ok: true, value: { eventsAdded: 1, accountsCreated: [] } });
    const ledger = await bookHousehold(store, T, householdId('h1'));
    expect(ledger.ok && ledger.value.openLots.map((l) => [l.account, l.shares])).toEqual([['schwab-4321', 4_000_000]]);
    expect((await verifyBook(store, T)).every((v) => v.differences.length === 0)).toBe(true);
  });

  it('writes nothing at all when any file fails to book (the oversell is named)', async () => {
    const good = brokerBatch('a.csv', '111', 'e1 2025-01-06 111 buy VTI 10 @ 290');
    const bad = brokerBatch('b.csv', '111', 'e2 2025-01-07 111 sell VTI 11 @ 280');
    const r = await importFiles(store, request('h2', [good, bad]));
    expect(r).toMatchObject({ ok: false, issues: [{ code: 'OVERSELL', at: { file: 'b.csv', eventId: 'e2' } }] });
    expect(await store.tenant(T).household(householdId('h2'))).toBeUndefined();
  });

  it('refuses an event dated before the last booked day unless asked to rebook', async () => {
    await importFiles(store, request('h3', [brokerBatch('a.csv', '9', 'e1 2025-03-03 9 buy VTI 10 @ 290')]));
    const early = brokerBatch('b.csv', '9', 'e0 2025-02-03 9 buy VTI 5 @ 270');
    expect(await importFiles(store, request('h3', [early]))).toMatchObject({ ok: false, issues: [{ code: 'OUT_OF_ORDER', at: { eventId: 'e0', field: 'date' } }] });
    expect(await importFiles(store, request('h3', [early], { allowBackdated: true }))).toMatchObject({ ok: true, value: { eventsAdded: 1 } });
    const ledger = await bookHousehold(store, T, householdId('h3'));
    expect(ledger.ok && ledger.value.openLots.map((l) => l.id)).toEqual(['e0', 'e1']);
  });

  it('sends a single-account file to --account, and refuses --account for a file of several accounts', async () => {
    const one = brokerBatch('a.csv', '77', 'e1 2025-01-06 77 buy VTI 1 @ 290');
    expect(await importFiles(store, request('h4', [one], { account: 'joint' as never, accountType: 'taxable' }))).toMatchObject({ ok: true, value: { accountsCreated: [{ id: 'joint' }] } });
    const two: ImportBatch = { ...one, accounts: [...one.accounts, { key: '78', custodian: 'schwab' }] };
    expect(await importFiles(store, request('h4', [two], { account: 'joint' as never }))).toMatchObject({ ok: false, issues: [{ at: { field: 'account' } }] });
  });

  it('keeps a file that names no account apart in each account it is imported into', async () => {
    const s = scenario(`accounts: x=taxable\ne1 2025-01-06 x buy VTI 1 @ 290`);
    const unnamed: ImportBatch = {
      format: 'test-broker',
      file: 'n.csv',
      accounts: [{ key: '', custodian: 'vanguard' }],
      securities: [],
      events: s.events.map((event) => ({ key: 'vanguard:abc', event: { ...event, account: '' as never, id: 'vanguard:abc' as never }, source: { file: 'n.csv', row: 2 } })),
      splits: [],
      positions: [],
      notes: [],
    };
    expect(await importFiles(store, request('h8', [unnamed], { account: 'joint' as never }))).toMatchObject({ ok: true, value: { eventsAdded: 1 } });
    expect(await importFiles(store, request('h8', [unnamed], { account: 'ira' as never, accountType: 'traditional_ira' }))).toMatchObject({ ok: true, value: { eventsAdded: 1 } });
    expect(await importFiles(store, request('h8', [unnamed], { account: 'ira' as never }))).toMatchObject({ ok: true, value: { eventsAdded: 0 } });
    const ledger = await bookHousehold(store, T, householdId('h8'));
    expect(ledger.ok && ledger.value.openLots.map((l) => [l.account, l.id])).toEqual([['joint', 'vanguard:abc@joint'], ['ira', 'vanguard:abc@ira']]);
  });

  it('refuses a known event id with different content', async () => {
    await importFiles(store, request('h5', [brokerBatch('a.csv', '5', 'e1 2025-01-06 5 buy VTI 1 @ 290')]));
    const changed = brokerBatch('a2.csv', '5', 'e1 2025-01-06 5 buy VTI 2 @ 290');
    expect(await importFiles(store, request('h5', [changed]))).toMatchObject({ ok: false, issues: [{ code: 'CONFLICT', at: { field: 'id' } }] });
  });

  it('turns a split stated as shares added into a ratio of the shares held the day before', async () => {
    const batch = brokerBatch('s.csv', '6', 'e1 2025-01-06 6 buy VTI 10 @ 300\ne2 2025-03-20 6 buy VTI 1 @ 160', {
      splits: [{ key: 'split-1', accountKey: '6', date: day('2025-03-20'), symbol: symbol('VTI'), sharesAdded: shares('10'), source: { file: 's.csv', row: 9 } }],
    });
    expect(await importFiles(store, request('h6', [batch]))).toMatchObject({ ok: true, value: { eventsAdded: 3 } });
    const ledger = await bookHousehold(store, T, householdId('h6'));
    expect(ledger.ok && ledger.value.openLots.map((l) => [l.id, l.shares, l.basis])).toEqual([
      ['e1', 20_000_000, 300_000],
      ['e2', 1_000_000, 16_000],
    ]);
  });

  it('reports a stated position the booked lots do not match, with file, row and both figures', async () => {
    const position = (sh: string, cost: string): StatedPosition => ({ accountKey: '8', symbol: symbol('VTI'), asOf: day('2025-02-01'), shares: shares(sh), costBasis: usd(cost), source: { file: 'pos.csv', row: 4 } });
    const batch = brokerBatch('h.csv', '8', 'e1 2025-01-06 8 buy VTI 10 @ 290', { positions: [position('10', '2900'), position('12', '2900')] });
    const r = await importFiles(store, request('h7', [batch]));
    expect(r.ok && r.value.discrepancies).toEqual([
      { file: 'h.csv', row: 4, account: 'schwab-8', symbol: 'VTI', asOf: day('2025-02-01'), statedShares: 12_000_000, bookedShares: 10_000_000, statedCost: 290_000, bookedCost: 290_000 },
    ]);
  });
});
