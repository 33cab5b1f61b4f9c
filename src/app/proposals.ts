/**
 * The life of a proposal after the run: an adviser approves or rejects it; approved orders are
 * exported for the custodian (and marked sent); fills come back and become ledger events, once.
 *
 *  - Approval re-prices the harvests at the latest closes: a harvest whose loss turned into a gain
 *    or shrank by more than the allowed share since it was proposed expires with the reason instead.
 *  - Every transition is a compare-and-set on status and version: of two approvals, or an approval
 *    racing the next run's expiry, exactly one wins and the other is told what happened.
 *  - Fills name the proposal and line; each becomes a buy or a specific-lot sale appended through
 *    the import use case (idempotent by fill key), then the lines' filled shares are recorded.
 */
import { formatDay, type Day } from '../core/kernel/calendar.js';
import { issue, type Issue, type Result } from '../core/kernel/errors.js';
import { format, type Price, type Shares, type Usd } from '../core/kernel/exact.js';
import type { LedgerEvent } from '../core/ledger/events.js';
import { eventId, type AccountId } from '../core/ledger/household.js';
import type { ImportBatch, ImportedEvent } from './importBatch.js';
import { importFiles } from './importFiles.js';
import type { BookStore, MarketSource, TenantId } from './ports.js';
import type { ProposalRecord, RunStore } from './runPorts.js';

export interface ApprovalPolicy {
  /** A harvest whose loss shrank by more than this share of it since the proposal expires (0.5: half). */
  readonly maxLossShrink: number;
}

export const DEFAULT_APPROVAL: ApprovalPolicy = { maxLossShrink: 0.5 };

export interface ApproveRequest {
  readonly tenant: TenantId;
  readonly id: string;
  /** The version the approver saw; omitted: whatever is current. */
  readonly version?: number;
  /** The day of approval: harvests are re-priced at its closes. */
  readonly date: Day;
  readonly policy?: ApprovalPolicy;
}

export async function approveProposal(deps: { readonly runs: RunStore; readonly market: MarketSource }, req: ApproveRequest): Promise<Result<ProposalRecord>> {
  const runs = deps.runs.tenant(req.tenant);
  const p = await runs.proposal(req.id);
  if (p === undefined) return { ok: false, issues: [issue('NOT_FOUND', `no proposal "${req.id}"`, { field: 'proposal' })] };
  const version = req.version ?? p.version;
  const stale = await staleHarvest(deps.market, p, req.date, req.policy ?? DEFAULT_APPROVAL);
  if (!stale.ok) return stale;
  if (stale.value !== undefined) {
    const expired = await runs.transition(req.id, ['proposed'], 'expired', { version, reason: stale.value });
    return expired.ok ? { ok: false, issues: [issue('CONFLICT', `proposal ${req.id} expired instead: ${stale.value}`, { field: 'proposal' })] } : expired;
  }
  return runs.transition(req.id, ['proposed'], 'approved', { version });
}

export async function rejectProposal(runs: RunStore, req: { readonly tenant: TenantId; readonly id: string; readonly reason: string; readonly version?: number }): Promise<Result<ProposalRecord>> {
  if (req.reason.trim() === '') return { ok: false, issues: [issue('MISSING_FIELD', 'say why the proposal is rejected', { field: 'reason' })] };
  return runs.tenant(req.tenant).transition(req.id, ['proposed'], 'rejected', { reason: req.reason, ...(req.version !== undefined ? { version: req.version } : {}) });
}

