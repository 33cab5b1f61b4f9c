/**
 * The daily run over the whole book (the seed paper's "every ETF tax lot in each eligible account
 * every day"): for a date, the tenant's households are split into batches; each batch is one job,
 * run by whichever worker takes it (jobs adapter: pg-boss on PostgreSQL, in-process on PGlite).
 *
 * A batch reads its households in bulk, prices their lots at the day's closes, screens every
 * taxable lot with the columnar scan (bulk/scan.ts) and the rest of the day's reasons to trade
 * with `screenFlows`, and runs the one policy, `decide` — the backtest's, unchanged — for the
 * households that pass. Its proposals and its completion mark commit in one transaction, so a job
 * delivered twice, or retried after its worker was killed, writes its proposals once.
 *
 * A household that cannot be decided (no tax profile, a book that no longer books, lots that
 * disagree with the day's closes about a split: core/market/splitCheck.ts) is reported in the
 * run's notes and skipped; it never stops the run. The split check looks at the last 30 days of
 * a household's events (its whole history when it is rebooked); the run of each day sees the
 * splits of its own days. A held security without a close is not
 * harvested, the accounts holding it are neither invested nor rebalanced until prices are
 * complete, and the note says so.
 */
import { addDays, formatDay, yearOf, type Day } from '../core/kernel/calendar.js';
import { issue, type Result } from '../core/kernel/errors.js';
import { usdOf, type Usd } from '../core/kernel/exact.js';
import { DEFAULT_CONFIG, fillMargin, type HarvestConfig, type MarketView } from '../core/harvest/config.js';
import { buildColumns } from '../core/harvest/bulk/columns.js';
import { scanLots, VERDICT } from '../core/harvest/bulk/scan.js';
import { screen, screenFlows } from '../core/harvest/bulk/screen.js';
import type { Order } from '../core/harvest/orders.js';
import { withPendingOrders } from '../core/harvest/pending.js';
import { decide, DEFAULT_TABLES } from '../core/harvest/policy.js';
import { householdState, type HouseholdState, type TradeRecord } from '../core/harvest/state.js';
import type { StoppingTables } from '../core/harvest/stopping/opportunityCost.js';
import { book } from '../core/ledger/booking.js';
import { taxableAccounts, type AccountId, type Symbol } from '../core/ledger/household.js';
import { splitConflicts } from '../core/market/splitCheck.js';
import { fundIndex, type Universe } from '../core/securities/universe.js';
import { marginalRates } from '../core/tax/marginalRates.js';
import type { HarvestSetup } from './dailyHarvest.js';
import type { HouseholdId, MarketDay, MarketSource, StoredHousehold, TaxTables, TenantId } from './ports.js';
import type { BatchOutcome, BatchQueue, HouseholdDecision, RunNote, RunRecord, RunStore, SnapshotHousehold } from './runPorts.js';

/** Bumped whenever `decide` would propose differently for the same book and prices. */
export const POLICY_VERSION = 'etf-2026.12';

export const DEFAULT_BATCH_SIZE = 500;

/**
 * Orders the run proposes fill after an adviser approves them, typically at a later close: the
 * policy sizes sales as if the fill could come this many trading days later (HarvestConfig
 * .fillDelayDays), so a sale near its basis is treated as a possible loss sale by the wash guard.
 */
export const RUN_FILL_DELAY_DAYS = 3;

/** Decodes a stored household's tax profile, targets and harvest settings (the case-file rules). */
export interface SetupDecoder {
  decode(stored: StoredHousehold, universe: Universe): Result<HarvestSetup>;
}

export interface DailyRunDeps {
  readonly runs: RunStore;
  readonly market: MarketSource;
  readonly tax: TaxTables;
  readonly universe: Universe;
  readonly setups: SetupDecoder;
  readonly tables?: StoppingTables;
}

export interface StartRequest {
  readonly tenant: TenantId;
  readonly date: Day;
  readonly replace?: boolean;
  readonly batchSize?: number;
}

/** Creates the run of a date (or finds it: re-running a date is a no-op unless `replace`). */
export async function startDailyRun(deps: DailyRunDeps, req: StartRequest): Promise<Result<{ readonly run: RunRecord; readonly created: boolean }>> {
  const market = await deps.market.marketOn(req.date, []);
  if (!market.ok) return market;
  const tables = deps.tax.forYear(yearOf(req.date));
  if (!tables.ok) return tables;
  return { ok: true, value: await deps.runs.tenant(req.tenant).startRun(req.date, POLICY_VERSION, req.batchSize ?? DEFAULT_BATCH_SIZE, req.replace === true) };
}

/**
 * Starts the run of a date (or finds it) and queues its open batches — all of them for a new run,
 * the unfinished ones for a run found unfinished (a crashed run is resumed by running it again).
 */
