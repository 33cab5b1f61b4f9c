/**
 * Decodes one raw event record — a JSON object from a case file or a CSV row keyed by its header —
 * into a typed ledger event, or into issues naming the file, row, event and field. Both input
 * formats go through here, so they accept the same things and fail the same way.
 *
 * Field names follow fieldNames.ts: camelCase or snake_case (lotMethod / lot_method), `x_` fields
 * are the user's own and ignored, any other name is an UNKNOWN_FIELD error with a suggestion, and
 * a field that does not belong to the event's action (an `amount` on a buy) is an error too, so
 * nothing in a record is silently dropped. Issues name fields as the record spells them.
 * Numbers may be JSON numbers or decimal strings; strings are exact.
 *
 * The decoder is one reusable object per file: each record's values go into slots by field, and
 * the only allocations per record are the event itself (and its issues, if any).
 */
import { badDayMessage, parseDay, type Day } from '../../core/kernel/calendar.js';
import { issue, type Issue } from '../../core/kernel/errors.js';
import { EVENT_KINDS, type EventKind, type LedgerEvent, type LotPick, type LotSelection } from '../../core/ledger/events.js';
import { exact, tryExact, type Exact, type Unit, type Usd } from '../../core/kernel/exact.js';
import { accountId, eventId, lotMethodFrom, symbol, type AccountId, type EventId } from '../../core/ledger/household.js';
import { isExtraField, unknownFieldIssue } from './fieldNames.js';
import { ALLOWED, EVENT_FIELDS, EVENT_SLOT as F, FIELDS_OF, UNKNOWN, eventSlotOf } from './eventFields.js';

export type RawValue = unknown;
export type RawEvent = Readonly<Record<string, RawValue>>;

const KINDS = new Set<string>(EVENT_KINDS);
const ACTION_ALIASES: Readonly<Record<string, EventKind>> = {
  reinvest: 'dividend_reinvest',
  drip: 'dividend_reinvest',
  dividend_reinvestment: 'dividend_reinvest',
  reinvested_dividend: 'dividend_reinvest',
  cash_dividend: 'dividend',
  withdraw: 'withdrawal',
  transfer_between: 'transfer',
};

/** A value for a message: short scalars as written, containers by kind (a nested value can be huge). */
function shown(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'object' && v !== null) return Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}

/** Where a record was read: the file and its row (CSV line, or position in a JSON array). */
export interface RecordOrigin {
  readonly file?: string | undefined;
  readonly row?: number | undefined;
}

export type DecodedEvent = { readonly ok: true; readonly event: LedgerEvent } | { readonly ok: false; readonly issues: Issue[] };

/**
 * Decodes the records of one file. Reuse one decoder for all of a file's records: it caches how
 * each written field name maps to a field.
 */
export class EventDecoder {
  private readonly slots = new Map<string, number>();
  private readonly values: RawValue[] = new Array<RawValue>(EVENT_FIELDS.length).fill(undefined);
  private readonly names: (string | undefined)[] = new Array<string | undefined>(EVENT_FIELDS.length).fill(undefined);
  private readonly filled: number[] = [];
  private issues: Issue[] | undefined;
  private unknown: string[] | undefined;
  private twice: string[] | undefined;
  private file: string | undefined;
  private row: number | undefined;
  private id: EventId = eventId('');

  private slotOf(name: string): number {
    let slot = this.slots.get(name);
    if (slot === undefined) {
      slot = eventSlotOf(name);
      this.slots.set(name, slot);
    }
    return slot;
  }

  /** `fallbackId` names events whose record has no id (CSV rows): e.g. "row12". */
  decode(raw: RawEvent, at: RecordOrigin, fallbackId: string): DecodedEvent {
    this.start(at.file, at.row);
    for (const name in raw) this.put(name, raw[name]);
    return this.finish(fallbackId);
  }

