/**
 * The `BookStore` port on the book's database (PGlite or PostgreSQL, database.ts). Every query
 * names its tenant: a `TenantBook` is bound to one tenant id and cannot reach another's rows.
 *
 * Changes go through `change`: one transaction that first locks the household's row
 * (`SELECT ... FOR UPDATE`), so two imports into one household never interleave, even from two
 * processes; whatever the work wrote is committed only if it returns ok.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, gt, sql } from 'drizzle-orm';
import type {
  BookStore,
  BookedState,
  HouseholdId,
  HouseholdPatch,
  HouseholdSummary,
  HouseholdUnit,
  ImportRecord,
  NewAccount,
  NewEvent,
  NewHousehold,
  Page,
  StoredEvent,
  StoredHousehold,
  TenantBook,
  TenantId,
} from '../../app/ports.js';
import { issue, type Result } from '../../core/kernel/errors.js';
import type { Usd } from '../../core/kernel/exact.js';
import { accountId, type AccountId, type Security } from '../../core/ledger/household.js';
import type { Ledger } from '../../core/ledger/ledger.js';
import type { Database, Db } from './database.js';
import { insertRows, type Column, type Executor } from './bulk.js';
import { identityJson, storedHousehold, type HouseholdRow } from './householdRows.js';
import { dayOf, dayText, dispositionOf, dispositionRow, eventOf, eventRow, exactOf, lotOf, lotRow, text, type DispositionRow, type EventRow, type LotRow } from './rows.js';
import * as t from './schema.js';

export function bookStore(database: Database): BookStore {
  const db = database.db;
  return {
    async ensureTenant(id, name) {
      await db.insert(t.tenants).values({ id, name }).onConflictDoNothing();
    },
    async tenants() {
      const rows = await db.select({ id: t.tenants.id, name: t.tenants.name }).from(t.tenants).orderBy(asc(t.tenants.id));
      return rows.map((r) => ({ id: r.id as TenantId, name: r.name }));
    },
    tenant: (id) => tenantBook(db, id),
    close: () => database.close(),
  };
}

class Rollback<T> {
  constructor(readonly result: Result<T>) {}
}

function tenantBook(db: Db, tenant: TenantId): TenantBook {
  return {
    tenant,
    async listHouseholds({ after, limit }): Promise<Page<HouseholdSummary>> {
      const accountsPer = db
        .select({ householdId: t.accounts.householdId, n: count().as('n') })
        .from(t.accounts)
        .where(eq(t.accounts.tenantId, tenant))
        .groupBy(t.accounts.householdId)
        .as('a');
      const rows = await db
        .select({
          id: t.households.id,
          name: t.households.name,
          version: t.households.version,
          filingStatus: t.households.filingStatus,
          eventCount: t.households.eventCount,
          lastEventDate: t.households.lastEventDate,
          accounts: accountsPer.n,
        })
        .from(t.households)
        .leftJoin(accountsPer, eq(accountsPer.householdId, t.households.id))
        .where(after === undefined ? eq(t.households.tenantId, tenant) : and(eq(t.households.tenantId, tenant), gt(t.households.id, after)))
        .orderBy(asc(t.households.id))
        .limit(limit + 1);
      const items = rows.slice(0, limit).map((r) => ({
        id: r.id as HouseholdId,
        name: r.name,
        version: r.version,
        filingStatus: r.filingStatus,
        accounts: Number(r.accounts ?? 0),
        eventCount: r.eventCount,
        lastEventDate: r.lastEventDate === null ? undefined : dayOf(r.lastEventDate),
      }));
      return { items, next: rows.length > limit ? items[items.length - 1]?.id : undefined };
    },
    household: (id) => readHousehold(db, tenant, id),
    events: (id) => readEvents(db, tenant, id),
    bookedState: (id) => readBookedState(db, tenant, id),
    async change<T>(id: HouseholdId, work: (unit: HouseholdUnit) => Promise<Result<T>>, options: { readonly create?: NewHousehold } = {}): Promise<Result<T>> {
      try {
        return await db.transaction(async (tx) => {
          const txDb = tx as unknown as Db;
          if (options.create !== undefined) await insertHousehold(txDb, tenant, id, options.create);
          const locked = await txDb
            .select({ id: t.households.id })
            .from(t.households)
            .where(and(eq(t.households.tenantId, tenant), eq(t.households.id, id)))
            .for('update');
          if (locked.length === 0) return { ok: false, issues: [issue('NOT_FOUND', `no household "${id}"`, { field: 'household' })] };
          const current = await readHousehold(txDb, tenant, id);
          if (current === undefined) throw new Error(`household ${id} vanished inside its own lock`);
          const result = await work(householdUnit(txDb, tenant, current));
          if (!result.ok) throw new Rollback(result);
          return result;
        });
      } catch (err) {
        if (err instanceof Rollback) return err.result as Result<T>;
        throw err;
      }
    },
  };
}

async function insertHousehold(db: Db, tenant: TenantId, id: HouseholdId, h: NewHousehold): Promise<void> {
  await db
    .insert(t.households)
    .values({
      tenantId: tenant,
      id,
      name: h.name,
      filingStatus: h.settings.filingStatus,
      lotMethod: h.settings.lotMethod,
      taxYear: h.settings.taxYear ?? null,
      identity: identityJson(h.settings.substantiallyIdentical),
      taxProfile: h.documents.taxProfile ?? null,
      targets: h.documents.targets ?? null,
      harvest: h.documents.harvest ?? null,
    })
    .onConflictDoNothing();
}

async function readHousehold(db: Db, tenant: TenantId, id: HouseholdId): Promise<StoredHousehold | undefined> {
  const [row] = await db
    .select()
    .from(t.households)
    .where(and(eq(t.households.tenantId, tenant), eq(t.households.id, id)));
  if (row === undefined) return undefined;
  const accountRows = await db
    .select()
    .from(t.accounts)
    .where(and(eq(t.accounts.tenantId, tenant), eq(t.accounts.householdId, id)))
    .orderBy(asc(t.accounts.ord));
  const securityRows = await db
    .select()
    .from(t.securities)
    .where(and(eq(t.securities.tenantId, tenant), eq(t.securities.householdId, id)))
    .orderBy(asc(t.securities.ord));
  return storedHousehold(row as HouseholdRow, accountRows, securityRows);
}

const eventColumns = {
  seq: t.events.seq,
  id: t.events.id,
  idemKey: t.events.idemKey,
  date: t.events.date,
  kind: t.events.kind,
  accountId: t.events.accountId,
  symbol: t.events.symbol,
  shares: t.events.shares,
  price: t.events.price,
  amount: t.events.amount,
  fees: t.events.fees,
  detail: t.events.detail,
  sourceFile: t.events.sourceFile,
  sourceRow: t.events.sourceRow,
};

async function readEvents(db: Db, tenant: TenantId, id: HouseholdId): Promise<StoredEvent[]> {
  const rows = await db
    .select(eventColumns)
    .from(t.events)
    .where(and(eq(t.events.tenantId, tenant), eq(t.events.householdId, id)))
    .orderBy(asc(t.events.date), asc(t.events.seq));
  return rows.map((r) => ({ event: eventOf(r as EventRow), key: r.idemKey, seq: r.seq }));
}

async function readBookedState(db: Db, tenant: TenantId, id: HouseholdId): Promise<BookedState | undefined> {
  const exists = await db.select({ id: t.households.id }).from(t.households).where(and(eq(t.households.tenantId, tenant), eq(t.households.id, id)));
  if (exists.length === 0) return undefined;
  const lots = await db.select().from(t.openLots).where(and(eq(t.openLots.tenantId, tenant), eq(t.openLots.householdId, id))).orderBy(asc(t.openLots.ord));
  const disps = await db.select().from(t.dispositions).where(and(eq(t.dispositions.tenantId, tenant), eq(t.dispositions.householdId, id))).orderBy(asc(t.dispositions.ord));
  const cash = await db.select().from(t.accountCash).where(and(eq(t.accountCash.tenantId, tenant), eq(t.accountCash.householdId, id)));
  return {
    openLots: lots.map((r) => lotOf(r as LotRow)),
    dispositions: disps.map((r) => dispositionOf(r as DispositionRow)),
    cash: new Map<AccountId, Usd>(cash.map((r) => [accountId(r.accountId), exactOf('usd', r.cash)])),
  };
}

const EVENT_COLUMNS: readonly Column<EventRow & { importId: string | null; brokerAction: string | null }>[] = [
  { name: 'seq', type: 'integer', get: (r) => r.seq },
  { name: 'id', type: 'text', get: (r) => r.id },
  { name: 'idem_key', type: 'text', get: (r) => r.idemKey },
  { name: 'date', type: 'date', get: (r) => r.date },
  { name: 'kind', type: 'text', get: (r) => r.kind },
  { name: 'account_id', type: 'text', get: (r) => r.accountId },
  { name: 'symbol', type: 'text', get: (r) => r.symbol },
  { name: 'shares', type: 'numeric', get: (r) => r.shares },
  { name: 'price', type: 'numeric', get: (r) => r.price },
  { name: 'amount', type: 'numeric', get: (r) => r.amount },
  { name: 'fees', type: 'numeric', get: (r) => r.fees },
  { name: 'detail', type: 'jsonb', get: (r) => r.detail },
  { name: 'import_id', type: 'text', get: (r) => r.importId },
  { name: 'broker_action', type: 'text', get: (r) => r.brokerAction },
  { name: 'source_file', type: 'text', get: (r) => r.sourceFile },
  { name: 'source_row', type: 'integer', get: (r) => r.sourceRow },
];

const LOT_COLUMNS: readonly Column<LotRow>[] = [
  { name: 'ord', type: 'integer', get: (r) => r.ord },
  { name: 'account_id', type: 'text', get: (r) => r.accountId },
  { name: 'symbol', type: 'text', get: (r) => r.symbol },
  { name: 'lot_id', type: 'text', get: (r) => r.lotId },
  { name: 'origin', type: 'text', get: (r) => r.origin },
  { name: 'lot_seq', type: 'integer', get: (r) => r.lotSeq },
  { name: 'shares', type: 'numeric', get: (r) => r.shares },
  { name: 'basis', type: 'numeric', get: (r) => r.basis },
  { name: 'wash_adjustment', type: 'numeric', get: (r) => r.washAdjustment },
  { name: 'acquired', type: 'date', get: (r) => r.acquired },
  { name: 'held_from', type: 'date', get: (r) => r.heldFrom },
  { name: 'purchase', type: 'boolean', get: (r) => r.purchase },
  { name: 'replacement', type: 'boolean', get: (r) => r.replacement },
];

const DISPOSITION_COLUMNS: readonly Column<DispositionRow>[] = [
  { name: 'ord', type: 'integer', get: (r) => r.ord },
  { name: 'sale_id', type: 'text', get: (r) => r.saleId },
  { name: 'date', type: 'date', get: (r) => r.date },
  { name: 'account_id', type: 'text', get: (r) => r.accountId },
  { name: 'symbol', type: 'text', get: (r) => r.symbol },
  { name: 'lot_id', type: 'text', get: (r) => r.lotId },
  { name: 'origin', type: 'text', get: (r) => r.origin },
  { name: 'shares', type: 'numeric', get: (r) => r.shares },
  { name: 'acquired', type: 'date', get: (r) => r.acquired },
  { name: 'held_from', type: 'date', get: (r) => r.heldFrom },
  { name: 'proceeds', type: 'numeric', get: (r) => r.proceeds },
  { name: 'basis', type: 'numeric', get: (r) => r.basis },
  { name: 'gain', type: 'numeric', get: (r) => r.gain },
  { name: 'wash_adjustment', type: 'numeric', get: (r) => r.washAdjustment },
  { name: 'disallowed', type: 'numeric', get: (r) => r.disallowed },
  { name: 'permanently_disallowed', type: 'numeric', get: (r) => r.permanentlyDisallowed },
  { name: 'term', type: 'text', get: (r) => r.term },
  { name: 'taxable', type: 'boolean', get: (r) => r.taxable },
  { name: 'wash_matches', type: 'jsonb', get: (r) => r.washMatches },
];

function householdUnit(db: Db, tenant: TenantId, current: StoredHousehold): HouseholdUnit {
  const id = current.id;
  const scope = { tenant_id: tenant, household_id: id };
  let eventCount = current.eventCount;
  let accountCount = current.household.accounts.length;
  let securityCount = current.household.securities.length;
  return {
    current,
    events: () => readEvents(db, tenant, id),
    async addAccounts(list: readonly NewAccount[]) {
      if (list.length === 0) return;
      await db.insert(t.accounts).values(
        list.map((a, i) => ({
          tenantId: tenant,
          householdId: id,
          id: a.account.id,
          type: a.account.type,
          owner: a.account.owner,
          lotMethod: a.account.lotMethod ?? null,
          custodian: a.info.custodian ?? null,
          externalNumber: a.info.externalNumber ?? null,
          title: a.info.title ?? null,
          ord: accountCount + i,
        })),
      );
      accountCount += list.length;
      await touch(db, tenant, id);
    },
    async addSecurities(list: readonly Security[]) {
      if (list.length === 0) return;
      await db.insert(t.securities).values(
        list.map((s, i) => ({
          tenantId: tenant,
          householdId: id,
          symbol: s.symbol,
          cusip: s.cusip ?? null,
          assetClass: s.assetClass ?? null,
          indexName: s.index ?? null,
          ord: securityCount + i,
        })),
      );
      securityCount += list.length;
    },
    async appendEvents(list: readonly NewEvent[], record?: ImportRecord) {
      const importId = record === undefined ? null : randomUUID();
      if (record !== undefined) {
        await db.insert(t.imports).values({ tenantId: tenant, id: importId as string, householdId: id, ...record });
      }
      if (list.length === 0) return;
      const rows = list.map((n, i) => ({ ...eventRow(n.event, eventCount + i, n.key), importId, brokerAction: n.brokerAction ?? null }));
      await insertRows(db as Executor, 'events', scope, EVENT_COLUMNS, rows);
      let last = current.lastEventDate;
      for (const n of list) if (last === undefined || n.event.date > last) last = n.event.date;
      eventCount += list.length;
      await db
        .update(t.households)
        .set({ eventCount, lastEventDate: last === undefined ? null : dayText(last), version: sql`${t.households.version} + 1`, updatedAt: sql`now()` })
        .where(and(eq(t.households.tenantId, tenant), eq(t.households.id, id)));
    },
    async writeBook(ledger: Ledger) {
      for (const table of ['open_lots', 'dispositions', 'account_cash']) {
        await db.execute(sql`delete from ${sql.identifier(table)} where tenant_id = ${tenant} and household_id = ${id}`);
      }
      await insertRows(db as Executor, 'open_lots', scope, LOT_COLUMNS, ledger.openLots.map(lotRow));
      await insertRows(db as Executor, 'dispositions', scope, DISPOSITION_COLUMNS, ledger.dispositions.map(dispositionRow));
      const cash = [...ledger.cash.entries()].map(([account, v]) => ({ account, cash: text('usd', v) }));
      await insertRows(db as Executor, 'account_cash', scope, [
        { name: 'account_id', type: 'text', get: (r: { account: string }) => r.account },
        { name: 'cash', type: 'numeric', get: (r: { cash: string }) => r.cash },
      ], cash);
    },
    async update(patch: HouseholdPatch) {
      await db
        .update(t.households)
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.settings !== undefined
            ? {
                filingStatus: patch.settings.filingStatus,
                lotMethod: patch.settings.lotMethod,
                taxYear: patch.settings.taxYear ?? null,
                identity: identityJson(patch.settings.substantiallyIdentical),
              }
            : {}),
          ...(patch.documents !== undefined
            ? { taxProfile: patch.documents.taxProfile ?? null, targets: patch.documents.targets ?? null, harvest: patch.documents.harvest ?? null }
            : {}),
          version: sql`${t.households.version} + 1`,
          updatedAt: sql`now()`,
        })
        .where(and(eq(t.households.tenantId, tenant), eq(t.households.id, id)));
    },
  };
}

async function touch(db: Db, tenant: TenantId, id: HouseholdId): Promise<void> {
  await db
    .update(t.households)
    .set({ version: sql`${t.households.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(t.households.tenantId, tenant), eq(t.households.id, id)));
}