/** The reason a proposal's harvests no longer hold at the day's closes, if they do not. */
async function staleHarvest(market: MarketSource, p: ProposalRecord, date: Day, policy: ApprovalPolicy): Promise<Result<string | undefined>> {
  const harvested = p.candidates.filter((c) => c.verdict === 'harvest');
  if (harvested.length === 0) return { ok: true, value: undefined };
  const day = await market.marketOn(date, [...new Set(harvested.map((c) => c.symbol))]);
  if (!day.ok) return day;
  for (const c of harvested) {
    const close = day.value.view.close(c.symbol);
    if (close === undefined) return { ok: true, value: `${c.symbol} has no close on ${formatDay(day.value.tradingDay)} to re-price its harvest` };
    const value = (c.shares * close) / 1e4;
    const loss = c.basis - value;
    const floor = c.loss * (1 - policy.maxLossShrink);
    if (loss <= 0) return { ok: true, value: `the loss on ${c.symbol} lot ${c.lotId} (${money(c.loss)} when proposed) is now a gain of ${money(-loss)} at ${formatDay(day.value.tradingDay)}'s close` };
    if (loss < floor) {
      return { ok: true, value: `the loss on ${c.symbol} lot ${c.lotId} shrank from ${money(c.loss)} to ${money(loss)} since the proposal (more than ${Math.round(policy.maxLossShrink * 100)} %)` };
    }
  }
  return { ok: true, value: undefined };
}

const money = (cents: number): string => `$${format('usd', Math.round(cents))}`;

export interface ExportedOrder {
  readonly proposal: string;
  readonly line: number;
  readonly household: string;
  readonly account: AccountId;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly shares: Shares;
  readonly price: Price;
  readonly amount: Usd | undefined;
  /** Sells: the lots to relieve, for a specific-lot instruction. */
  readonly lots: readonly { readonly lotId: string; readonly shares: Shares }[];
  /** Sells that must fill whole (SellOrder.allOrNone). */
  readonly allOrNone: boolean;
}

/** The approved proposals' orders, for the custodian; each exported proposal becomes `sent`. */
export async function exportOrders(runs: RunStore, tenant: TenantId): Promise<ExportedOrder[]> {
  const t = runs.tenant(tenant);
  const out: ExportedOrder[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await t.proposals({ status: 'approved' }, { ...(after !== undefined ? { after } : {}), limit: 500 });
    for (const p of page.items) {
      const sent = await t.transition(p.id, ['approved'], 'sent', { version: p.version });
      if (!sent.ok) continue;
      for (const l of p.lines) {
        out.push({
          proposal: p.id,
          line: l.line,
          household: p.household,
          account: l.order.account,
          symbol: l.order.symbol,
          side: l.order.side,
          shares: l.order.shares,
          price: l.order.price,
          amount: l.order.side === 'buy' ? l.order.amount : undefined,
          lots: l.order.side === 'sell' ? l.order.lots : [],
          allOrNone: l.order.side === 'sell' && l.order.allOrNone === true,
        });
      }
    }
    if (page.next === undefined) break;
    after = page.next;
  }
  return out;
}

export interface FillReport {
  /** Stable across re-imports: the custodian's execution id, or one derived from the row. */
  readonly key: string;
  readonly proposal: string;
  readonly line: number;
  readonly date: Day;
  readonly shares: Shares;
  readonly price: Price;
  readonly fees: Usd;
  readonly source: { readonly file: string; readonly row: number };
}

export interface FillsOutcome {
  readonly recorded: number;
  readonly known: number;
  readonly eventsAdded: number;
}