export async function requestDailyRun(deps: DailyRunDeps & { readonly queue: BatchQueue }, req: StartRequest): Promise<Result<{ readonly run: RunRecord; readonly created: boolean }>> {
  const started = await startDailyRun(deps, req);
  if (!started.ok) return started;
  const runs = deps.runs.tenant(req.tenant);
  const open = await runs.openBatches(started.value.run.id);
  await deps.queue.enqueue(open.map((batch) => ({ tenant: req.tenant, runId: started.value.run.id, batch })));
  const now = await runs.run(started.value.run.id);
  return { ok: true, value: { run: now ?? started.value.run, created: started.value.created } };
}

export interface BatchJob {
  readonly tenant: TenantId;
  readonly runId: string;
  readonly batch: number;
}

/** Runs one batch; false when it was done already (a duplicate delivery). */
export async function runBatch(deps: DailyRunDeps, job: BatchJob): Promise<boolean> {
  const runs = deps.runs.tenant(job.tenant);
  const info = await runs.batchHouseholds(job.runId, job.batch);
  const run = await runs.run(job.runId);
  if (info === undefined || info.done || run === undefined) return false;
  const outcome = await decideBatch(deps, run.runDate, await runs.snapshot(info.households, run.runDate));
  return runs.completeBatch(job.runId, job.batch, outcome);
}

interface Prepared {
  readonly id: HouseholdId;
  readonly state: HouseholdState;
  readonly config: HarvestConfig;
  readonly customConfig: boolean;
  readonly withdrawalIds: readonly string[];
}

/**
 * The decisions of one batch: pure given its snapshot and the ports' answers. `screen: false`
 * decides every household (the screen's completeness is tested against it).
 */
export async function decideBatch(deps: DailyRunDeps, date: Day, snapshot: readonly SnapshotHousehold[], options: { readonly screen?: boolean } = {}): Promise<BatchOutcome> {
  const notes: RunNote[] = [];
  const symbols = new Set<Symbol>();
  for (const h of snapshot) for (const l of h.lots) symbols.add(l.symbol);
  for (const c of deps.universe.classes) for (const s of c.securities) symbols.add(s.symbol);
  const market = await deps.market.marketOn(date, [...symbols]);
  if (!market.ok) throw new Error(`no closes for ${formatDay(date)}: ${market.issues.map((i) => i.message).join('; ')}`);
  const view = market.value.view;
  const prepared: Prepared[] = [];
  for (const h of snapshot) {
    const p = prepare(deps, date, h, market.value);
    if (p.ok) prepared.push(p.value.prepared);
    else notes.push(...p.issues.map((i) => ({ household: h.stored.id, kind: 'error' as const, message: i.message })));
    if (p.ok) notes.push(...p.value.skipped.map((message) => ({ household: h.stored.id, kind: 'skipped' as const, message })));
  }
  const context = { universe: deps.universe, tables: deps.tables ?? DEFAULT_TABLES };
  const scanned = prepared.filter((p) => !p.customConfig);
  const harvestable = scanHarvests(scanned.map((p) => p.state), deps, view, date);
  const decisions: HouseholdDecision[] = [];
  let decided = 0;
  const withdrawalsProposed: string[] = [];
  const harvestOf = new Map(scanned.map((p, i) => [p.id, harvestable[i] ?? false]));
  for (const p of prepared) {
    const ctx = { ...context, config: p.config };
    const needed = options.screen === false || (p.customConfig ? screen(date, p.state, view, ctx) : (harvestOf.get(p.id) ?? false) || screenFlows(date, p.state, view, ctx));
    if (!needed) continue;
    decided++;
    const proposals = decide(date, p.state, view, ctx);
    if (proposals.orders.length > 0) withdrawalsProposed.push(...p.withdrawalIds);
    decisions.push({
      household: p.id,
      orders: proposals.orders,
      lossSales: proposals.orders.map((o) => lossSale(o, p.state, p.config, deps.universe)),
      benefit: proposals.harvestBenefit,
      notes: proposals.notes,
      candidates: proposals.candidates,
    });
  }
  return { screened: snapshot.length, decided, decisions, notes, withdrawalsProposed };
}

/** Households whose marginal loss values round up to the same half percent share one tax bucket in the scan. */
const SCAN_RATE_STEP = 0.005;

/** Per household of `states`: whether some lot may pass the harvest rule, by the columnar scan. */
function scanHarvests(states: readonly HouseholdState[], deps: DailyRunDeps, market: MarketView, date: Day): boolean[] {
  const out = new Array<boolean>(states.length).fill(false);
  if (states.length === 0) return out;
  const input = buildColumns(states, deps.universe, market, date, deps.tables ?? DEFAULT_TABLES, DEFAULT_CONFIG, SCAN_RATE_STEP);
  const result = scanLots(date, input.lots, input.securities, input.households, input.buckets, DEFAULT_CONFIG);
  // A lot the scan would not sell because a purchase of the last 30 days would wash it may still be
  // harvested by `decide`, which sells such purchases with it when that pays (harvest.ts): maybe.
  for (let i = 0; i < input.lots.count; i++) {
    const v = result.verdicts[i];
    if (v === VERDICT.harvest || v === VERDICT.recentPurchaseWouldWash) out[input.lots.household[i] as number] = true;
  }
  return out;
}

