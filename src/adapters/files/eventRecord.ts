/**
 * Decodes one raw event record — a JSON object from a case file or a CSV row keyed by its header —
 * into a typed ledger event, or into issues naming the file, row, event and field. Both input
 * formats go through here, so they accept the same things and fail the same way.
 *
 * Field names are accepted in camelCase (JSON) and snake_case (CSV): lotMethod / lot_method.
 * Numbers may be JSON numbers or decimal strings; strings are exact.
 */
import { parseDay, type Day } from '../../core/kernel/calendar.js';
import { issue, type Issue } from '../../core/kernel/errors.js';
import { EVENT_KINDS, type EventKind, type LedgerEvent, type LotPick, type LotSelection, type SourceRef } from '../../core/ledger/events.js';
import { exact, type Exact, type Unit, type Usd } from '../../core/kernel/exact.js';
import { accountId, eventId, lotMethodFrom, symbol } from '../../core/ledger/household.js';

export type RawValue = string | number | boolean | null | undefined | readonly unknown[] | object;
export type RawEvent = Readonly<Record<string, RawValue>>;

const ALIASES: Readonly<Record<string, string>> = {
  lotSelection: 'lotMethod',
  method: 'lotMethod',
  acquired: 'acquiredDate',
  adjustedAcquired: 'adjustedAcquisitionDate',
};

/** `lot_method` and `lotMethod` name the same field; so do a few common synonyms. */
export function canonicalField(name: string): string {
  const camel = name.trim().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return ALIASES[camel] ?? camel;
}

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

/** A decoder that collects every problem with one record before giving up on it. */
class Fields {
  readonly issues: Issue[] = [];
  constructor(
    private readonly raw: RawEvent,
    private readonly at: SourceRef,
  ) {}

  private present(name: string): RawValue {
    const v = this.raw[name];
    return v === '' || v === null ? undefined : v;
  }

  private fail(field: string, code: Issue['code'], message: string): undefined {
    this.issues.push(issue(code, message, { ...this.at, field }));
    return undefined;
  }

  text(name: string, required: boolean): string | undefined {
    const v = this.present(name);
    if (v === undefined) return required ? this.fail(name, 'MISSING_FIELD', 'is required') : undefined;
    if (typeof v === 'number') return String(v);
    if (typeof v !== 'string') return this.fail(name, 'BAD_VALUE', `must be text, got ${JSON.stringify(v)}`);
    return v;
  }

  number<U extends Unit>(name: string, unit: U, required: boolean): Exact<U> | undefined {
    const v = this.present(name);
    if (v === undefined) return required ? this.fail(name, 'MISSING_FIELD', 'is required') : undefined;
    if (typeof v !== 'number' && typeof v !== 'string') return this.fail(name, 'BAD_NUMBER', `must be a number, got ${JSON.stringify(v)}`);
    const r = exact(unit, v);
    return r.ok ? r.value : this.fail(name, 'BAD_NUMBER', r.reason);
  }

  /** A ratio term (split from/to) kept as a positive integer of micro-units. */
  ratio(name: string): number | undefined {
    return this.number(name, 'shares', true);
  }

  date(name: string, required: boolean): Day | undefined {
    const v = this.text(name, required);
    if (v === undefined) return undefined;
    const d = parseDay(v);
    return d ?? this.fail(name, 'BAD_DATE', `"${v}" is not a calendar date in YYYY-MM-DD form`);
  }

  selection(): LotSelection | undefined {
    const methodText = this.text('lotMethod', false);
    const lotsRaw = this.present('lots');
    const picks = lotsRaw === undefined ? undefined : this.picks(lotsRaw);
    if (methodText === undefined) return picks !== undefined ? { method: 'SPECIFIC', lots: picks } : undefined;
    const method = lotMethodFrom(methodText);
    if (method === undefined) {
      return this.fail('lotMethod', 'UNKNOWN_LOT_METHOD', `unknown lot method "${methodText}" (FIFO, LIFO, HIFO, TAX_MIN or SPECIFIC)`);
    }
    if (method === 'SPECIFIC') {
      if (picks === undefined) return this.fail('lots', 'MISSING_FIELD', 'SPECIFIC lot selection needs the lots to sell');
      return { method, lots: picks };
    }
    if (picks !== undefined) return this.fail('lots', 'BAD_VALUE', `lots are named but the lot method is ${method}`);
    return { method };
  }

  /** `["e1", {lot: "e3", shares: 10}]`, or in CSV `e1;e3:10`. */
  private picks(v: RawValue): LotPick[] | undefined {
    const items: unknown[] = Array.isArray(v)
      ? v
      : typeof v === 'string'
        ? v.split(/[;|]/).map((s) => s.trim()).filter((s) => s.length > 0)
        : [v];
    const out: LotPick[] = [];
    for (const item of items) {
      let lot: string | undefined;
      let sharesRaw: unknown;
      if (typeof item === 'string') {
        const colon = item.lastIndexOf(':');
        lot = colon > 0 ? item.slice(0, colon) : item;
        sharesRaw = colon > 0 ? item.slice(colon + 1) : undefined;
      } else if (typeof item === 'object' && item !== null && 'lot' in item) {
        const o = item as { lot: unknown; shares?: unknown };
        lot = typeof o.lot === 'string' ? o.lot : undefined;
        sharesRaw = o.shares;
      }
      if (lot === undefined || lot.length === 0) return this.fail('lots', 'BAD_VALUE', `cannot read lot ${JSON.stringify(item)}`);
      if (sharesRaw === undefined) {
        out.push({ lot });
        continue;
      }
      if (typeof sharesRaw !== 'string' && typeof sharesRaw !== 'number') return this.fail('lots', 'BAD_NUMBER', `shares for lot "${lot}" must be a number`);
      const r = exact('shares', sharesRaw);
      if (!r.ok) return this.fail('lots', 'BAD_NUMBER', `shares for lot "${lot}": ${r.reason}`);
      out.push({ lot, shares: r.value });
    }
    return out;
  }

