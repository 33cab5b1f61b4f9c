/**
 * The fields of an event record: their canonical (camelCase) names, the older names still read,
 * the fields each action carries, and the slot each field has in the decoders (eventRecord.ts,
 * directEvent.ts, caseJson.ts).
 */
import { EVENT_KINDS, type EventKind } from '../../core/ledger/events.js';
import { camelField, isExtraField } from './fieldNames.js';

/** Every field an event record may have, in canonical (camelCase) spelling. */
export const EVENT_FIELDS = [
  'id',
  'date',
  'account',
  'action',
  'symbol',
  'shares',
  'price',
  'fees',
  'amount',
  'lotMethod',
  'lots',
  'splitFrom',
  'splitTo',
  'acquiredDate',
  'adjustedAcquisitionDate',
  'basis',
  'washAdjustment',
  'toAccount',
] as const;
export type EventField = (typeof EVENT_FIELDS)[number];

/** Older names still read: `lot_selection`, `method`, `acquired`, `adjusted_acquired`. */
export const EVENT_FIELD_ALIASES: Readonly<Record<string, EventField>> = {
  lotSelection: 'lotMethod',
  method: 'lotMethod',
  acquired: 'acquiredDate',
  adjustedAcquired: 'adjustedAcquisitionDate',
};

/** Each field's slot: its index in EVENT_FIELDS. */
export const EVENT_SLOT = Object.fromEntries(EVENT_FIELDS.map((f, i) => [f, i])) as Readonly<Record<EventField, number>>;
const COMMON: readonly EventField[] = ['id', 'date', 'account', 'action'];
const TRADE: readonly EventField[] = ['symbol', 'shares', 'price', 'fees'];
const PICK: readonly EventField[] = ['lotMethod', 'lots'];

/** The fields each action carries (besides id, date, account and action). */
export const FIELDS_OF: Readonly<Record<EventKind, readonly EventField[]>> = {
  buy: TRADE,
  dividend_reinvest: TRADE,
  sell: [...TRADE, ...PICK],
  dividend: ['symbol', 'amount'],
  deposit: ['amount'],
  withdrawal: ['amount'],
  fee: ['amount'],
  split: ['symbol', 'splitFrom', 'splitTo'],
  transfer_in: ['symbol', 'shares', 'basis', 'acquiredDate', 'adjustedAcquisitionDate', 'washAdjustment'],
  transfer: ['symbol', 'shares', 'toAccount', ...PICK],
  transfer_out: ['symbol', 'shares', ...PICK],
};

/** Per action, a flag per field slot: may the record carry it? */
export const ALLOWED: Readonly<Record<EventKind, Uint8Array>> = Object.fromEntries(
  EVENT_KINDS.map((k) => {
    const flags = new Uint8Array(EVENT_FIELDS.length);
    for (const f of [...COMMON, ...FIELDS_OF[k]]) flags[EVENT_SLOT[f]] = 1;
    return [k, flags];
  }),
) as Record<EventKind, Uint8Array>;

/** A written field name's slot: its index, EXTRA for the user's own x_ field, UNKNOWN otherwise. */
export const EXTRA = -2;
export const UNKNOWN = -1;

export function eventFieldOf(name: string): EventField | undefined {
  const camel = camelField(name);
  const canonical = EVENT_FIELD_ALIASES[camel] ?? camel;
  return (EVENT_FIELDS as readonly string[]).includes(canonical) ? (canonical as EventField) : undefined;
}

export function eventSlotOf(name: string): number {
  const field = eventFieldOf(name);
  return field !== undefined ? EVENT_SLOT[field] : isExtraField(name) ? EXTRA : UNKNOWN;
}
