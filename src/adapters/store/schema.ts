/**
 * The book's tables (Drizzle, PostgreSQL dialect: the same schema and migrations serve the embedded
 * PGlite and a PostgreSQL server). Everything a client owns hangs off a tenant and every key starts
 * with `tenant_id`, so the data layer scopes each query by tenant. Money, shares and prices are
 * NUMERIC with the kernel's scales (cents, micro-shares, 1e-8 dollars), read back as strings and
 * parsed exactly; calendar facts are DATE. Events are append-only; `open_lots`, `dispositions` and
 * `account_cash` are the booked state derived from them, rewritten in the same transaction as the
 * events and checked against a full re-booking by `lotsmith book verify`.
 *
 * Generate a migration after changing this file: `npx drizzle-kit generate`.
 */
import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const shares = (name: string) => numeric(name, { precision: 24, scale: 6 });
const usd = (name: string) => numeric(name, { precision: 20, scale: 2 });
const price = (name: string) => numeric(name, { precision: 24, scale: 8 });
const day = (name: string) => date(name, { mode: 'string' });
const stamp = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export const tenants = pgTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: stamp('created_at').notNull().defaultNow(),
});

export const households = pgTable(
  'households',
  {
    tenantId: text('tenant_id').notNull().references(() => tenants.id),
    id: text('id').notNull(),
    name: text('name').notNull(),
    /** Optimistic concurrency: bumped by every change to the household or its events. */
    version: integer('version').notNull().default(1),
    filingStatus: text('filing_status').notNull(),
    lotMethod: text('lot_method').notNull(),
    taxYear: integer('tax_year'),
    /** The substantially-identical policy: { policy, groups, periods, matchCusip }. */
    identity: jsonb('identity').notNull(),
    /** The household document's taxProfile, targets and harvest sections, as the user wrote them. */
    taxProfile: jsonb('tax_profile'),
    targets: jsonb('targets'),
    harvest: jsonb('harvest'),
    /** Events appended so far (the next event's seq) and the last booked event date. */
    eventCount: integer('event_count').notNull().default(0),
    lastEventDate: day('last_event_date'),
    createdAt: stamp('created_at').notNull().defaultNow(),
    updatedAt: stamp('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const accounts = pgTable(
  'accounts',
  {
    tenantId: text('tenant_id').notNull(),
    householdId: text('household_id').notNull(),
    id: text('id').notNull(),
    type: text('type').notNull(),
    owner: text('owner').notNull(),
    lotMethod: text('lot_method'),
    custodian: text('custodian'),
    externalNumber: text('external_number'),
    title: text('title'),
    /** Position in the household's account list (the ledger reports accounts in this order). */
    ord: integer('ord').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.householdId, t.id] }),
    uniqueIndex('accounts_external').on(t.tenantId, t.householdId, t.custodian, t.externalNumber).where(sql`external_number is not null`),
  ],
);

export const securities = pgTable(
  'securities',
  {
    tenantId: text('tenant_id').notNull(),
    householdId: text('household_id').notNull(),
    symbol: text('symbol').notNull(),
    cusip: text('cusip'),
    assetClass: text('asset_class'),
    indexName: text('index_name'),
    ord: integer('ord').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.householdId, t.symbol] })],
);

export const imports = pgTable(
  'imports',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    householdId: text('household_id').notNull(),
    fileName: text('file_name').notNull(),
    format: text('format').notNull(),
    sha256: text('sha256').notNull(),
    eventsAdded: integer('events_added').notNull(),
    eventsKnown: integer('events_known').notNull(),
    createdAt: stamp('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const events = pgTable(
  'events',
  {
    tenantId: text('tenant_id').notNull(),
    householdId: text('household_id').notNull(),
    /** Append order within the household; booking order is (date, seq). */
    seq: integer('seq').notNull(),
    id: text('id').notNull(),
    /** Recognizes an event already appended (re-imports, overlapping exports). */
    idemKey: text('idem_key').notNull(),
    date: day('date').notNull(),
    kind: text('kind').notNull(),
    accountId: text('account_id'),
    symbol: text('symbol'),
    shares: shares('shares'),
    price: price('price'),
    /** Cash amount (dividend, deposit, withdrawal, fee) or basis (transfer in). */
    amount: usd('amount'),
    fees: usd('fees'),
    /** Kind-specific fields: lot selection, split ratio, transfer target, transferred lot's dates. */
    detail: jsonb('detail'),
    importId: text('import_id'),
    brokerAction: text('broker_action'),
    sourceFile: text('source_file'),
    sourceRow: integer('source_row'),
    createdAt: stamp('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.householdId, t.seq] }),
    uniqueIndex('events_id').on(t.tenantId, t.householdId, t.id),
    uniqueIndex('events_idem').on(t.tenantId, t.householdId, t.idemKey),
    index('events_order').on(t.tenantId, t.householdId, t.date, t.seq),
  ],
);

export const openLots = pgTable(
  'open_lots',
  {
    tenantId: text('tenant_id').notNull(),
    householdId: text('household_id').notNull(),
    /** Position in the ledger's open lots (account, security, acquisition order). */
    ord: integer('ord').notNull(),
    accountId: text('account_id').notNull(),
    symbol: text('symbol').notNull(),
    lotId: text('lot_id').notNull(),
    origin: text('origin').notNull(),
    lotSeq: integer('lot_seq').notNull(),
    shares: shares('shares').notNull(),
    basis: usd('basis').notNull(),
    washAdjustment: usd('wash_adjustment').notNull(),
    acquired: day('acquired').notNull(),
    heldFrom: day('held_from').notNull(),
    purchase: boolean('purchase').notNull(),
    replacement: boolean('replacement').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.householdId, t.ord] })],
);