  /** Starts a record given field by field (the JSON case scanner): `put` each field, then `finish`. */
  start(file: string | undefined, row: number | undefined): void {
    this.issues = undefined;
    this.unknown = undefined;
    this.twice = undefined;
    this.file = file;
    this.row = row;
    for (const i of this.filled) {
      this.values[i] = undefined;
      this.names[i] = undefined;
    }
    this.filled.length = 0;
  }

  put(name: string, v: RawValue): void {
    const slot = this.slotOf(name);
    if (slot >= 0) {
      if (v === undefined) return;
      if (this.names[slot] !== undefined) {
        (this.twice ??= []).push(name);
        return;
      }
      this.values[slot] = v;
      this.names[slot] = name;
      this.filled.push(slot);
    } else if (slot === UNKNOWN) (this.unknown ??= []).push(name);
  }

  finish(fallbackId: string): DecodedEvent {
    this.id = this.eventIdOf(fallbackId);
    for (const name of this.unknown ?? []) this.issue(unknownFieldIssue(name, EVENT_FIELDS, this.at(name)));
    for (const name of this.twice ?? []) this.fail(name, 'BAD_VALUE', `given twice, as "${this.nameOf(this.slotOf(name))}" and "${name}"`);
    const kind = this.kind();
    const date = this.date(F.date, true);
    const accountText = this.text(F.account, kind !== 'split');
    if (kind !== undefined) this.checkApplies(kind);
    const event = kind === undefined || date === undefined ? undefined : this.build(kind, date, accountText);
    if (event === undefined || this.issues !== undefined) return { ok: false, issues: this.issues ?? [] };
    return { ok: true, event };
  }

  private at(field: string) {
    return {
      ...(this.file !== undefined ? { file: this.file } : {}),
      ...(this.row !== undefined ? { row: this.row } : {}),
      eventId: this.id,
      field,
    };
  }

  private issue(i: Issue): void {
    (this.issues ??= []).push(i);
  }

  private fail(field: string, code: Issue['code'], message: string): undefined {
    this.issue(issue(code, message, this.at(field)));
    return undefined;
  }

  private nameOf(slot: number): string {
    return this.names[slot] ?? (EVENT_FIELDS[slot] as string);
  }

  private eventIdOf(fallbackId: string): EventId {
    const v = this.values[F.id];
    if (v === undefined || v === null) return eventId(fallbackId);
    if (typeof v === 'number') return eventId(String(v));
    if (typeof v === 'string' && v.trim() !== '') return eventId(v);
    this.id = eventId(fallbackId);
    this.fail(this.nameOf(F.id), 'BAD_VALUE', typeof v === 'string' ? 'an event id must not be empty (leave the field out for the default)' : `must be text, got ${shown(v)}`);
    return eventId(fallbackId);
  }

  /** A field with a value that the action does not carry is an error, not silently dropped. */
  private checkApplies(kind: EventKind): void {
    const allowed = ALLOWED[kind];
    for (const slot of this.filled) {
      if (allowed[slot] === 1) continue;
      const v = this.values[slot];
      if (v === '' || v === null) continue;
      this.fail(this.nameOf(slot), 'BAD_VALUE', `does not apply to a ${kind} event (its fields: ${FIELDS_OF[kind].join(', ')})`);
    }
  }

  private present(slot: number): RawValue {
    const v = this.values[slot];
    return v === '' || v === null ? undefined : v;
  }

  private text(slot: number, required: boolean): string | undefined {
    const v = this.present(slot);
    if (v === undefined) return required ? this.fail(this.nameOf(slot), 'MISSING_FIELD', 'is required') : undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    return this.fail(this.nameOf(slot), 'BAD_VALUE', `must be text, got ${shown(v)}`);
  }

  private number<U extends Unit>(slot: number, unit: U, required: boolean): Exact<U> | undefined {
    const v = this.present(slot);
    if (v === undefined) return required ? this.fail(this.nameOf(slot), 'MISSING_FIELD', 'is required') : undefined;
    if (typeof v === 'string') {
      const fast = tryExact(unit, v);
      if (fast !== undefined) return fast;
    } else if (typeof v !== 'number') return this.fail(this.nameOf(slot), 'BAD_NUMBER', `must be a number, got ${shown(v)}`);
    const r = exact(unit, v);
    return r.ok ? r.value : this.fail(this.nameOf(slot), 'BAD_NUMBER', r.reason);
  }

