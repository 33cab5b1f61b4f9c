/**
 * Collects what a broker file yields — accounts, securities, events, splits, stated positions,
 * issues and a tally of how each action was booked — and hands back one ImportBatch, or every
 * issue found and nothing else (a file that fails anywhere yields no events at all).
 *
 * Booking order: by date; on one day a dividend comes before the other events (so a reinvestment's
 * income row is booked before the shares it buys), then the file's chronological order. Broker
 * histories are usually newest first; `order` is the row's place counted in time, which the
 * formats derive from the file's own direction.
 */
import type { Day } from '../../core/kernel/calendar.js';
import type { Issue, Result } from '../../core/kernel/errors.js';
import type { LedgerEvent, SourceRef } from '../../core/ledger/events.js';
import type { AccountType, Security } from '../../core/ledger/household.js';
import { symbol as toSymbol } from '../../core/ledger/household.js';
import type { ImportBatch, ImportedAccount, ImportedEvent, SplitByShares, StatedPosition } from '../../app/importBatch.js';

interface Pending {
  readonly imported: ImportedEvent;
  readonly order: number;
}

interface Tally {
  count: number;
  readonly how: string;
}

export class BatchBuilder {
  readonly issues: Issue[] = [];
  private readonly accounts = new Map<string, ImportedAccount>();
  private readonly securities = new Map<string, Security>();
  private readonly events: Pending[] = [];
  private readonly splits: { split: SplitByShares; order: number }[] = [];
  private readonly positions: StatedPosition[] = [];
  private readonly tallies = new Map<string, Tally>();
  private readonly notes: string[] = [];

  constructor(
    readonly format: string,
    readonly file: string,
    readonly custodian: string,
  ) {}

  account(key: string, title?: string, type?: AccountType): void {
    if (this.accounts.has(key)) return;
    this.accounts.set(key, { key, custodian: this.custodian, ...(title !== undefined && title !== '' ? { title } : {}), ...(type !== undefined ? { type } : {}) });
  }

  security(symbol: string, cusip?: string): void {
    const known = this.securities.get(symbol);
    if (known !== undefined && (known.cusip !== undefined || cusip === undefined)) return;
    this.securities.set(symbol, { symbol: toSymbol(symbol), ...(cusip !== undefined ? { cusip } : {}) });
  }

  event(event: LedgerEvent, brokerAction: string, source: SourceRef, order: number): void {
    this.events.push({ imported: { key: event.id, event, brokerAction, source }, order });
    if ('symbol' in event) this.security(event.symbol);
  }

  split(split: SplitByShares, order: number): void {
    this.splits.push({ split, order });
    this.security(split.symbol);
  }

  position(p: StatedPosition): void {
    this.positions.push(p);
  }

  /** Counts a row of `action` booked as `how` ("buy", "not booked: ...") for the batch's notes. */
  tally(action: string, how: string): void {
    const k = `${action}\u0000${how}`;
    const t = this.tallies.get(k);
    if (t !== undefined) t.count++;
    else this.tallies.set(k, { count: 1, how });
  }

  note(text: string): void {
    this.notes.push(text);
  }

  finish(): Result<ImportBatch> {
    if (this.issues.length > 0) return { ok: false, issues: this.issues };
    const events = [...this.events].sort(byBookingOrder).map((p) => p.imported);
    const splits = [...this.splits].sort((a, b) => a.split.date - b.split.date || a.order - b.order).map((s) => s.split);
    const tallyNotes = [...this.tallies.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, t]) => `${k.slice(0, k.indexOf('\u0000'))}: ${t.count} ${t.count === 1 ? 'row' : 'rows'} ${t.how}`);
    return {
      ok: true,
      value: {
        format: this.format,
        file: this.file,
        accounts: [...this.accounts.values()],
        securities: [...this.securities.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0)),
        events,
        splits,
        positions: this.positions,
        notes: [...tallyNotes, ...this.notes],
      },
    };
  }
}

function byBookingOrder(a: Pending, b: Pending): number {
  const ea = a.imported.event;
  const eb = b.imported.event;
  return ea.date - eb.date || rank(ea) - rank(eb) || a.order - b.order;
}

/** Income first on its day: the cash a reinvestment spends is there before the purchase. */
function rank(e: LedgerEvent): number {
  return e.kind === 'dividend' ? 0 : 1;
}

/**
 * Where each data row sits in time: broker histories list the newest first, so when the first
 * row is later than the last, later rows in the file happened earlier.
 */
export function chronologicalOrder(dates: readonly Day[]): (index: number) => number {
  const first = dates[0];
  const last = dates[dates.length - 1];
  const descending = first !== undefined && last !== undefined && first > last;
  return descending ? (i) => dates.length - 1 - i : (i) => i;
}

/** "1 trade", "2 trades". */
export function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
