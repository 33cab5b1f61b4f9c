/**
 * The application layer's ports: the only ways a use case reaches the world. Adapters implement
 * them (price directories and the store for prices, data/tax files for tax tables, the process
 * clock); tests and the backtester pass their own. A use case takes its ports as one `deps`
 * argument, so the CLI, the job workers and the HTTP server wire them once and call the same
 * function.
 */
import type { Day } from '../core/kernel/calendar.js';
import type { Result } from '../core/kernel/errors.js';
import type { MarketView } from '../core/harvest/config.js';
import type { Usd } from '../core/kernel/exact.js';
import type { LedgerEvent } from '../core/ledger/events.js';
import type { Account, AccountId, Household, HouseholdSettings, Security, Symbol } from '../core/ledger/household.js';
import type { Disposition, Ledger } from '../core/ledger/ledger.js';
import type { Lot } from '../core/ledger/lots.js';
import type { SplitRow } from '../core/market/shareUnits.js';
import type { PriceBook } from '../core/market/prices.js';
import type { IndexUniverse } from '../core/direct/indexUniverse.js';
import type { FederalTaxTable, StateTaxTable } from '../core/tax/taxTables.js';

/** Today's calendar date and the instant, for stamps; the core never reads a clock. */
export interface Clock {
  today(): Day;
  now(): Date;
}

/** One year's federal and state tables, and the year they are for. */
export interface TaxYearTables {
  /** The year the tables are for: the requested year, else the nearest year that has tables. */
  readonly year: number;
  readonly federal: FederalTaxTable;
  readonly states: StateTaxTable;
}

export interface TaxTables {
  /** Tables for `year`; a year without tables gets the nearest that has them, and `year` says which. */
  forYear(year: number): Result<TaxYearTables>;
}

/**
 * The market as a policy may see it on one day: each security's close on or before that day, in
 * that day's share units (a lot bought before a later split and the day's close are in the same
 * units), never a later one.
 */
export interface MarketDay {
  readonly view: MarketView;
  /** The trading day whose closes are used (the day itself, or the last trading day before it). */
  readonly tradingDay: Day;
  /** Requested symbols without a close on that trading day. */
  readonly missing: readonly Symbol[];
  /**
   * Every split the source's data shows for each requested symbol it has, in date order, later
   * ones included (they are what puts a split-adjusted close into the day's units). The use case
   * checks them against the ledger's split events (core/market/splitCheck.ts).
   */
  readonly splits: ReadonlyMap<Symbol, readonly SplitRow[]>;
}

export interface MarketSource {
  /**
   * The closes for `date` of `symbols` (and whatever else the source holds). A date without
   * trading (weekend, holiday) gets the last trading day's closes; a date whose closes the source
   * does not have (after its data ends, before it starts) is a NO_CLOSES issue, never an empty market.
   */
  marketOn(date: Day, symbols: readonly Symbol[]): Promise<Result<MarketDay>>;
}

/**
 * A direct index's data (docs/direct-indexing.md): point-in-time members and sectors, and the
 * daily prices of its stocks and of the benchmark fund the risk model is estimated against.
 */
export interface IndexSource {
  universe(): Result<IndexUniverse>;
  /** Daily price series of `symbols` and of `benchmark`, in one book. */
  prices(symbols: readonly Symbol[], benchmark: Symbol): Result<PriceBook>;
}

// ---- The book: households, their accounts and events, and the booked state --------------------

declare const idBrand: unique symbol;
export type TenantId = string & { readonly [idBrand]: 'TenantId' };
export type HouseholdId = string & { readonly [idBrand]: 'HouseholdId' };
export const tenantId = (s: string): TenantId => s as TenantId;
export const householdId = (s: string): HouseholdId => s as HouseholdId;

/** Where an account is held, as its custodian names it. */
export interface AccountInfo {
  readonly custodian?: string;
  readonly externalNumber?: string;
  readonly title?: string;
}

/**
 * The household document sections the ledger does not use, as the user wrote them (JSON): the tax
 * profile, targets per account and harvest settings. Adapters decode them with the case-file rules.
 */