/** How far back the daily run checks a household's lots against the splits its closes show. */
const SPLIT_CHECK_DAYS = 30;

function prepare(deps: DailyRunDeps, date: Day, h: SnapshotHousehold, day: MarketDay): Result<{ prepared: Prepared; skipped: string[] }> {
  const market = day.view;
  const stored = h.stored;
  const setup = deps.setups.decode(stored, deps.universe);
  if (!setup.ok) return setup;
  const tables = deps.tax.forYear(yearOf(date));
  if (!tables.ok) return tables;
  const rates = marginalRates(tables.value.federal, tables.value.states, setup.value.profile, { stateDeductible: setup.value.stateDeductible });
  if (!rates.ok) return rates;
  const tax = { table: tables.value.federal, profile: setup.value.profile, rates: rates.value };
  const withdrawals = new Map<AccountId, Usd>();
  for (const w of h.withdrawals) withdrawals.set(w.account, ((withdrawals.get(w.account) ?? 0) + w.amount) as Usd);
  let base: HouseholdState;
  if (h.events !== undefined) {
    const ledger = book(stored.household, h.events, { through: date });
    if (!ledger.ok) return { ok: false, issues: [issue('BAD_VALUE', `its events do not book through ${formatDay(date)}: ${ledger.issues.map((i) => i.message).join('; ')}`, {})] };
    base = householdState({ date, events: h.events, ledger: ledger.value, targets: setup.value.targets, withdrawals, tax });
  } else {
    base = {
      household: stored.household,
      lots: h.lots,
      trades: tradesOf(h, date),
      cash: h.cash,
      targets: setup.value.targets,
      withdrawals,
      tax: { ...tax, profile: { ...tax.profile, realized: h.realized } },
    };
  }
  const conflicts =
    h.events !== undefined
      ? splitConflicts(base.lots, h.events, day.splits, day.tradingDay)
      : splitConflicts(base.lots, h.recentEvents, day.splits, day.tradingDay, { since: addDays(date, -SPLIT_CHECK_DAYS) });
  if (conflicts.length > 0) return { ok: false, issues: conflicts };
  const pending = withPendingOrders(base, h.pending, date);
  const unpriced = [...new Set(pending.lots.filter((l) => market.close(l.symbol) === undefined).map((l) => l.symbol))];
  const skipped: string[] = [];
  let targets = pending.targets;
  if (unpriced.length > 0) {
    const waiting = new Set(pending.lots.filter((l) => unpriced.includes(l.symbol)).map((l) => l.account));
    targets = new Map([...targets].filter(([a]) => !waiting.has(a)));
    skipped.push(
      `no close for ${unpriced.join(', ')} on ${formatDay(date)}: ${unpriced.length === 1 ? 'it is' : 'they are'} not harvested${waiting.size > 0 ? `, and ${[...waiting].join(', ')} ${waiting.size === 1 ? 'is' : 'are'} neither invested nor rebalanced until prices are complete` : ''}`,
    );
  }
  const state = { ...pending, targets };
  const customConfig = stored.documents.harvest !== undefined;
  const config = { ...setup.value.config, fillDelayDays: Math.max(setup.value.config.fillDelayDays, RUN_FILL_DELAY_DAYS) };
  return { ok: true, value: { prepared: { id: stored.id, state, config, customConfig, withdrawalIds: h.withdrawals.map((w) => w.id) }, skipped } };
}

/** The trades of the last 30 days, from the snapshot's events (the materialized book's view). */
function tradesOf(h: SnapshotHousehold, date: Day): TradeRecord[] {
  const taxable = taxableAccounts(h.stored.household);
  const from = addDays(date, -30);
  const out: TradeRecord[] = [];
  for (const e of h.recentEvents) {
    if (e.date < from || e.date > date) continue;
    if (e.kind === 'buy' || e.kind === 'dividend_reinvest') out.push({ date: e.date, account: e.account, symbol: e.symbol, side: 'buy', lossSale: false });
    else if (e.kind === 'sell') out.push({ date: e.date, account: e.account, symbol: e.symbol, side: 'sell', lossSale: taxable.has(e.account) && h.recentLossSales.has(e.id) });
  }
  return out;
}

/**
 * Whether a proposed sale may realize a loss on some lot by the time it fills: the same test as the
 * policy's own (`DayPlan.couldLose`), at the price the order was sized at.
 */
function lossSale(o: Order, state: HouseholdState, config: HarvestConfig, universe: Universe): boolean {
  if (o.side !== 'sell') return false;
  if (!taxableAccounts(state.household).has(o.account)) return false;
  if (o.rule === 'harvest') return true;
  const fund = fundIndex(universe).get(o.symbol);
  const haircut = (fund?.security.halfSpreadBps ?? 5) / 5_000 + fillMargin(config, fund?.cls.volatility.value ?? 0.2);
  return o.lots.some((sale) => {
    const lot = state.lots.find((l) => l.account === o.account && l.id === sale.lotId);
    if (lot === undefined) return true;
    return usdOf(sale.shares, o.price) * (1 - haircut) < (lot.basis * sale.shares) / lot.shares;
  });
}
