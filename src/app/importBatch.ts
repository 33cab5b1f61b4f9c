/**
 * What a file importer hands the import use case: the accounts a file names, the ledger events it
 * holds (each with a stable idempotency key), the securities it describes and the positions it
 * states (for reconciliation). Every importer — case files, broker exports, beancount — produces
 * this one shape, so the use case (append atomically, skip what is already booked, reconcile)
 * is written once.
 *
 * Accounts are referred to by the file's own key (an account number, a masked number, a title, or
 * `DEFAULT_ACCOUNT_KEY` when the file names none); the use case maps keys to the household's
 * accounts (`--account`, an existing account with that external number, or a new account).
 * Events carry that key in their `account` (and `toAccount`) field until then.
 */
import type { Day } from '../core/kernel/calendar.js';
import type { Result } from '../core/kernel/errors.js';
import type { Shares, Usd } from '../core/kernel/exact.js';
import type { LedgerEvent, SourceRef } from '../core/ledger/events.js';
import type { AccountType, LotMethod, Owner, Security, Symbol } from '../core/ledger/household.js';

/** The key of the one account of a file that names none. */
export const DEFAULT_ACCOUNT_KEY = '';

export interface ImportedAccount {
  /** The file's identifier of the account (account number, masked number or title). */
  readonly key: string;
  readonly title?: string;
  /** Only when the file says so (an OFX 401(k) statement, an "IRA" account type column). */
  readonly type?: AccountType;
  /** 'schwab', 'fidelity', 'vanguard', 'etrade', 'ibkr', 'beancount', 'case'. */
  readonly custodian: string;
  /** Only when the file says (a case file's spouse accounts); 'self' otherwise. */
  readonly owner?: Owner;
  /** The account's own lot method, when the file gives one. */
  readonly lotMethod?: LotMethod;
}

export interface ImportedEvent {
  /**
   * Stable across re-imports of the same file and across overlapping exports of the same account:
   * derived from the row's own content (date, action, symbol, quantity, amount, broker transaction
   * id where the format has one) plus the occurrence number among identical rows of the file.
   */
  readonly key: string;
  /** The event, with `account` (and `toAccount`) holding the file's account key, `id` the key. */
  readonly event: LedgerEvent;
  /** The broker's own action text ("Reinvest Shares", "YOU BOUGHT ..."), kept for audit. */
  readonly brokerAction?: string;
  readonly source: SourceRef;
}

/**
 * A stock split stated as shares added (Schwab's "Stock Split" row) rather than as a ratio: the use
 * case turns it into a `split` event from the position held in that account on that date.
 */
export interface SplitByShares {
  readonly key: string;
  readonly accountKey: string;
  readonly date: Day;
  readonly symbol: Symbol;
  /** Shares added (positive) or removed (negative, reverse split). */
  readonly sharesAdded: Shares;
  readonly source: SourceRef;
}

/** A holding the file states (positions, lot details): booked lots are checked against it. */
export interface StatedPosition {
  readonly accountKey: string;
  readonly symbol: Symbol;
  readonly asOf: Day;
  readonly shares: Shares;
  /** Total cost basis as the custodian reports it (wash adjustments included where it says so). */
  readonly costBasis?: Usd;
  readonly source: SourceRef;
}

export interface ImportBatch {
  /** The importer's id, e.g. 'schwab-transactions'. */
  readonly format: string;
  readonly file: string;
  readonly accounts: readonly ImportedAccount[];
  readonly securities: readonly Security[];
  /** In booking order: by date, then the file's own order of events on one day. */
  readonly events: readonly ImportedEvent[];
  readonly splits: readonly SplitByShares[];
  readonly positions: readonly StatedPosition[];
  /** What the importer recognized and how it booked it, e.g. "12 Bank Interest rows booked as deposits". */
  readonly notes: readonly string[];
}

/** One file format: recognized by its content, parsed into a batch or into located issues. */
export interface FileFormat {
  readonly id: string;
  readonly custodian: string;
  /** One line for `lotsmith import --help` and the docs. */
  readonly description: string;
  /** Whether `text` (the file's content) is in this format; decided from content, not the name. */
  sniff(fileName: string, text: string): boolean;
  /** Every problem is an issue with file, line and field; nothing is returned unless all of it parsed. */
  parse(fileName: string, text: string): Result<ImportBatch>;
}