  private date(slot: number, required: boolean): Day | undefined {
    const v = this.text(slot, required);
    if (v === undefined) return undefined;
    const d = parseDay(v);
    return d ?? this.fail(this.nameOf(slot), 'BAD_DATE', badDayMessage(v));
  }

  private sym(): ReturnType<typeof symbol> | undefined {
    const s = this.text(F.symbol, true);
    return s === undefined ? undefined : symbol(s.trim());
  }

  private selection(): LotSelection | undefined {
    const methodText = this.text(F.lotMethod, false);
    const lotsRaw = this.present(F.lots);
    const picks = lotsRaw === undefined ? undefined : this.picks(lotsRaw);
    const lotsName = this.nameOf(F.lots);
    if (methodText === undefined) return picks !== undefined ? { method: 'SPECIFIC', lots: picks } : undefined;
    const method = lotMethodFrom(methodText);
    if (method === undefined) {
      return this.fail(this.nameOf(F.lotMethod), 'UNKNOWN_LOT_METHOD', `unknown lot method "${methodText}" (FIFO, LIFO, HIFO, TAX_MIN or SPECIFIC)`);
    }
    if (method === 'SPECIFIC') {
      if (picks === undefined) return this.fail(lotsName, 'MISSING_FIELD', 'SPECIFIC lot selection needs the lots to sell');
      return { method, lots: picks };
    }
    if (picks !== undefined) return this.fail(lotsName, 'BAD_VALUE', `lots are named but the lot method is ${method}`);
    return { method };
  }

