/**
 * Ports of the daily run: the runs and their batches, the proposals they write and their life
 * (proposed → approved → sent → filled, or rejected / expired / superseded), the fills booked from
 * them, withdrawal requests, and the bulk snapshot a batch decides on. Every call is scoped to one
 * tenant, as in the book.
 */
import type { Day } from '../core/kernel/calendar.js';
import type { Result } from '../core/kernel/errors.js';
import type { Price, Shares, Usd } from '../core/kernel/exact.js';
import type { Order } from '../core/harvest/orders.js';
import type { PendingOrder } from '../core/harvest/pending.js';
import type { Candidate } from '../core/harvest/proposals.js';
import type { LedgerEvent } from '../core/ledger/events.js';
import type { AccountId, Symbol } from '../core/ledger/household.js';
import type { Lot } from '../core/ledger/lots.js';
import type { HouseholdId, Page, StoredHousehold, TenantId } from './ports.js';

export type RunStatus = 'running' | 'done';

export interface RunTotals {
  readonly batchesDone: number;
  readonly screened: number;
  readonly decided: number;
  readonly proposals: number;
  readonly errors: number;
}

export interface RunRecord {
  readonly id: string;
  readonly runDate: Day;
  readonly policyVersion: string;
  readonly generation: number;
  readonly status: RunStatus;
  readonly batches: number;
  readonly households: number;
  readonly startedAt: string;
  readonly finishedAt: string | undefined;
  readonly totals: RunTotals;
}

export interface RunNote {
  readonly household: HouseholdId;
  readonly kind: 'error' | 'skipped';
  readonly message: string;
}

export type ProposalStatus = 'proposed' | 'approved' | 'rejected' | 'expired' | 'superseded' | 'sent' | 'partially_filled' | 'filled' | 'cancelled';

/** Statuses whose unfilled orders are part of the household's state (pending.ts). */
export const PENDING_STATUSES: readonly ProposalStatus[] = ['approved', 'sent', 'partially_filled'];

export interface ProposalLine {
  readonly line: number;
  readonly order: Order;
  readonly lossSale: boolean;
  readonly filledShares: Shares;
}

