/**
 * Ledger events: what happened to a household's accounts, in date order (same-day events in
 * file order). Each kind carries exactly the fields it needs, so an event that cannot be booked
 * cannot be built. Adapters (JSON case files, CSV transactions, broker imports) produce these.
 */
import type { Day } from '../kernel/calendar.js';
import type { Price, Shares, Usd } from '../kernel/exact.js';
import type { AccountId, EventId, LotMethod, Symbol } from './household.js';

/** Where an event came from, so an error can name the file, row and field. */
export interface SourceRef {
  readonly file?: string;
  /** 1-based line of a CSV file, or 1-based position in a JSON `events` array. */
  readonly row?: number;
  readonly eventId?: string;
  readonly field?: string;
}

/** A lot named by the id of the event that acquired it (all of its parts), optionally partly. */
export interface LotPick {
  readonly lot: string;
  readonly shares?: Shares;
}

export type LotSelection =
  | { readonly method: Exclude<LotMethod, 'SPECIFIC'> }
  | { readonly method: 'SPECIFIC'; readonly lots: readonly LotPick[] };

/** Where an event was read from: kept as two plain fields so a million events cost no extra objects. */
interface Origin {
  readonly file?: string | undefined;
  readonly row?: number | undefined;
}

interface Base extends Origin {
  readonly id: EventId;
  readonly date: Day;
  readonly account: AccountId;
}

export interface Buy extends Base {
  readonly kind: 'buy';
  readonly symbol: Symbol;
  readonly shares: Shares;
  readonly price: Price;
  /** Commission, added to basis (Pub 551). */
  readonly fees: Usd;
}

export interface Sell extends Base {
  readonly kind: 'sell';
  readonly symbol: Symbol;
  readonly shares: Shares;
  readonly price: Price;
  /** Commission, subtracted from proceeds (Form 8949 instructions, column d/e). */
  readonly fees: Usd;
  readonly selection?: LotSelection;
}

export interface Dividend extends Base {
  readonly kind: 'dividend';
  readonly symbol: Symbol;
  readonly amount: Usd;
}

/** A dividend paid and immediately used to buy shares: an acquisition for §1091. */
export interface DividendReinvest extends Base {
  readonly kind: 'dividend_reinvest';
  readonly symbol: Symbol;
  readonly shares: Shares;
  readonly price: Price;
  readonly fees: Usd;
}

/** `to` new shares for every `from` old ones (3-for-2: to 3, from 2; 1-for-10: to 1, from 10). */
export interface Split extends Origin {
  readonly kind: 'split';
  readonly id: EventId;
  readonly date: Day;
  /** Omitted: the split applies to the symbol in every account of the household. */
  readonly account?: AccountId;
  readonly symbol: Symbol;
  readonly from: number;
  readonly to: number;
}

export interface CashMovement extends Base {
  readonly kind: 'deposit' | 'withdrawal' | 'fee';
  readonly amount: Usd;
}

/** Shares arriving from outside the household with their history (not an acquisition). */
export interface TransferIn extends Base {
  readonly kind: 'transfer_in';
  readonly symbol: Symbol;
  readonly shares: Shares;
  readonly basis: Usd;
  readonly acquired: Day;
  readonly adjustedAcquired?: Day;
  readonly washAdjustment?: Usd;
}

/** Lots moved between two accounts of the household, basis and dates kept. */
export interface Transfer extends Base {
  readonly kind: 'transfer';
  readonly toAccount: AccountId;
  readonly symbol: Symbol;
  readonly shares: Shares;
  readonly selection?: LotSelection;
}

/** Shares leaving the household without a sale (gift, transfer to an outside broker). */
export interface TransferOut extends Base {
  readonly kind: 'transfer_out';
  readonly symbol: Symbol;
  readonly shares: Shares;
  readonly selection?: LotSelection;
}

export type LedgerEvent =
  | Buy
  | Sell
  | Dividend
  | DividendReinvest
  | Split
  | CashMovement
  | TransferIn
  | Transfer
  | TransferOut;

export type EventKind = LedgerEvent['kind'];

export const EVENT_KINDS: readonly EventKind[] = [
  'buy',
  'sell',
  'dividend',
  'dividend_reinvest',
  'split',
  'deposit',
  'withdrawal',
  'fee',
  'transfer_in',
  'transfer',
  'transfer_out',
];

/** The source reference of an event's field, for issues. */
export function sourceOf(e: LedgerEvent, field?: string): SourceRef {
  return {
    ...(e.file !== undefined ? { file: e.file } : {}),
    ...(e.row !== undefined ? { row: e.row } : {}),
    eventId: e.id,
    ...(field !== undefined ? { field } : {}),
  };
}

/** Purchases (and reinvested dividends) are the acquisitions §1091 looks for. */
export function isAcquisition(e: LedgerEvent): e is Buy | DividendReinvest {
  return e.kind === 'buy' || e.kind === 'dividend_reinvest';
}
