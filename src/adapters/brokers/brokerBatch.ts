/**
 * What the statement parsers (OFX, IBKR Flex, beancount) do around their own rows: collect events under stable keys, count what
 * was recognized for the notes, gather issues, and hand over a batch in booking order — or the
 * issues, and nothing else, when any row failed.
 */
import { fail, issue, ok, type Issue, type IssueCode, type Result } from '../../core/kernel/errors.js';
import type { LedgerEvent, SourceRef } from '../../core/ledger/events.js';
import { eventId, type Security } from '../../core/ledger/household.js';
import type { ImportBatch, ImportedAccount, ImportedEvent, SplitByShares, StatedPosition } from '../../app/importBatch.js';

/** An event without its id: the builder gives it the key. */
export type EventBody = LedgerEvent extends infer E ? (E extends LedgerEvent ? Omit<E, 'id'> : never) : never;

export class BrokerBatch {
  readonly issues: Issue[] = [];
  private readonly events: ImportedEvent[] = [];
  private readonly keys = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  private readonly accounts = new Map<string, ImportedAccount>();
  private readonly securities = new Map<string, Security>();
  private readonly positions: StatedPosition[] = [];
  private readonly splits: SplitByShares[] = [];
  private readonly extraNotes: string[] = [];

  constructor(
    readonly format: string,
    readonly file: string,
  ) {}

  at(line: number | undefined, field?: string): SourceRef {
    return { file: this.file, ...(line !== undefined ? { row: line } : {}), ...(field !== undefined ? { field } : {}) };
  }

  fail(code: IssueCode, message: string, line: number | undefined, field?: string): void {
    this.issues.push(issue(code, message, this.at(line, field)));
  }

  /**
   * A key not used yet in this file: `base`, or `base~2`, `base~3`... for later rows that the
   * broker gave the same id (the n-th such row of a file keeps its key across re-imports).
   */
  uniqueKey(base: string): string {
    const n = (this.keys.get(base) ?? 0) + 1;
    this.keys.set(base, n);
    return n === 1 ? base : `${base}~${n}`;
  }

  addEvent(base: string, body: EventBody, line: number | undefined, brokerAction?: string): string {
    const key = this.uniqueKey(base);
    const event = { ...body, id: eventId(key), file: this.file, ...(line !== undefined ? { row: line } : {}) } as LedgerEvent;
    this.events.push({ key, event, ...(brokerAction !== undefined ? { brokerAction } : {}), source: this.at(line) });
    return key;
  }

  addAccount(a: ImportedAccount): void {
    const known = this.accounts.get(a.key);
    this.accounts.set(a.key, known === undefined ? a : { ...known, ...a });
  }

  addSecurity(s: Security): void {
    const known = this.securities.get(s.symbol);
    if (known === undefined || (known.cusip === undefined && s.cusip !== undefined)) this.securities.set(s.symbol, s);
  }

  addPosition(p: StatedPosition): void {
    const same = this.positions.findIndex((q) => q.accountKey === p.accountKey && q.symbol === p.symbol && q.asOf === p.asOf);
    if (same < 0) {
      this.positions.push(p);
      return;
    }
    const q = this.positions[same] as StatedPosition;
    const basis = q.costBasis !== undefined && p.costBasis !== undefined ? { costBasis: (q.costBasis + p.costBasis) as typeof q.costBasis } : {};
    this.positions[same] = { accountKey: q.accountKey, symbol: q.symbol, asOf: q.asOf, shares: (q.shares + p.shares) as typeof q.shares, ...basis, source: q.source };
  }

  addSplit(s: SplitByShares): void {
    this.splits.push(s);
  }

  /** Counts a kind of row for the notes: `count('div', 'INCOME DIV rows booked as dividends')`. */
  count(what: string): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + 1);
  }

  note(text: string): void {
    this.extraNotes.push(text);
  }

  build(): Result<ImportBatch> {
    if (this.issues.length > 0) return fail(this.issues);
    const order = this.events.map((e, i) => i);
    order.sort((a, b) => (this.events[a] as ImportedEvent).event.date - (this.events[b] as ImportedEvent).event.date || a - b);
    const notes = [...[...this.counts].map(([what, n]) => `${n} ${what}`), ...this.extraNotes];
    return ok({
      format: this.format,
      file: this.file,
      accounts: [...this.accounts.values()],
      securities: [...this.securities.values()],
      events: order.map((i) => this.events[i] as ImportedEvent),
      splits: this.splits,
      positions: this.positions,
      notes,
    });
  }
}