export const dispositions = pgTable(
  'dispositions',
  {
    tenantId: text('tenant_id').notNull(),
    householdId: text('household_id').notNull(),
    ord: integer('ord').notNull(),
    saleId: text('sale_id').notNull(),
    date: day('date').notNull(),
    accountId: text('account_id').notNull(),
    symbol: text('symbol').notNull(),
    lotId: text('lot_id').notNull(),
    origin: text('origin').notNull(),
    shares: shares('shares').notNull(),
    acquired: day('acquired').notNull(),
    heldFrom: day('held_from').notNull(),
    proceeds: usd('proceeds').notNull(),
    basis: usd('basis').notNull(),
    gain: usd('gain').notNull(),
    washAdjustment: usd('wash_adjustment').notNull(),
    disallowed: usd('disallowed').notNull(),
    permanentlyDisallowed: usd('permanently_disallowed').notNull(),
    term: text('term').notNull(),
    taxable: boolean('taxable').notNull(),
    washMatches: jsonb('wash_matches').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.householdId, t.ord] }), index('dispositions_date').on(t.tenantId, t.householdId, t.date)],
);

export const accountCash = pgTable(
  'account_cash',
  {
    tenantId: text('tenant_id').notNull(),
    householdId: text('household_id').notNull(),
    accountId: text('account_id').notNull(),
    cash: usd('cash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.householdId, t.accountId] })],
);

/** Market data, shared by every tenant: as-traded closes (a lot and its day's close in the same share units). */
export const prices = pgTable(
  'prices',
  {
    symbol: text('symbol').notNull(),
    date: day('date').notNull(),
    close: price('close').notNull(),
    dividend: price('dividend').notNull().default('0'),
    /** New shares per old share on this day (2 = 2-for-1), 1 on other days. */
    split: numeric('split', { precision: 20, scale: 10 }).notNull().default('1'),
  },
  (t) => [primaryKey({ columns: [t.symbol, t.date] }), index('prices_date').on(t.date)],
);

/**
 * A daily run of the tenant's book for one date under one policy version. `generation` counts
 * re-runs of the date with --replace: proposals of an earlier generation are superseded.
 */
export const runs = pgTable(
  'runs',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    runDate: day('run_date').notNull(),
    policyVersion: text('policy_version').notNull(),
    generation: integer('generation').notNull(),
    status: text('status').notNull(),
    batches: integer('batches').notNull(),
    households: integer('households').notNull(),
    startedAt: stamp('started_at').notNull().defaultNow(),
    finishedAt: stamp('finished_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('runs_date').on(t.tenantId, t.runDate, t.policyVersion, t.generation)],
);

/** A batch of households of a run: one job; its proposals and its completion commit together. */
export const runBatches = pgTable(
  'run_batches',
  {
    tenantId: text('tenant_id').notNull(),
    runId: text('run_id').notNull(),
    batch: integer('batch').notNull(),
    householdIds: jsonb('household_ids').notNull(),
    status: text('status').notNull(),
    screened: integer('screened').notNull().default(0),
    decided: integer('decided').notNull().default(0),
    proposals: integer('proposals').notNull().default(0),
    errors: integer('errors').notNull().default(0),
    finishedAt: stamp('finished_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.runId, t.batch] })],
);

/** What a run could not do for a household: an error (skipped), or a part skipped (no close). */
export const runNotes = pgTable(
  'run_notes',
  {
    tenantId: text('tenant_id').notNull(),
    runId: text('run_id').notNull(),
    householdId: text('household_id').notNull(),
    kind: text('kind').notNull(),
    message: text('message').notNull(),
  },
  (t) => [index('run_notes_run').on(t.tenantId, t.runId)],
);

/** One household's orders for one run date: proposed → approved → sent → filled, or rejected / expired / superseded. */
export const proposals = pgTable(
  'proposals',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    householdId: text('household_id').notNull(),
    runId: text('run_id').notNull(),
    runDate: day('run_date').notNull(),
    policyVersion: text('policy_version').notNull(),
    generation: integer('generation').notNull(),
    status: text('status').notNull(),
    /** Optimistic concurrency: every transition names the version it saw. */
    version: integer('version').notNull().default(1),
    benefit: usd('benefit').notNull(),
    /** The policy's cash-flow notes and every candidate's verdict, numbers and sentence. */
    notes: jsonb('notes').notNull(),
    candidates: jsonb('candidates').notNull(),
    reason: text('reason'),
    createdAt: stamp('created_at').notNull().defaultNow(),
    updatedAt: stamp('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('proposals_key').on(t.tenantId, t.householdId, t.runDate, t.policyVersion, t.generation),
    index('proposals_status').on(t.tenantId, t.status),
  ],
);

export const proposalOrders = pgTable(
  'proposal_orders',
  {
    tenantId: text('tenant_id').notNull(),
    proposalId: text('proposal_id').notNull(),
    line: integer('line').notNull(),
    accountId: text('account_id').notNull(),
    symbol: text('symbol').notNull(),
    side: text('side').notNull(),
    shares: shares('shares').notNull(),
    /** The close the order was sized at. */
    price: price('price').notNull(),
    /** Buys: the cash to spend. */
    amount: usd('amount'),
    /** Sells: the lots relieved, [{lotId, shares}]. */
    lots: jsonb('lots'),
    rule: text('rule').notNull(),
    lossSale: boolean('loss_sale').notNull(),
    /** Fill whole or not at all (SellOrder.allOrNone). */
    allOrNone: boolean('all_or_none').notNull().default(false),
    filledShares: shares('filled_shares').notNull().default('0'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.proposalId, t.line] })],
);

/** Executions reported for an order line; each becomes a ledger event, once. */
export const fills = pgTable(
  'fills',
  {
    tenantId: text('tenant_id').notNull(),
    fillKey: text('fill_key').notNull(),
    proposalId: text('proposal_id').notNull(),
    line: integer('line').notNull(),
    date: day('date').notNull(),
    shares: shares('shares').notNull(),
    price: price('price').notNull(),
    fees: usd('fees').notNull(),
    eventId: text('event_id').notNull(),
    createdAt: stamp('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.fillKey] })],
);

/** Cash a client asked to take out of an account: the next run raises it tax-aware. */
export const withdrawalRequests = pgTable(
  'withdrawal_requests',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    householdId: text('household_id').notNull(),
    accountId: text('account_id').notNull(),
    amount: usd('amount').notNull(),
    requestedOn: day('requested_on').notNull(),
    status: text('status').notNull(),
    proposalId: text('proposal_id'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('withdrawals_open').on(t.tenantId, t.householdId, t.status)],
);

/**
 * API keys of a tenant. Only the scrypt hash of the secret is kept (the key is shown once, when
 * created); `id` is the public half of the key and finds the row, the secret is checked against
 * `hash` in constant time.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    tenantId: text('tenant_id').notNull().references(() => tenants.id),
    id: text('id').notNull(),
    name: text('name').notNull(),
    /** 'read', 'trade', 'admin'. */
    scopes: jsonb('scopes').notNull(),
    salt: text('salt').notNull(),
    hash: text('hash').notNull(),
    createdAt: stamp('created_at').notNull().defaultNow(),
    revokedAt: stamp('revoked_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('api_keys_id').on(t.id)],
);

/** Backtests submitted over the API: a job's config, its progress and, when done, its report (results JSON). */
export const backtestJobs = pgTable(
  'backtest_jobs',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    status: text('status').notNull(),
    config: jsonb('config').notNull(),
    progress: jsonb('progress'),
    error: text('error'),
    report: jsonb('report'),
    createdAt: stamp('created_at').notNull().defaultNow(),
    finishedAt: stamp('finished_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