/** Books fills: ledger events appended to each household (idempotent), then the lines updated. */
export async function importFills(deps: { readonly runs: RunStore; readonly book: BookStore }, tenant: TenantId, fills: readonly FillReport[]): Promise<Result<FillsOutcome>> {
  const t = deps.runs.tenant(tenant);
  const known = await t.knownFills(fills.map((f) => f.key));
  const fresh = fills.filter((f) => !known.has(f.key));
  const issues: Issue[] = [];
  const byHousehold = new Map<string, { events: ImportedEvent[]; accounts: Set<string> }>();
  const proposals = new Map<string, ProposalRecord | undefined>();
  const filledSoFar = new Map<string, number>();
  for (const f of fresh) {
    if (!proposals.has(f.proposal)) proposals.set(f.proposal, await t.proposal(f.proposal));
    const p = proposals.get(f.proposal);
    const at = { file: f.source.file, row: f.source.row };
    const line = p?.lines.find((l) => l.line === f.line);
    if (p === undefined || line === undefined) {
      issues.push(issue('NOT_FOUND', p === undefined ? `no proposal "${f.proposal}"` : `proposal ${f.proposal} has no line ${f.line}`, { ...at, field: p === undefined ? 'proposal' : 'line' }));
      continue;
    }
    if (!['sent', 'approved', 'partially_filled'].includes(p.status)) {
      issues.push(issue('CONFLICT', `proposal ${p.id} is ${p.status}: only approved or sent orders are filled`, { ...at, field: 'proposal' }));
      continue;
    }
    const lineKey = `${p.id}#${f.line}`;
    const before = (filledSoFar.get(lineKey) ?? line.filledShares) as number;
    if (f.shares <= 0 || before + f.shares > line.order.shares) {
      issues.push(issue('BAD_VALUE', `${format('shares', f.shares)} shares would fill line ${f.line} beyond its ${format('shares', line.order.shares)} (already filled ${format('shares', before)})`, { ...at, field: 'shares' }));
      continue;
    }
    if (line.order.side === 'sell' && line.order.allOrNone === true && before + f.shares !== line.order.shares) {
      issues.push(issue('BAD_VALUE', `line ${f.line} is all-or-none (it sells several lots bought in the last 30 days): a fill must be for all ${format('shares', line.order.shares - before)} shares`, { ...at, field: 'shares' }));
      continue;
    }
    filledSoFar.set(lineKey, before + f.shares);
    const o = line.order;
    const id = eventId(`fill:${f.key}`);
    const base = { id, date: f.date, account: o.account, file: f.source.file, row: f.source.row };
    const event: LedgerEvent =
      o.side === 'buy'
        ? { ...base, kind: 'buy', symbol: o.symbol, shares: f.shares, price: f.price, fees: f.fees }
        : { ...base, kind: 'sell', symbol: o.symbol, shares: f.shares, price: f.price, fees: f.fees, selection: { method: 'SPECIFIC', lots: lotsFor(o.lots, before, f.shares) } };
    const entry = byHousehold.get(p.household) ?? { events: [], accounts: new Set<string>() };
    entry.events.push({ key: `fill:${f.key}`, event, source: { file: f.source.file, row: f.source.row } });
    entry.accounts.add(o.account);
    byHousehold.set(p.household, entry);
  }
  if (issues.length > 0) return { ok: false, issues };
  let eventsAdded = 0;
  for (const [household, entry] of byHousehold) {
    const batch: ImportBatch = {
      format: 'fills',
      file: fills[0]?.source.file ?? 'fills',
      accounts: [...entry.accounts].map((key) => ({ key, custodian: 'case' })),
      securities: [],
      events: entry.events.sort((a, b) => a.event.date - b.event.date),
      splits: [],
      positions: [],
      notes: [],
    };
    const stored = await deps.book.tenant(tenant).household(household as never);
    if (stored === undefined) return { ok: false, issues: [issue('NOT_FOUND', `no household "${household}"`, { field: 'household' })] };
    const appended = await importFiles(deps.book, {
      tenant,
      household: stored.id,
      sources: [{ batch, sha256: 'fills' }],
      create: { name: stored.name, settings: stored.household.settings, documents: stored.documents },
    });
    if (!appended.ok) return appended;
    eventsAdded += appended.value.eventsAdded;
  }
  const recorded = await t.recordFills(
    fresh.map((f) => ({ key: f.key, proposalId: f.proposal, line: f.line, date: f.date, shares: f.shares, price: f.price, fees: f.fees, eventId: `fill:${f.key}` })),
  );
  return { ok: true, value: { recorded: recorded.recorded, known: known.size + recorded.known, eventsAdded } };
}

/** The lots a fill of `shares` relieves, after `filled` shares of the order were filled before. */
function lotsFor(lots: readonly { readonly lotId: string; readonly shares: Shares }[], filled: number, shares: number): { lot: string; shares: Shares }[] {
  let skip = filled;
  let left = shares;
  const out: { lot: string; shares: Shares }[] = [];
  for (const l of lots) {
    const done = Math.min(skip, l.shares);
    skip -= done;
    const take = Math.min(left, l.shares - done);
    if (take > 0) out.push({ lot: l.lotId, shares: take as Shares });
    left -= take;
  }
  return out;
}