export interface ProposalRecord {
  readonly id: string;
  readonly household: HouseholdId;
  readonly runId: string;
  readonly runDate: Day;
  readonly policyVersion: string;
  readonly generation: number;
  readonly status: ProposalStatus;
  readonly version: number;
  readonly benefit: Usd;
  readonly lines: readonly ProposalLine[];
  readonly notes: readonly string[];
  readonly candidates: readonly Candidate[];
  readonly reason: string | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What a batch decided for one household: its orders (none: nothing to propose). */
export interface HouseholdDecision {
  readonly household: HouseholdId;
  readonly orders: readonly Order[];
  readonly lossSales: readonly boolean[];
  readonly benefit: Usd;
  readonly notes: readonly string[];
  readonly candidates: readonly Candidate[];
}

export interface BatchOutcome {
  readonly screened: number;
  readonly decided: number;
  readonly decisions: readonly HouseholdDecision[];
  readonly notes: readonly RunNote[];
  /** Withdrawal requests answered by the batch's proposals. */
  readonly withdrawalsProposed: readonly string[];
}

/**
 * A batch's households as the run needs them, read in bulk: each household's definition and
 * documents, its open lots (as of the run date when its book goes no later, else `events` is set
 * and the household is rebooked through the date), cash, this year's realized gains, the last 30
 * days' events and loss sales, pending orders and open withdrawal requests.
 */
export interface SnapshotHousehold {
  readonly stored: StoredHousehold;
  readonly lots: readonly Lot[];
  readonly cash: ReadonlyMap<AccountId, Usd>;
  readonly realized: { readonly shortTerm: Usd; readonly longTerm: Usd };
  /** Events from 30 days before the run date through it. */
  readonly recentEvents: readonly LedgerEvent[];
  /** Ids of recent sales in taxable accounts that realized a loss on some lot. */
  readonly recentLossSales: ReadonlySet<string>;
  readonly pending: readonly PendingOrder[];
  readonly withdrawals: readonly { readonly id: string; readonly account: AccountId; readonly amount: Usd }[];
  /** Set when the household's book runs past the run date: every event, to rebook through it. */
  readonly events?: readonly LedgerEvent[];
}

export interface ProposalFilter {
  readonly status?: ProposalStatus;
  readonly household?: HouseholdId;
  readonly runDate?: Day;
}

export interface NewFill {
  readonly key: string;
  readonly proposalId: string;
  readonly line: number;
  readonly date: Day;
  readonly shares: Shares;
  readonly price: Price;
  readonly fees: Usd;
  readonly eventId: string;
}

export interface TenantRuns {
  /**
   * The run of (date, policy version): created with its batches of households, or the existing one
   * (`created: false`). With `replace`, a new generation is started and the proposals of the earlier
   * one that were never approved are superseded.
   */
  startRun(date: Day, policyVersion: string, batchSize: number, replace: boolean): Promise<{ readonly run: RunRecord; readonly created: boolean }>;
  run(id: string): Promise<RunRecord | undefined>;
  runs(page: { readonly after?: string; readonly limit: number }): Promise<Page<RunRecord>>;
  batchHouseholds(runId: string, batch: number): Promise<{ readonly households: readonly HouseholdId[]; readonly done: boolean } | undefined>;
  openBatches(runId: string): Promise<readonly number[]>;
  /** Bulk snapshot of households for a run date. */
  snapshot(households: readonly HouseholdId[], date: Day): Promise<readonly SnapshotHousehold[]>;
  /**
   * Writes the batch's proposals, notes and completion mark in one transaction — unless the batch
   * is already done (a job delivered twice), in which case nothing is written and false returned.
   * A household's earlier proposals still `proposed` are expired as superseded by this run.
   */
  completeBatch(runId: string, batch: number, outcome: BatchOutcome): Promise<boolean>;
  notes(runId: string): Promise<readonly RunNote[]>;
  proposals(filter: ProposalFilter, page: { readonly after?: string; readonly limit: number }): Promise<Page<ProposalRecord>>;
  proposal(id: string): Promise<ProposalRecord | undefined>;
  /**
   * Moves a proposal from one of `from` to `to` if its version is still `version` (any version when
   * undefined); the loser of a race gets a CONFLICT issue naming the status it found.
   */
  transition(id: string, from: readonly ProposalStatus[], to: ProposalStatus, options?: { readonly version?: number; readonly reason?: string }): Promise<Result<ProposalRecord>>;
  /** Records fills (skipping known keys) and updates the lines' filled shares and the proposals' status. */
  recordFills(fills: readonly NewFill[]): Promise<{ readonly recorded: number; readonly known: number }>;
  knownFills(keys: readonly string[]): Promise<ReadonlySet<string>>;
  requestWithdrawal(household: HouseholdId, account: AccountId, amount: Usd, date: Day): Promise<string>;
}

export interface RunStore {
  tenant(id: TenantId): TenantRuns;
}

/** The one place the daily run's prices come from: the book's daily closes (as traded). */
export interface PriceRecord {
  readonly symbol: Symbol;
  readonly date: Day;
  readonly close: Price;
  readonly dividend: Price;
  /** New shares per old share on this day (1 on other days), as a decimal string (exact). */
  readonly split: string;
}

export interface PriceStore {
  /** Upserts closes (a price directory's history or a day's prices file). */
  put(prices: readonly PriceRecord[]): Promise<number>;
  /** The latest date with any close, on or before `date` when given. */
  latestDate(onOrBefore?: Day): Promise<Day | undefined>;
}

/** Where batch jobs go: pg-boss on PostgreSQL (any worker takes them), or run in-process. */
export interface BatchQueue {
  enqueue(jobs: readonly { readonly tenant: TenantId; readonly runId: string; readonly batch: number }[]): Promise<void>;
}
