/**
 * The storage contract: the same tests against the embedded PGlite and the PostgreSQL server.
 * Events of every kind come back exactly as written; the booked state comes back equal to the
 * ledger it was written from; a change that fails leaves nothing behind; tenants never see each
 * other's households; concurrent changes to one household are serialized.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { householdId, tenantId, type BookStore, type NewEvent, type NewHousehold } from '../../app/ports.js';
import { canonicalJson } from '../../core/kernel/canonicalJson.js';
import { issue } from '../../core/kernel/errors.js';
import { book } from '../../core/ledger/booking.js';
import { DEFAULT_SETTINGS, symbol } from '../../core/ledger/household.js';
import { scenario } from '../../core/ledger/scenario.test-util.js';
import { bookStore } from './bookStore.js';
import { openDatabase } from './database.js';
import { DATABASE_KINDS, testDatabase, type TestDatabase } from './testDatabases.test-util.js';

const SCENARIO = scenario(`
accounts: b=taxable ira=traditional_ira s=taxable:spouse
group: VOO IVV
e1 2025-01-06 b buy VOO 10 @ 540.12 fee 1.5
e2 2025-01-07 b deposit 1000
e3 2025-02-03 b sell VOO 4 @ 480 lots e1:4
e4 2025-02-10 s buy IVV 2 @ 482.25
e5 2025-03-01 b dividend VOO 12.34
e6 2025-03-03 b drip VOO 0.123456 @ 490.5
e7 2025-04-01 - split VOO 2:1
e8 2025-04-02 b withdrawal 50
e9 2025-04-03 b transfer_in VTI 10 basis 2000 acquired 2020-01-02
e10 2025-04-04 b transfer VTI 4 to ira
e11 2025-04-05 b transfer_out VTI 1
e12 2025-04-06 b fee 5
e13 2025-05-01 b sell VOO 3 @ 250 HIFO`);

const household = (name: string): NewHousehold => ({
  name,
  settings: { ...DEFAULT_SETTINGS, filingStatus: 'married_filing_jointly', substantiallyIdentical: SCENARIO.household.settings.substantiallyIdentical },
  documents: { taxProfile: { ordinaryTaxableIncome: '250000.00', state: 'CA' }, targets: { b: { riskScore: 8 } } },
});

const newEvents = (): NewEvent[] => SCENARIO.events.map((event, i) => ({ event, key: `k${i + 1}` }));

describe.each(DATABASE_KINDS)('the book on %s', (kind) => {
  let database: TestDatabase;
  let store: BookStore;
  const acme = tenantId('acme');
  const other = tenantId('other');

  beforeAll(async () => {
    database = await testDatabase(kind);
    store = bookStore(await openDatabase(database.target));
    await store.ensureTenant(acme, 'Acme Advisers');
    await store.ensureTenant(other, 'Other Firm');
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  async function seeded(id: string) {
    const h = householdId(id);
    const r = await store.tenant(acme).change(
      h,
      async (unit) => {
        await unit.addAccounts(SCENARIO.household.accounts.map((account) => ({ account, info: account.id === 'b' ? { custodian: 'schwab', externalNumber: 'XXXX-4321' } : {} })));
        await unit.addSecurities([{ symbol: symbol('VOO'), cusip: '922908363', assetClass: 'us_stocks' }]);
        await unit.appendEvents(newEvents(), { fileName: 'case.json', format: 'case', sha256: 'ab', eventsAdded: SCENARIO.events.length, eventsKnown: 0 });
        const ledger = book({ ...unit.current.household, accounts: SCENARIO.household.accounts }, SCENARIO.events);
        if (!ledger.ok) return ledger;
        await unit.writeBook(ledger.value);
        return { ok: true, value: ledger.value };
      },
      { create: household(id) },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return { id: h, ledger: r.value };
  }

  it('keeps a household: settings, documents, accounts in order with their custodian numbers, securities', async () => {
    const { id } = await seeded('h-settings');
    const h = await store.tenant(acme).household(id);
    expect(h?.name).toBe('h-settings');
    expect(h?.household.settings).toEqual(household('x').settings);
    expect(h?.documents).toEqual({ taxProfile: { ordinaryTaxableIncome: '250000.00', state: 'CA' }, targets: { b: { riskScore: 8 } } });
    expect(h?.household.accounts).toEqual(SCENARIO.household.accounts);
    expect(h?.accountInfo.get(SCENARIO.household.accounts[0]!.id)).toEqual({ custodian: 'schwab', externalNumber: 'XXXX-4321' });
    expect(h?.household.securities).toEqual([{ symbol: 'VOO', cusip: '922908363', assetClass: 'us_stocks' }]);
    expect(h?.eventCount).toBe(SCENARIO.events.length);
  });

  it('gives every kind of event back exactly as written, in booking order, with its key', async () => {
    const { id } = await seeded('h-events');
    const stored = await store.tenant(acme).events(id);
    expect(stored.map((s) => s.key)).toEqual(newEvents().map((n) => n.key));
    expect(stored.map((s) => canonicalJson(s.event))).toEqual(SCENARIO.events.map((e) => canonicalJson(e)));
  });

  it('gives the booked state back equal to the ledger it was written from', async () => {
    const { id, ledger } = await seeded('h-book');
    const kept = await store.tenant(acme).bookedState(id);
    expect(canonicalJson(kept?.openLots)).toBe(canonicalJson(ledger.openLots));
    expect(canonicalJson(kept?.dispositions)).toBe(canonicalJson(ledger.dispositions));
    expect([...(kept?.cash ?? new Map()).entries()].sort()).toEqual([...ledger.cash.entries()].sort());
  });

  it('writes nothing when the change fails, or throws, after writing', async () => {
    const { id } = await seeded('h-rollback');
    const before = await store.tenant(acme).household(id);
    const failed = await store.tenant(acme).change(id, async (unit) => {
      await unit.appendEvents([{ event: { ...SCENARIO.events[1]!, id: 'late' as never }, key: 'late' }]);
      await unit.update({ name: 'renamed' });
      return { ok: false, issues: [issue('BAD_VALUE', 'refused', {})] };
    });
    expect(failed.ok).toBe(false);
    await expect(
      store.tenant(acme).change(id, async (unit) => {
        await unit.update({ name: 'renamed again' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const after = await store.tenant(acme).household(id);
    expect(after).toEqual(before);
    expect((await store.tenant(acme).events(id)).length).toBe(SCENARIO.events.length);
  });

  it("never shows one tenant another tenant's households", async () => {
    const { id } = await seeded('h-private');
    expect(await store.tenant(other).household(id)).toBeUndefined();
    expect(await store.tenant(other).events(id)).toEqual([]);
    expect(await store.tenant(other).bookedState(id)).toBeUndefined();
    expect((await store.tenant(other).listHouseholds({ limit: 100 })).items.map((h) => h.id)).not.toContain(id);
    const r = await store.tenant(other).change(id, async () => ({ ok: true, value: 1 }));
    expect(r).toMatchObject({ ok: false, issues: [{ code: 'NOT_FOUND' }] });
  });

  it('lists households a page at a time, in id order, with their account and event counts', async () => {
    const t = tenantId('pager');
    await store.ensureTenant(t, 'Pager');
    for (const id of ['p3', 'p1', 'p2']) await store.tenant(t).change(householdId(id), async () => ({ ok: true, value: 0 }), { create: household(id) });
    const first = await store.tenant(t).listHouseholds({ limit: 2 });
    expect(first.items.map((h) => h.id)).toEqual(['p1', 'p2']);
    const second = await store.tenant(t).listHouseholds({ after: first.next as string, limit: 2 });
    expect(second).toMatchObject({ items: [{ id: 'p3', accounts: 0, eventCount: 0 }], next: undefined });
  });

  it('serializes concurrent changes to one household: each sees the other\'s events', async () => {
    const { id } = await seeded('h-concurrent');
    const append = (n: number) =>
      store.tenant(acme).change(id, async (unit) => {
        const seen = (await unit.events()).length;
        await unit.appendEvents([{ event: { ...SCENARIO.events[11]!, id: `c${n}` as never }, key: `c${n}` }]);
        return { ok: true, value: seen };
      });
    const seen = await Promise.all([append(1), append(2), append(3)]);
    expect(seen.map((r) => (r.ok ? r.value : -1)).sort()).toEqual([13, 14, 15]);
    const stored = await store.tenant(acme).events(id);
    expect(stored.map((s) => s.seq).sort((a, b) => a - b)).toEqual([...Array(16).keys()]);
  });

  it('refuses a second event with a known idempotency key', async () => {
    const { id } = await seeded('h-idem');
    await expect(
      store.tenant(acme).change(id, async (unit) => {
        await unit.appendEvents([{ event: { ...SCENARIO.events[11]!, id: 'fresh' as never }, key: 'k1' }]);
        return { ok: true, value: 0 };
      }),
    ).rejects.toThrow();
    expect((await store.tenant(acme).events(id)).length).toBe(SCENARIO.events.length);
  });
});