export interface HouseholdDocuments {
  readonly taxProfile?: unknown;
  readonly targets?: unknown;
  readonly harvest?: unknown;
}

export interface StoredHousehold {
  readonly id: HouseholdId;
  readonly name: string;
  /** Bumped by every change: an update naming an older version is refused. */
  readonly version: number;
  readonly household: Household;
  readonly accountInfo: ReadonlyMap<AccountId, AccountInfo>;
  readonly documents: HouseholdDocuments;
  readonly eventCount: number;
  readonly lastEventDate: Day | undefined;
}

export interface HouseholdSummary {
  readonly id: HouseholdId;
  readonly name: string;
  readonly version: number;
  readonly filingStatus: string;
  readonly accounts: number;
  readonly eventCount: number;
  readonly lastEventDate: Day | undefined;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass as `after` for the next page; undefined on the last page. */
  readonly next: string | undefined;
}

/** An event as the book keeps it: the ledger event, its idempotency key and its append order. */
export interface StoredEvent {
  readonly event: LedgerEvent;
  readonly key: string;
  readonly seq: number;
}

export interface NewEvent {
  readonly event: LedgerEvent;
  readonly key: string;
  readonly brokerAction?: string;
}

export interface NewAccount {
  readonly account: Account;
  readonly info: AccountInfo;
}

export interface NewHousehold {
  readonly name: string;
  readonly settings: HouseholdSettings;
  readonly documents: HouseholdDocuments;
}

export interface HouseholdPatch {
  readonly name?: string;
  readonly settings?: HouseholdSettings;
  readonly documents?: HouseholdDocuments;
}

export interface ImportRecord {
  readonly fileName: string;
  readonly format: string;
  readonly sha256: string;
  readonly eventsAdded: number;
  readonly eventsKnown: number;
}

/** The booked state kept beside the events, for fast reads (rebuilt on every append). */
export interface BookedState {
  readonly openLots: readonly Lot[];
  readonly dispositions: readonly Disposition[];
  readonly cash: ReadonlyMap<AccountId, Usd>;
}

/** One household's change, inside a transaction that holds the household's lock. */
export interface HouseholdUnit {
  readonly current: StoredHousehold;
  /** Every event, in booking order (date, then append order). */
  events(): Promise<readonly StoredEvent[]>;
  addAccounts(accounts: readonly NewAccount[]): Promise<void>;
  addSecurities(securities: readonly Security[]): Promise<void>;
  /** Appends after every existing event (seq continues); `lastEventDate` follows the latest date. */
  appendEvents(events: readonly NewEvent[], importRecord?: ImportRecord): Promise<void>;
  /** Replaces the booked state with this ledger's. */
  writeBook(ledger: Ledger): Promise<void>;
  update(patch: HouseholdPatch): Promise<void>;
}

export interface TenantBook {
  readonly tenant: TenantId;
  listHouseholds(page: { readonly after?: string; readonly limit: number }): Promise<Page<HouseholdSummary>>;
  household(id: HouseholdId): Promise<StoredHousehold | undefined>;
  events(id: HouseholdId): Promise<readonly StoredEvent[]>;
  bookedState(id: HouseholdId): Promise<BookedState | undefined>;
  /**
   * Runs `work` with the household locked against every other change (other processes included);
   * commits what it wrote when it returns ok, rolls all of it back otherwise (or when it throws).
   * With `create`, a missing household is created first, in the same transaction; without, a
   * missing household is a NOT_FOUND issue.
   */
  change<T>(id: HouseholdId, work: (unit: HouseholdUnit) => Promise<Result<T>>, options?: { readonly create?: NewHousehold }): Promise<Result<T>>;
}

export interface BookStore {
  /** Creates the tenant if it does not exist. */
  ensureTenant(id: TenantId, name: string): Promise<void>;
  tenants(): Promise<readonly { readonly id: TenantId; readonly name: string }[]>;
  tenant(id: TenantId): TenantBook;
  close(): Promise<void>;
}
