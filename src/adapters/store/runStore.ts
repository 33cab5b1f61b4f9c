/**
 * The daily run's tables (runs, batches, notes, proposals, orders, fills, withdrawal requests) on
 * the book's database, every query scoped by tenant. The transactions that make the run exactly
 * once live here: a batch's proposals and its completion mark commit together (a batch found done
 * is left alone), and every proposal transition is a compare-and-set on its status and version.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { HouseholdId, Page, TenantId } from '../../app/ports.js';
import {
  PENDING_STATUSES,
  type NewFill,
  type ProposalRecord,
  type ProposalStatus,
  type RunNote,
  type RunRecord,
  type RunStore,
  type SnapshotHousehold,
  type TenantRuns,
} from '../../app/runPorts.js';
import { addDays, type Day } from '../../core/kernel/calendar.js';
import { issue, type Result } from '../../core/kernel/errors.js';
import type { Shares, Usd } from '../../core/kernel/exact.js';
import type { Order } from '../../core/harvest/orders.js';
import type { PendingOrder } from '../../core/harvest/pending.js';
import type { Candidate } from '../../core/harvest/proposals.js';
import { accountId, eventId, symbol, type AccountId } from '../../core/ledger/household.js';
import type { Lot } from '../../core/ledger/lots.js';
import type { Database, Db } from './database.js';
import { insertRows, type Executor } from './bulk.js';
import { storedHousehold, type AccountRow, type HouseholdRow, type SecurityRow } from './householdRows.js';
import { dayOf, dayText, eventOf, exactOf, text, type EventRow } from './rows.js';
import * as t from './schema.js';

export function runStore(database: Database): RunStore {
  return { tenant: (id) => tenantRuns(database, id) };
}

type RunRow = typeof t.runs.$inferSelect;

function tenantRuns(database: Database, tenant: TenantId): TenantRuns {
  const db = database.db;
  const runRecord = async (row: RunRow, tx: Db = db): Promise<RunRecord> => {
    const [totals] = await tx
      .select({
        batchesDone: sql<number>`count(*) filter (where ${t.runBatches.status} = 'done')`.mapWith(Number),
        screened: sql<number>`coalesce(sum(${t.runBatches.screened}), 0)`.mapWith(Number),
        decided: sql<number>`coalesce(sum(${t.runBatches.decided}), 0)`.mapWith(Number),
        proposals: sql<number>`coalesce(sum(${t.runBatches.proposals}), 0)`.mapWith(Number),
        errors: sql<number>`coalesce(sum(${t.runBatches.errors}), 0)`.mapWith(Number),
      })
      .from(t.runBatches)
      .where(and(eq(t.runBatches.tenantId, tenant), eq(t.runBatches.runId, row.id)));
    return {
      id: row.id,
      runDate: dayOf(row.runDate),
      policyVersion: row.policyVersion,
      generation: row.generation,
      status: row.status as RunRecord['status'],
      batches: row.batches,
      households: row.households,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt ?? undefined,
      totals: totals ?? { batchesDone: 0, screened: 0, decided: 0, proposals: 0, errors: 0 },
    };
  };

  return {
    async startRun(date, policyVersion, batchSize, replace) {
      return db.transaction(async (txx) => {
        const tx = txx as unknown as Db;
        // One run of a date at a time per tenant: concurrent `run` commands find each other's.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${tenant}|${dayText(date)}|${policyVersion}`}))`);
        const [latest] = await tx
          .select()
          .from(t.runs)
          .where(and(eq(t.runs.tenantId, tenant), eq(t.runs.runDate, dayText(date)), eq(t.runs.policyVersion, policyVersion)))
          .orderBy(desc(t.runs.generation))
          .limit(1);
        if (latest !== undefined && !replace) return { run: await runRecord(latest, tx), created: false };
        const generation = (latest?.generation ?? 0) + 1;
        if (latest !== undefined) {
          await tx
            .update(t.proposals)
            .set({ status: 'superseded', reason: `replaced by generation ${generation} of the run of ${dayText(date)}`, version: sql`${t.proposals.version} + 1`, updatedAt: sql`now()` })
            .where(and(eq(t.proposals.tenantId, tenant), eq(t.proposals.runDate, dayText(date)), eq(t.proposals.policyVersion, policyVersion), eq(t.proposals.status, 'proposed')));
        }
        const ids = (await tx.select({ id: t.households.id }).from(t.households).where(eq(t.households.tenantId, tenant)).orderBy(asc(t.households.id))).map((r) => r.id);
        const id = randomUUID();
        const batches: string[][] = [];
        for (let i = 0; i < ids.length; i += batchSize) batches.push(ids.slice(i, i + batchSize));
        const [row] = await tx
          .insert(t.runs)
          .values({ tenantId: tenant, id, runDate: dayText(date), policyVersion, generation, status: batches.length === 0 ? 'done' : 'running', batches: batches.length, households: ids.length, ...(batches.length === 0 ? { finishedAt: sql`now()` } : {}) })
          .returning();
        await insertRows(tx as Executor, 'run_batches', { tenant_id: tenant, run_id: id }, [
          { name: 'batch', type: 'integer', get: (b: { batch: number }) => b.batch },
          { name: 'household_ids', type: 'jsonb', get: (b: { ids: string[] }) => b.ids },
          { name: 'status', type: 'text', get: () => 'pending' },
        ], batches.map((ids, batch) => ({ batch, ids })));
        return { run: await runRecord(row as RunRow, tx), created: true };
      });
    },

    async run(id) {
      const [row] = await db.select().from(t.runs).where(and(eq(t.runs.tenantId, tenant), eq(t.runs.id, id)));
      return row === undefined ? undefined : runRecord(row);
    },

    async runs({ after, limit }) {
      const rows = await db
        .select()
        .from(t.runs)
        .where(after === undefined ? eq(t.runs.tenantId, tenant) : and(eq(t.runs.tenantId, tenant), sql`(${t.runs.startedAt}, ${t.runs.id}) < (select started_at, id from runs where tenant_id = ${tenant} and id = ${after})`))
        .orderBy(desc(t.runs.startedAt), desc(t.runs.id))
        .limit(limit + 1);
      const items = await Promise.all(rows.slice(0, limit).map((r) => runRecord(r)));
      return { items, next: rows.length > limit ? items[items.length - 1]?.id : undefined };
    },

    async batchHouseholds(runId, batch) {
      const [row] = await db
        .select({ ids: t.runBatches.householdIds, status: t.runBatches.status })
        .from(t.runBatches)
        .where(and(eq(t.runBatches.tenantId, tenant), eq(t.runBatches.runId, runId), eq(t.runBatches.batch, batch)));
      return row === undefined ? undefined : { households: row.ids as HouseholdId[], done: row.status === 'done' };
    },

    async openBatches(runId) {
      const rows = await db
        .select({ batch: t.runBatches.batch })
        .from(t.runBatches)
        .where(and(eq(t.runBatches.tenantId, tenant), eq(t.runBatches.runId, runId), eq(t.runBatches.status, 'pending')))
        .orderBy(asc(t.runBatches.batch));
      return rows.map((r) => r.batch);
    },

    snapshot: (households, date) => readSnapshot(database, tenant, households, date),

    async completeBatch(runId, batch, outcome) {
      return db.transaction(async (txx) => {
        const tx = txx as unknown as Db;
        const [b] = await tx
          .select({ status: t.runBatches.status })
          .from(t.runBatches)
          .where(and(eq(t.runBatches.tenantId, tenant), eq(t.runBatches.runId, runId), eq(t.runBatches.batch, batch)))
          .for('update');
        if (b === undefined || b.status === 'done') return false;
        const [run] = await tx.select().from(t.runs).where(and(eq(t.runs.tenantId, tenant), eq(t.runs.id, runId)));
        if (run === undefined) return false;
        const batchIds = ((await tx.select({ ids: t.runBatches.householdIds }).from(t.runBatches).where(and(eq(t.runBatches.tenantId, tenant), eq(t.runBatches.runId, runId), eq(t.runBatches.batch, batch))))[0]?.ids ?? []) as string[];
        if (batchIds.length > 0) {
          await tx
            .update(t.proposals)
            .set({ status: 'expired', reason: `superseded by the run of ${run.runDate}`, version: sql`${t.proposals.version} + 1`, updatedAt: sql`now()` })
            .where(
              and(
                eq(t.proposals.tenantId, tenant),
                inArray(t.proposals.householdId, batchIds),
                eq(t.proposals.status, 'proposed'),
                sql`(${t.proposals.runDate} < ${run.runDate} or (${t.proposals.runDate} = ${run.runDate} and ${t.proposals.generation} < ${run.generation}))`,
              ),
            );
        }
        const proposing = outcome.decisions.filter((d) => d.orders.length > 0);
        const idOf = (h: string): string => `${run.runDate}.${run.policyVersion}.g${run.generation}.${h}`;
        if (proposing.length > 0) {
          await tx
            .insert(t.proposals)
            .values(
              proposing.map((d) => ({
                tenantId: tenant,
                id: idOf(d.household),
                householdId: d.household,
                runId,
                runDate: run.runDate,
                policyVersion: run.policyVersion,
                generation: run.generation,
                status: 'proposed',
                benefit: text('usd', d.benefit),
                notes: d.notes,
                candidates: d.candidates,
              })),
            )
            .onConflictDoNothing();
          const lines = proposing.flatMap((d) => d.orders.map((o, line) => ({ proposalId: idOf(d.household), line, o, lossSale: d.lossSales[line] ?? false })));
          await insertRows(tx as Executor, 'proposal_orders', { tenant_id: tenant }, [
            { name: 'proposal_id', type: 'text', get: (r: (typeof lines)[number]) => r.proposalId },
            { name: 'line', type: 'integer', get: (r) => r.line },
            { name: 'account_id', type: 'text', get: (r) => r.o.account },
            { name: 'symbol', type: 'text', get: (r) => r.o.symbol },
            { name: 'side', type: 'text', get: (r) => r.o.side },
            { name: 'shares', type: 'numeric', get: (r) => text('shares', r.o.shares) },
            { name: 'price', type: 'numeric', get: (r) => text('price', r.o.price) },
            { name: 'amount', type: 'numeric', get: (r) => (r.o.side === 'buy' ? text('usd', r.o.amount) : null) },
            { name: 'lots', type: 'jsonb', get: (r) => (r.o.side === 'sell' ? r.o.lots.map((l) => ({ lotId: l.lotId, shares: text('shares', l.shares) })) : null) },
            { name: 'rule', type: 'text', get: (r) => r.o.rule },
            { name: 'loss_sale', type: 'boolean', get: (r) => r.lossSale },
            { name: 'all_or_none', type: 'boolean', get: (r) => r.o.side === 'sell' && r.o.allOrNone === true },
          ], lines);
        }
        if (outcome.notes.length > 0) {
          await tx.insert(t.runNotes).values(outcome.notes.map((n) => ({ tenantId: tenant, runId, householdId: n.household, kind: n.kind, message: n.message })));
        }
        if (outcome.withdrawalsProposed.length > 0) {
          await tx
            .update(t.withdrawalRequests)
            .set({ status: 'proposed' })
            .where(and(eq(t.withdrawalRequests.tenantId, tenant), inArray(t.withdrawalRequests.id, [...outcome.withdrawalsProposed])));
        }
        await tx
          .update(t.runBatches)
          .set({
            status: 'done',
            screened: outcome.screened,
            decided: outcome.decided,
            proposals: proposing.length,
            errors: outcome.notes.filter((n) => n.kind === 'error').length,
            finishedAt: sql`now()`,
          })
          .where(and(eq(t.runBatches.tenantId, tenant), eq(t.runBatches.runId, runId), eq(t.runBatches.batch, batch)));
        await tx.execute(
          sql`update runs set status = 'done', finished_at = now() where tenant_id = ${tenant} and id = ${runId} and status = 'running' and not exists (select 1 from run_batches where tenant_id = ${tenant} and run_id = ${runId} and status <> 'done')`,
        );
        return true;
      });
    },

    async notes(runId) {
      const rows = await db.select().from(t.runNotes).where(and(eq(t.runNotes.tenantId, tenant), eq(t.runNotes.runId, runId))).orderBy(asc(t.runNotes.householdId));
      return rows.map((r): RunNote => ({ household: r.householdId as HouseholdId, kind: r.kind as RunNote['kind'], message: r.message }));
    },

    async proposals(filter, { after, limit }): Promise<Page<ProposalRecord>> {
      const conditions = [eq(t.proposals.tenantId, tenant)];
      if (filter.status !== undefined) conditions.push(eq(t.proposals.status, filter.status));
      if (filter.household !== undefined) conditions.push(eq(t.proposals.householdId, filter.household));
      if (filter.runDate !== undefined) conditions.push(eq(t.proposals.runDate, dayText(filter.runDate)));
      if (after !== undefined) conditions.push(gt(t.proposals.id, after));
      const rows = await db.select().from(t.proposals).where(and(...conditions)).orderBy(asc(t.proposals.id)).limit(limit + 1);
      const page = rows.slice(0, limit);
      const records = await withLines(db, tenant, page);
      return { items: records, next: rows.length > limit ? page[page.length - 1]?.id : undefined };
    },

    async proposal(id) {
      const rows = await db.select().from(t.proposals).where(and(eq(t.proposals.tenantId, tenant), eq(t.proposals.id, id)));
      return (await withLines(db, tenant, rows))[0];
    },

    async transition(id, from, to, options = {}): Promise<Result<ProposalRecord>> {
      const updated = await db
        .update(t.proposals)
        .set({ status: to, version: sql`${t.proposals.version} + 1`, updatedAt: sql`now()`, ...(options.reason !== undefined ? { reason: options.reason } : {}) })
        .where(
          and(
            eq(t.proposals.tenantId, tenant),
            eq(t.proposals.id, id),
            inArray(t.proposals.status, [...from]),
            ...(options.version !== undefined ? [eq(t.proposals.version, options.version)] : []),
          ),
        )
        .returning();
      if (updated.length === 1) return { ok: true, value: (await withLines(db, tenant, updated))[0] as ProposalRecord };
      const [now] = await db.select().from(t.proposals).where(and(eq(t.proposals.tenantId, tenant), eq(t.proposals.id, id)));
      if (now === undefined) return { ok: false, issues: [issue('NOT_FOUND', `no proposal "${id}"`, { field: 'proposal' })] };
      const why = !from.includes(now.status as ProposalStatus) ? `it is ${now.status}` : `it changed since version ${options.version ?? '?'} (now version ${now.version})`;
      return { ok: false, issues: [issue('CONFLICT', `proposal ${id} cannot become ${to}: ${why}`, { field: 'proposal' })] };
    },

    async recordFills(list: readonly NewFill[]) {
      return db.transaction(async (txx) => {
        const tx = txx as unknown as Db;
        let recorded = 0;
        const touched = new Set<string>();
        for (const f of list) {
          const inserted = await tx
            .insert(t.fills)
            .values({ tenantId: tenant, fillKey: f.key, proposalId: f.proposalId, line: f.line, date: dayText(f.date), shares: text('shares', f.shares), price: text('price', f.price), fees: text('usd', f.fees), eventId: f.eventId })
            .onConflictDoNothing()
            .returning({ key: t.fills.fillKey });
          if (inserted.length === 0) continue;
          recorded++;
          touched.add(f.proposalId);
          await tx
            .update(t.proposalOrders)
            .set({ filledShares: sql`${t.proposalOrders.filledShares} + ${text('shares', f.shares)}::numeric` })
            .where(and(eq(t.proposalOrders.tenantId, tenant), eq(t.proposalOrders.proposalId, f.proposalId), eq(t.proposalOrders.line, f.line)));
        }
        for (const p of touched) {
          await tx.execute(sql`
            update proposals set
              status = case when (select bool_and(filled_shares >= shares) from proposal_orders where tenant_id = ${tenant} and proposal_id = ${p}) then 'filled' else 'partially_filled' end,
              version = version + 1, updated_at = now()
            where tenant_id = ${tenant} and id = ${p}`);
        }
        return { recorded, known: list.length - recorded };
      });
    },

    async knownFills(keys) {
      if (keys.length === 0) return new Set();
      const rows = await db.select({ key: t.fills.fillKey }).from(t.fills).where(and(eq(t.fills.tenantId, tenant), inArray(t.fills.fillKey, [...keys])));
      return new Set(rows.map((r) => r.key));
    },

    async requestWithdrawal(household, account, amount, date) {
      const id = randomUUID();
      await db.insert(t.withdrawalRequests).values({ tenantId: tenant, id, householdId: household, accountId: account, amount: text('usd', amount), requestedOn: dayText(date), status: 'open' });
      return id;
    },
  };
}

type ProposalRow = typeof t.proposals.$inferSelect;

async function withLines(db: Db, tenant: TenantId, rows: readonly ProposalRow[]): Promise<ProposalRecord[]> {
  if (rows.length === 0) return [];
  const lines = await db
    .select()
    .from(t.proposalOrders)
    .where(and(eq(t.proposalOrders.tenantId, tenant), inArray(t.proposalOrders.proposalId, rows.map((r) => r.id))))
    .orderBy(asc(t.proposalOrders.proposalId), asc(t.proposalOrders.line));
  const byProposal = new Map<string, (typeof lines)[number][]>();
  for (const l of lines) byProposal.set(l.proposalId, [...(byProposal.get(l.proposalId) ?? []), l]);
  return rows.map((r) => ({
    id: r.id,
    household: r.householdId as HouseholdId,
    runId: r.runId,
    runDate: dayOf(r.runDate),
    policyVersion: r.policyVersion,
    generation: r.generation,
    status: r.status as ProposalStatus,
    version: r.version,
    benefit: exactOf('usd', r.benefit),
    lines: (byProposal.get(r.id) ?? []).map((l) => ({ line: l.line, order: orderOf(l), lossSale: l.lossSale, filledShares: exactOf('shares', l.filledShares) })),
    notes: r.notes as string[],
    candidates: r.candidates as Candidate[],
    reason: r.reason ?? undefined,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }));
}

function orderOf(l: typeof t.proposalOrders.$inferSelect): Order {
  const base = { account: accountId(l.accountId), symbol: symbol(l.symbol), shares: exactOf('shares', l.shares), price: exactOf('price', l.price), rule: l.rule as Order['rule'] };
  if (l.side === 'buy') return { ...base, side: 'buy', amount: exactOf('usd', l.amount ?? '0') };
  const lots = (l.lots ?? []) as { lotId: string; shares: string }[];
  return { ...base, side: 'sell', lots: lots.map((x) => ({ lotId: x.lotId, shares: exactOf('shares', x.shares) })), ...(l.allOrNone ? { allOrNone: true as const } : {}) };
}

async function readSnapshot(database: Database, tenant: TenantId, ids: readonly HouseholdId[], date: Day): Promise<SnapshotHousehold[]> {
  if (ids.length === 0) return [];
  const db = database.db;
  const list = [...ids] as string[];
  const dateText = dayText(date);
  const from = dayText(addDays(date, -30));
  const yearStart = `${dateText.slice(0, 4)}-01-01`;
  const households = await db.select().from(t.households).where(and(eq(t.households.tenantId, tenant), inArray(t.households.id, list)));
  const accounts = await db.select().from(t.accounts).where(and(eq(t.accounts.tenantId, tenant), inArray(t.accounts.householdId, list))).orderBy(asc(t.accounts.householdId), asc(t.accounts.ord));
  const securities = await db.select().from(t.securities).where(and(eq(t.securities.tenantId, tenant), inArray(t.securities.householdId, list))).orderBy(asc(t.securities.householdId), asc(t.securities.ord));
  // The bulk of the snapshot: read as arrays, straight into lots (no row objects, no mapping layer).
  const lotArrays = await database.rows(
    'select household_id, account_id, symbol, lot_id, origin, lot_seq, shares::text, basis::text, wash_adjustment::text, acquired::text, held_from::text, purchase, replacement from open_lots where tenant_id = $1 and household_id = any($2) order by household_id, ord',
    [tenant, list],
  );
  const lots = lotArrays.map((r) => ({ householdId: r[0] as string, lot: lotOfArray(r) }));
  const cash = await db.select().from(t.accountCash).where(and(eq(t.accountCash.tenantId, tenant), inArray(t.accountCash.householdId, list)));
  const realized = await db
    .select({ householdId: t.dispositions.householdId, term: t.dispositions.term, total: sql<string>`sum(${t.dispositions.gain} + ${t.dispositions.disallowed})` })
    .from(t.dispositions)
    .where(and(eq(t.dispositions.tenantId, tenant), inArray(t.dispositions.householdId, list), eq(t.dispositions.taxable, true), sql`${t.dispositions.date} between ${yearStart} and ${dateText}`))
    .groupBy(t.dispositions.householdId, t.dispositions.term);
  const lossSales = await db
    .selectDistinct({ householdId: t.dispositions.householdId, saleId: t.dispositions.saleId })
    .from(t.dispositions)
    .where(and(eq(t.dispositions.tenantId, tenant), inArray(t.dispositions.householdId, list), eq(t.dispositions.taxable, true), sql`${t.dispositions.gain} < 0`, sql`${t.dispositions.date} between ${from} and ${dateText}`));
  const recent = await db
    .select()
    .from(t.events)
    .where(and(eq(t.events.tenantId, tenant), inArray(t.events.householdId, list), sql`${t.events.date} between ${from} and ${dateText}`))
    .orderBy(asc(t.events.householdId), asc(t.events.date), asc(t.events.seq));
  const pendingRows = await db
    .select({ householdId: t.proposals.householdId, o: t.proposalOrders })
    .from(t.proposalOrders)
    .innerJoin(t.proposals, and(eq(t.proposals.tenantId, t.proposalOrders.tenantId), eq(t.proposals.id, t.proposalOrders.proposalId)))
    .where(and(eq(t.proposalOrders.tenantId, tenant), inArray(t.proposals.householdId, list), inArray(t.proposals.status, [...PENDING_STATUSES]), sql`${t.proposalOrders.filledShares} < ${t.proposalOrders.shares}`));
  const withdrawals = await db
    .select()
    .from(t.withdrawalRequests)
    .where(and(eq(t.withdrawalRequests.tenantId, tenant), inArray(t.withdrawalRequests.householdId, list), eq(t.withdrawalRequests.status, 'open'), sql`${t.withdrawalRequests.requestedOn} <= ${dateText}`));
  const later = households.filter((h) => h.lastEventDate !== null && h.lastEventDate > dateText).map((h) => h.id);
  const allEvents =
    later.length === 0
      ? []
      : await db
          .select()
          .from(t.events)
          .where(and(eq(t.events.tenantId, tenant), inArray(t.events.householdId, later)))
          .orderBy(asc(t.events.householdId), asc(t.events.date), asc(t.events.seq));
  const group = <R extends { householdId: string }>(rows: readonly R[]): Map<string, R[]> => {
    const m = new Map<string, R[]>();
    for (const r of rows) {
      const list = m.get(r.householdId);
      if (list === undefined) m.set(r.householdId, [r]);
      else list.push(r);
    }
    return m;
  };
  const accountsBy = group(accounts);
  const securitiesBy = group(securities);
  const lotsBy = group(lots);
  const cashBy = group(cash);
  const realizedBy = group(realized);
  const lossBy = group(lossSales);
  const recentBy = group(recent);
  const pendingBy = group(pendingRows);
  const withdrawalsBy = group(withdrawals);
  const allBy = group(allEvents);
  return households.map((h) => {
    const r = realizedBy.get(h.id) ?? [];
    const sum = (term: string): Usd => r.filter((x) => x.term === term).reduce((s, x) => s + exactOf('usd', x.total), 0) as Usd;
    const events = allBy.get(h.id);
    return {
      stored: storedHousehold(h as HouseholdRow, (accountsBy.get(h.id) ?? []) as AccountRow[], (securitiesBy.get(h.id) ?? []) as SecurityRow[]),
      lots: (lotsBy.get(h.id) ?? []).map((l) => l.lot),
      cash: new Map<AccountId, Usd>((cashBy.get(h.id) ?? []).map((c) => [accountId(c.accountId), exactOf('usd', c.cash)])),
      realized: { shortTerm: sum('short'), longTerm: sum('long') },
      recentEvents: (recentBy.get(h.id) ?? []).map((e) => eventOf(e as EventRow)),
      recentLossSales: new Set((lossBy.get(h.id) ?? []).map((x) => x.saleId)),
      pending: (pendingBy.get(h.id) ?? []).map(({ o }) => pendingOf(o)),
      withdrawals: (withdrawalsBy.get(h.id) ?? []).map((w) => ({ id: w.id, account: accountId(w.accountId), amount: exactOf('usd', w.amount) })),
      ...(events !== undefined ? { events: events.map((e) => eventOf(e as EventRow)) } : {}),
    };
  });
}

function pendingOf(o: typeof t.proposalOrders.$inferSelect): PendingOrder {
  const shares = exactOf('shares', o.shares);
  const filled = exactOf('shares', o.filledShares);
  const open = (shares - filled) as Shares;
  if (o.side === 'buy') {
    const amount = exactOf('usd', o.amount ?? '0');
    return { side: 'buy', account: accountId(o.accountId), symbol: symbol(o.symbol), shares: open, amount: Math.round((amount * open) / Math.max(1, shares)) as Usd };
  }
  // Fills relieve the named lots in order, so the unfilled shares are the last ones named.
  let skip = filled as number;
  const lots = ((o.lots ?? []) as { lotId: string; shares: string }[]).flatMap((l) => {
    const named = exactOf('shares', l.shares);
    const done = Math.min(skip, named);
    skip -= done;
    return named - done > 0 ? [{ lotId: l.lotId, shares: (named - done) as Shares }] : [];
  });
  return { side: 'sell', account: accountId(o.accountId), symbol: symbol(o.symbol), shares: open, lots, lossSale: o.lossSale };
}

/** A lot from the row of `readSnapshot`'s lots query (column order as selected there). */
function lotOfArray(r: readonly unknown[]): Lot {
  return {
    account: accountId(r[1] as string),
    symbol: symbol(r[2] as string),
    id: r[3] as string,
    origin: eventId(r[4] as string),
    seq: r[5] as number,
    shares: exactOf('shares', r[6] as string),
    basis: exactOf('usd', r[7] as string),
    washAdjustment: exactOf('usd', r[8] as string),
    acquired: dayOf(r[9] as string),
    heldFrom: dayOf(r[10] as string),
    purchase: r[11] as boolean,
    replacement: r[12] as boolean,
  };
}
