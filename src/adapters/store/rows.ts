/**
 * Rows ↔ domain: the only place that knows how a ledger event, a lot or a disposition is laid out
 * in the book's tables. NUMERIC columns travel as decimal strings and are parsed exactly with the
 * kernel's unit scales; DATE columns as 'YYYY-MM-DD'. Rows never leave the store adapter.
 */
import { formatDay, parseDay, type Day } from '../../core/kernel/calendar.js';
import { exact, format, type Exact, type Unit } from '../../core/kernel/exact.js';
import type { LedgerEvent, LotPick, LotSelection } from '../../core/ledger/events.js';
import { accountId, eventId, symbol, type AccountId, type EventId } from '../../core/ledger/household.js';
import type { Disposition, WashMatch } from '../../core/ledger/ledger.js';
import type { Lot } from '../../core/ledger/lots.js';

/** A NUMERIC column's text as an exact value; a malformed value means the database was edited by hand. */
export function exactOf<U extends Unit>(unit: U, text: string): Exact<U> {
  const r = exact(unit, text);
  if (!r.ok) throw new CorruptRow(`${unit} column holds "${text}": ${r.reason}`);
  return r.value;
}

export function dayOf(text: string): Day {
  const d = parseDay(text);
  if (d === undefined) throw new CorruptRow(`date column holds "${text}"`);
  return d;
}

/** A row that cannot have been written by Lotsmith. */
export class CorruptRow extends Error {}

export const text = (unit: Unit, value: number): string => format(unit, value);
export const dayText = formatDay;

export interface EventRow {
  readonly seq: number;
  readonly id: string;
  readonly idemKey: string;
  readonly date: string;
  readonly kind: string;
  readonly accountId: string | null;
  readonly symbol: string | null;
  readonly shares: string | null;
  readonly price: string | null;
  readonly amount: string | null;
  readonly fees: string | null;
  readonly detail: EventDetail | null;
  readonly sourceFile: string | null;
  readonly sourceRow: number | null;
}

/** The kind-specific fields of an event, as JSON (exact numbers as decimal strings). */
export interface EventDetail {
  readonly selection?: { readonly method: string; readonly lots?: readonly { readonly lot: string; readonly shares?: string }[] };
  readonly from?: number;
  readonly to?: number;
  readonly toAccount?: string;
  readonly acquired?: string;
  readonly adjustedAcquired?: string;
  readonly washAdjustment?: string;
}

const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

function selectionDetail(s: LotSelection | undefined): EventDetail['selection'] | undefined {
  if (s === undefined) return undefined;
  if (s.method !== 'SPECIFIC') return { method: s.method };
  return { method: s.method, lots: s.lots.map((p) => (p.shares === undefined ? { lot: p.lot } : { lot: p.lot, shares: text('shares', p.shares) })) };
}

function selectionOf(d: EventDetail['selection']): LotSelection | undefined {
  if (d === undefined) return undefined;
  if (d.method !== 'SPECIFIC') return { method: d.method as Exclude<LotSelection['method'], 'SPECIFIC'> };
  const lots: LotPick[] = (d.lots ?? []).map((p) => (p.shares === undefined ? { lot: p.lot } : { lot: p.lot, shares: exactOf('shares', p.shares) }));
  return { method: 'SPECIFIC', lots };
}

/** The row of an event (without tenant, household and bookkeeping columns). */
export function eventRow(e: LedgerEvent, seq: number, key: string): EventRow {
  const base = { seq, id: e.id as string, idemKey: key, date: dayText(e.date), kind: e.kind, sourceFile: opt(e.file), sourceRow: opt(e.row) };
  const none = { accountId: null, symbol: null, shares: null, price: null, amount: null, fees: null, detail: null };
  switch (e.kind) {
    case 'buy':
    case 'dividend_reinvest':
      return { ...base, ...none, accountId: e.account, symbol: e.symbol, shares: text('shares', e.shares), price: text('price', e.price), fees: text('usd', e.fees) };
    case 'sell': {
      const selection = selectionDetail(e.selection);
      return {
        ...base,
        ...none,
        accountId: e.account,
        symbol: e.symbol,
        shares: text('shares', e.shares),
        price: text('price', e.price),
        fees: text('usd', e.fees),
        detail: selection === undefined ? null : { selection },
      };
    }
    case 'dividend':
      return { ...base, ...none, accountId: e.account, symbol: e.symbol, amount: text('usd', e.amount) };
    case 'deposit':
    case 'withdrawal':
    case 'fee':
      return { ...base, ...none, accountId: e.account, amount: text('usd', e.amount) };
    case 'split':
      return { ...base, ...none, accountId: opt(e.account), symbol: e.symbol, detail: { from: e.from, to: e.to } };
    case 'transfer_in':
      return {
        ...base,
        ...none,
        accountId: e.account,
        symbol: e.symbol,
        shares: text('shares', e.shares),
        amount: text('usd', e.basis),
        detail: {
          acquired: dayText(e.acquired),
          ...(e.adjustedAcquired !== undefined ? { adjustedAcquired: dayText(e.adjustedAcquired) } : {}),
          ...(e.washAdjustment !== undefined ? { washAdjustment: text('usd', e.washAdjustment) } : {}),
        },
      };
    case 'transfer': {
      const selection = selectionDetail(e.selection);
      return { ...base, ...none, accountId: e.account, symbol: e.symbol, shares: text('shares', e.shares), detail: { toAccount: e.toAccount, ...(selection ? { selection } : {}) } };
    }
    case 'transfer_out': {
      const selection = selectionDetail(e.selection);
      return { ...base, ...none, accountId: e.account, symbol: e.symbol, shares: text('shares', e.shares), detail: selection === undefined ? null : { selection } };
    }
  }
}