  /** `["e1", {lot: "e3", shares: 10}]`, or in CSV `e1;e3:10`. */
  private picks(v: RawValue): LotPick[] | undefined {
    const name = this.nameOf(F.lots);
    const items: unknown[] = Array.isArray(v)
      ? v
      : typeof v === 'string'
        ? v.split(/[;|]/).map((s) => s.trim()).filter((s) => s.length > 0)
        : [v];
    const out: LotPick[] = [];
    for (let k = 0; k < items.length; k++) {
      const item = items[k];
      const field = Array.isArray(v) ? `${name}[${k}]` : name;
      let lot: string | undefined;
      let sharesRaw: unknown;
      if (typeof item === 'string') {
        const colon = item.lastIndexOf(':');
        lot = colon > 0 ? item.slice(0, colon) : item;
        sharesRaw = colon > 0 ? item.slice(colon + 1) : undefined;
      } else if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
        const o = item as Record<string, unknown>;
        const unknown = Object.keys(o).filter((key) => key !== 'lot' && key !== 'shares' && !isExtraField(key));
        if (unknown.length > 0) {
          for (const key of unknown) this.issue(unknownFieldIssue(key, ['lot', 'shares'], this.at(`${field}.${key}`)));
          return undefined;
        }
        lot = typeof o['lot'] === 'string' ? o['lot'] : undefined;
        sharesRaw = o['shares'];
      }
      if (lot === undefined || lot.length === 0) return this.fail(field, 'BAD_VALUE', `cannot read lot ${shown(item)}: name it by the id of the event that bought it ("e1" or {"lot": "e1", "shares": 5})`);
      if (sharesRaw === undefined) {
        out.push({ lot });
        continue;
      }
      if (typeof sharesRaw !== 'string' && typeof sharesRaw !== 'number') return this.fail(field, 'BAD_NUMBER', `shares for lot "${lot}" must be a number`);
      const r = exact('shares', sharesRaw);
      if (!r.ok) return this.fail(field, 'BAD_NUMBER', `shares for lot "${lot}": ${r.reason}`);
      out.push({ lot, shares: r.value });
    }
    return out;
  }

  private kind(): EventKind | undefined {
    const v = this.text(F.action, true);
    if (v === undefined) return undefined;
    const k = v.trim().toLowerCase().replace(/[\s-]/g, '_');
    if (KINDS.has(k)) return k as EventKind;
    const alias = ACTION_ALIASES[k];
    if (alias !== undefined) return alias;
    return this.fail(this.nameOf(F.action), 'UNKNOWN_ACTION', `unknown action "${v}" (one of ${EVENT_KINDS.join(', ')})`);
  }

  private build(kind: EventKind, date: Day, accountText: string | undefined): LedgerEvent | undefined {
    const id = this.id;
    const account: AccountId = accountId(accountText ?? '');
    const file = this.file;
    const row = this.row;
    switch (kind) {
      case 'buy':
      case 'sell':
      case 'dividend_reinvest': {
        const s = this.sym();
        const shares = this.number(F.shares, 'shares', true);
        const price = this.number(F.price, 'price', true);
        const fees = this.number(F.fees, 'usd', false) ?? (0 as Usd);
        const selection = kind === 'sell' ? this.selection() : undefined;
        if (s === undefined || shares === undefined || price === undefined) return undefined;
        if (selection !== undefined) return { id, date, account, file, row, kind: 'sell', symbol: s, shares, price, fees, selection };
        return { id, date, account, file, row, kind, symbol: s, shares, price, fees };
      }
      case 'dividend': {
        const s = this.sym();
        const amount = this.number(F.amount, 'usd', true);
        if (s === undefined || amount === undefined) return undefined;
        return { id, date, account, file, row, kind, symbol: s, amount };
      }
      case 'deposit':
      case 'withdrawal':
      case 'fee': {
        const amount = this.number(F.amount, 'usd', true);
        if (amount === undefined) return undefined;
        return { id, date, account, file, row, kind, amount };
      }
      case 'split': {
        const s = this.sym();
        const from = this.number(F.splitFrom, 'shares', true);
        const to = this.number(F.splitTo, 'shares', true);
        if (s === undefined || from === undefined || to === undefined) return undefined;
        return { id, date, file, row, kind, symbol: s, from, to, ...(accountText !== undefined ? { account } : {}) };
      }
      case 'transfer_in': {
        const s = this.sym();
        const shares = this.number(F.shares, 'shares', true);
        const acquired = this.date(F.acquiredDate, true);
        const adjusted = this.date(F.adjustedAcquisitionDate, false);
        const wash = this.number(F.washAdjustment, 'usd', false);
        const basis = this.number(F.basis, 'usd', true);
        if (s === undefined || shares === undefined || acquired === undefined || basis === undefined) return undefined;
        return {
          id,
          date,
          account,
          file,
          row,
          kind,
          symbol: s,
          shares,
          basis,
          acquired,
          ...(adjusted !== undefined ? { adjustedAcquired: adjusted } : {}),
          ...(wash !== undefined ? { washAdjustment: wash } : {}),
        };
      }
      case 'transfer': {
        const s = this.sym();
        const shares = this.number(F.shares, 'shares', true);
        const to = this.text(F.toAccount, true);
        const selection = this.selection();
        if (s === undefined || shares === undefined || to === undefined) return undefined;
        return { id, date, account, file, row, kind, symbol: s, shares, toAccount: accountId(to), ...(selection ? { selection } : {}) };
      }
      case 'transfer_out': {
        const s = this.sym();
        const shares = this.number(F.shares, 'shares', true);
        const selection = this.selection();
        if (s === undefined || shares === undefined) return undefined;
        return { id, date, account, file, row, kind, symbol: s, shares, ...(selection ? { selection } : {}) };
      }
    }
  }
}

/** One record on its own (tests, and callers with a single record). */
export function decodeEvent(raw: RawEvent, at: RecordOrigin, fallbackId: string): DecodedEvent {
  return new EventDecoder().decode(raw, at, fallbackId);
}