  kind(): EventKind | undefined {
    const v = this.text('action', true);
    if (v === undefined) return undefined;
    const k = v.trim().toLowerCase().replace(/[\s-]/g, '_');
    if (KINDS.has(k)) return k as EventKind;
    const alias = ACTION_ALIASES[k];
    if (alias !== undefined) return alias;
    return this.fail('action', 'UNKNOWN_ACTION', `unknown action "${v}" (one of ${EVENT_KINDS.join(', ')})`);
  }
}

export type DecodedEvent = { readonly ok: true; readonly event: LedgerEvent } | { readonly ok: false; readonly issues: Issue[] };

/** Where a record was read: the file and its row (CSV line, or position in a JSON array). */
export interface RecordOrigin {
  readonly file?: string | undefined;
  readonly row?: number | undefined;
}

/** `fallbackId` names events whose record has no id (CSV rows): e.g. "row12". */
export function decodeEvent(raw: RawEvent, at: RecordOrigin, fallbackId: string): DecodedEvent {
  const idText = raw['id'];
  const id = eventId(typeof idText === 'string' && idText !== '' ? idText : typeof idText === 'number' ? String(idText) : fallbackId);
  const f = new Fields(raw, { ...(at.file !== undefined ? { file: at.file } : {}), ...(at.row !== undefined ? { row: at.row } : {}), eventId: id });
  const kind = f.kind();
  const date = f.date('date', true);
  const accountText = f.text('account', kind !== 'split');
  const event = kind === undefined || date === undefined ? undefined : build(f, kind, id, date, accountText, at);
  if (event === undefined || f.issues.length > 0) return { ok: false, issues: f.issues };
  return { ok: true, event };
}

function build(
  f: Fields,
  kind: EventKind,
  id: ReturnType<typeof eventId>,
  date: Day,
  accountText: string | undefined,
  at: RecordOrigin,
): LedgerEvent | undefined {
  const account = accountId(accountText ?? '');
  const base = { id, date, account, file: at.file, row: at.row };
  const sym = (): ReturnType<typeof symbol> | undefined => {
    const s = f.text('symbol', true);
    return s === undefined ? undefined : symbol(s.trim());
  };
  const fees = (): Usd => f.number('fees', 'usd', false) ?? (0 as Usd);
  switch (kind) {
    case 'buy':
    case 'dividend_reinvest': {
      const s = sym();
      const shares = f.number('shares', 'shares', true);
      const price = f.number('price', 'price', true);
      const fee = fees();
      if (s === undefined || shares === undefined || price === undefined) return undefined;
      return { ...base, kind, symbol: s, shares, price, fees: fee };
    }
    case 'sell': {
      const s = sym();
      const shares = f.number('shares', 'shares', true);
      const price = f.number('price', 'price', true);
      const fee = fees();
      const selection = f.selection();
      if (s === undefined || shares === undefined || price === undefined) return undefined;
      return { ...base, kind, symbol: s, shares, price, fees: fee, ...(selection ? { selection } : {}) };
    }
    case 'dividend': {
      const s = sym();
      const amount = f.number('amount', 'usd', true);
      if (s === undefined || amount === undefined) return undefined;
      return { ...base, kind, symbol: s, amount };
    }
    case 'deposit':
    case 'withdrawal':
    case 'fee': {
      const amount = f.number('amount', 'usd', true);
      if (amount === undefined) return undefined;
      return { ...base, kind, amount };
    }
    case 'split': {
      const s = sym();
      const from = f.ratio('splitFrom');
      const to = f.ratio('splitTo');
      if (s === undefined || from === undefined || to === undefined) return undefined;
      return { id, date, file: at.file, row: at.row, kind, symbol: s, from, to, ...(accountText !== undefined ? { account } : {}) };
    }
    case 'transfer_in': {
      const s = sym();
      const shares = f.number('shares', 'shares', true);
      const acquired = f.date('acquiredDate', true);
      const adjusted = f.date('adjustedAcquisitionDate', false);
      const wash = f.number('washAdjustment', 'usd', false);
      const basis = f.number('basis', 'usd', true);
      if (s === undefined || shares === undefined || acquired === undefined || basis === undefined) return undefined;
      return {
        ...base,
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
      const s = sym();
      const shares = f.number('shares', 'shares', true);
      const to = f.text('toAccount', true);
      const selection = f.selection();
      if (s === undefined || shares === undefined || to === undefined) return undefined;
      return { ...base, kind, symbol: s, shares, toAccount: accountId(to), ...(selection ? { selection } : {}) };
    }
    case 'transfer_out': {
      const s = sym();
      const shares = f.number('shares', 'shares', true);
      const selection = f.selection();
      if (s === undefined || shares === undefined) return undefined;
      return { ...base, kind, symbol: s, shares, ...(selection ? { selection } : {}) };
    }
  }
}