function need<T>(v: T | null, column: string, row: EventRow): T {
  if (v === null) throw new CorruptRow(`event ${row.id} (${row.kind}) has no ${column}`);
  return v;
}

export function eventOf(row: EventRow): LedgerEvent {
  const id = eventId(row.id);
  const date = dayOf(row.date);
  const origin = { ...(row.sourceFile !== null ? { file: row.sourceFile } : {}), ...(row.sourceRow !== null ? { row: row.sourceRow } : {}) };
  const account = (): AccountId => accountId(need(row.accountId, 'account', row));
  const sym = () => symbol(need(row.symbol, 'symbol', row));
  const sh = () => exactOf('shares', need(row.shares, 'shares', row));
  const px = () => exactOf('price', need(row.price, 'price', row));
  const amount = () => exactOf('usd', need(row.amount, 'amount', row));
  const fees = () => exactOf('usd', need(row.fees, 'fees', row));
  const detail = row.detail ?? {};
  const selection = selectionOf(detail.selection);
  const sel = selection === undefined ? {} : { selection };
  switch (row.kind) {
    case 'buy':
    case 'dividend_reinvest':
      return { id, date, ...origin, kind: row.kind, account: account(), symbol: sym(), shares: sh(), price: px(), fees: fees() };
    case 'sell':
      return { id, date, ...origin, kind: 'sell', account: account(), symbol: sym(), shares: sh(), price: px(), fees: fees(), ...sel };
    case 'dividend':
      return { id, date, ...origin, kind: 'dividend', account: account(), symbol: sym(), amount: amount() };
    case 'deposit':
    case 'withdrawal':
    case 'fee':
      return { id, date, ...origin, kind: row.kind, account: account(), amount: amount() };
    case 'split':
      return {
        id,
        date,
        ...origin,
        kind: 'split',
        symbol: sym(),
        from: need(detail.from ?? null, 'split from', row),
        to: need(detail.to ?? null, 'split to', row),
        ...(row.accountId !== null ? { account: accountId(row.accountId) } : {}),
      };
    case 'transfer_in':
      return {
        id,
        date,
        ...origin,
        kind: 'transfer_in',
        account: account(),
        symbol: sym(),
        shares: sh(),
        basis: amount(),
        acquired: dayOf(need(detail.acquired ?? null, 'acquired', row)),
        ...(detail.adjustedAcquired !== undefined ? { adjustedAcquired: dayOf(detail.adjustedAcquired) } : {}),
        ...(detail.washAdjustment !== undefined ? { washAdjustment: exactOf('usd', detail.washAdjustment) } : {}),
      };
    case 'transfer':
      return { id, date, ...origin, kind: 'transfer', account: account(), symbol: sym(), shares: sh(), toAccount: accountId(need(detail.toAccount ?? null, 'toAccount', row)), ...sel };
    case 'transfer_out':
      return { id, date, ...origin, kind: 'transfer_out', account: account(), symbol: sym(), shares: sh(), ...sel };
    default:
      throw new CorruptRow(`event ${row.id} has unknown kind "${row.kind}"`);
  }
}

export interface LotRow {
  readonly ord: number;
  readonly accountId: string;
  readonly symbol: string;
  readonly lotId: string;
  readonly origin: string;
  readonly lotSeq: number;
  readonly shares: string;
  readonly basis: string;
  readonly washAdjustment: string;
  readonly acquired: string;
  readonly heldFrom: string;
  readonly purchase: boolean;
  readonly replacement: boolean;
}

