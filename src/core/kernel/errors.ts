/**
 * Errors as data. The core never throws on bad input: it returns issues that point at their
 * source (file, row, event id, field) with a code a caller can branch on. Adapters turn them into
 * messages and exit codes (CLI) or 400 responses (HTTP).
 */
import type { SourceRef } from '../ledger/events.js';

export type IssueCode =
  | 'PARSE'
  | 'MISSING_FIELD'
  | 'BAD_VALUE'
  | 'BAD_NUMBER'
  | 'NOT_POSITIVE'
  | 'BAD_DATE'
  | 'UNKNOWN_ACCOUNT'
  | 'UNKNOWN_ACTION'
  /** A known action that cannot be booked correctly (a merger, an option): the import stops. */
  | 'UNSUPPORTED_ACTION'
  | 'UNKNOWN_FIELD'
  | 'UNKNOWN_LOT_METHOD'
  | 'UNKNOWN_LOT'
  | 'UNKNOWN_SECURITY'
  | 'OVERSELL'
  | 'OUT_OF_ORDER'
  | 'DUPLICATE_ID'
  | 'NOT_FOUND'
  | 'CONFLICT'
  /** A date without closes in the price data (after it ends, before it starts). */
  | 'NO_CLOSES'
  /** A held lot and the price data disagree about a split between the lot's purchase and the day. */
  | 'SPLIT_MISMATCH';

export interface Issue {
  readonly code: IssueCode;
  readonly message: string;
  readonly at: SourceRef;
}

export function issue(code: IssueCode, message: string, at: SourceRef): Issue {
  return { code, message, at };
}

/** "case.json, row 4 (event e3), field shares: must be positive, got -5" */
export function describeIssue(i: Issue): string {
  const where: string[] = [];
  if (i.at.file !== undefined) where.push(i.at.file);
  const row = i.at.row !== undefined ? `row ${i.at.row}` : undefined;
  const ev = i.at.eventId !== undefined ? `event ${i.at.eventId}` : undefined;
  if (row && ev) where.push(`${row} (${ev})`);
  else if (row || ev) where.push((row ?? ev) as string);
  if (i.at.field !== undefined) where.push(`field ${i.at.field}`);
  const prefix = where.length > 0 ? `${where.join(', ')}: ` : '';
  return `${prefix}${i.message} [${i.code}]`;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly Issue[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T>(issues: readonly Issue[]): Result<T> => ({ ok: false, issues });