export function lotRow(l: Lot, ord: number): LotRow {
  return {
    ord,
    accountId: l.account,
    symbol: l.symbol,
    lotId: l.id,
    origin: l.origin,
    lotSeq: l.seq,
    shares: text('shares', l.shares),
    basis: text('usd', l.basis),
    washAdjustment: text('usd', l.washAdjustment),
    acquired: dayText(l.acquired),
    heldFrom: dayText(l.heldFrom),
    purchase: l.purchase,
    replacement: l.replacement,
  };
}

export function lotOf(r: LotRow): Lot {
  return {
    id: r.lotId,
    origin: eventId(r.origin),
    seq: r.lotSeq,
    account: accountId(r.accountId),
    symbol: symbol(r.symbol),
    shares: exactOf('shares', r.shares),
    basis: exactOf('usd', r.basis),
    acquired: dayOf(r.acquired),
    heldFrom: dayOf(r.heldFrom),
    washAdjustment: exactOf('usd', r.washAdjustment),
    purchase: r.purchase,
    replacement: r.replacement,
  };
}

export interface DispositionRow {
  readonly ord: number;
  readonly saleId: string;
  readonly date: string;
  readonly accountId: string;
  readonly symbol: string;
  readonly lotId: string;
  readonly origin: string;
  readonly shares: string;
  readonly acquired: string;
  readonly heldFrom: string;
  readonly proceeds: string;
  readonly basis: string;
  readonly gain: string;
  readonly washAdjustment: string;
  readonly disallowed: string;
  readonly permanentlyDisallowed: string;
  readonly term: string;
  readonly taxable: boolean;
  readonly washMatches: unknown;
}

interface WashMatchJson {
  readonly replacementLot: string;
  readonly replacementEvent: string;
  readonly account: string;
  readonly symbol: string;
  readonly acquired: string;
  readonly shares: string;
  readonly disallowed: string;
  readonly permanent: boolean;
  readonly heldFrom: string | null;
}

export function dispositionRow(d: Disposition, ord: number): DispositionRow {
  const matches: WashMatchJson[] = d.washMatches.map((m) => ({
    replacementLot: m.replacementLot,
    replacementEvent: m.replacementEvent,
    account: m.account,
    symbol: m.symbol,
    acquired: dayText(m.acquired),
    shares: text('shares', m.shares),
    disallowed: text('usd', m.disallowed),
    permanent: m.permanent,
    heldFrom: m.heldFrom === undefined ? null : dayText(m.heldFrom),
  }));
  return {
    ord,
    saleId: d.saleId,
    date: dayText(d.date),
    accountId: d.account,
    symbol: d.symbol,
    lotId: d.lotId,
    origin: d.origin,
    shares: text('shares', d.shares),
    acquired: dayText(d.acquired),
    heldFrom: dayText(d.heldFrom),
    proceeds: text('usd', d.proceeds),
    basis: text('usd', d.basis),
    gain: text('usd', d.gain),
    washAdjustment: text('usd', d.washAdjustment),
    disallowed: text('usd', d.disallowed),
    permanentlyDisallowed: text('usd', d.permanentlyDisallowed),
    term: d.term,
    taxable: d.taxable,
    washMatches: matches,
  };
}

export function dispositionOf(r: DispositionRow): Disposition {
  const matches = (r.washMatches as WashMatchJson[]).map(
    (m): WashMatch => ({
      replacementLot: m.replacementLot,
      replacementEvent: eventId(m.replacementEvent) as EventId,
      account: accountId(m.account),
      symbol: symbol(m.symbol),
      acquired: dayOf(m.acquired),
      shares: exactOf('shares', m.shares),
      disallowed: exactOf('usd', m.disallowed),
      permanent: m.permanent,
      heldFrom: m.heldFrom === null ? undefined : dayOf(m.heldFrom),
    }),
  );
  return {
    saleId: eventId(r.saleId),
    date: dayOf(r.date),
    account: accountId(r.accountId),
    symbol: symbol(r.symbol),
    lotId: r.lotId,
    origin: eventId(r.origin),
    shares: exactOf('shares', r.shares),
    acquired: dayOf(r.acquired),
    heldFrom: dayOf(r.heldFrom),
    proceeds: exactOf('usd', r.proceeds),
    basis: exactOf('usd', r.basis),
    gain: exactOf('usd', r.gain),
    washAdjustment: exactOf('usd', r.washAdjustment),
    disallowed: exactOf('usd', r.disallowed),
    permanentlyDisallowed: exactOf('usd', r.permanentlyDisallowed),
    term: r.term as Disposition['term'],
    taxable: r.taxable,
    washMatches: matches,
  };
}
