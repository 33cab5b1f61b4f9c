/**
 * Checks of a household case that need no booking: ids, accounts, date order, value ranges and
 * the substantially-identical groups. Every problem is reported, each pointing at its source, so a
 * user fixes a file in one pass. Booking runs these first and applies nothing if any fail.
 */
import type { Day } from '../kernel/calendar.js';
import { issue, type Issue } from '../kernel/errors.js';
import { format, type Unit } from '../kernel/exact.js';
import { sourceOf, type LedgerEvent } from './events.js';
import type { Household } from './household.js';

export function validateCase(household: Household, events: readonly LedgerEvent[]): Issue[] {
  return [...validateGroups(household, events), ...validateEvents(household, events)];
}

/** Every symbol of a configured group or period must be a known security or appear in an event. */
export function validateGroups(household: Household, events: readonly LedgerEvent[]): Issue[] {
  const policy = household.settings.substantiallyIdentical;
  if (policy.policy !== 'groups') return [];
  const known = new Set<string>(household.securities.map((s) => s.symbol));
  for (const e of events) if ('symbol' in e) known.add(e.symbol);
  const out: Issue[] = [];
  const unknown = (group: readonly string[], field: string): void => {
    for (const s of group) {
      if (!known.has(s)) out.push(issue('UNKNOWN_SECURITY', `unknown security "${s}": list it under securities or remove it from the group`, { field }));
    }
  };
  policy.groups.forEach((group) => unknown(group, 'settings.substantiallyIdentical.groups'));
  (policy.periods ?? []).forEach((p, i) => {
    const field = `settings.substantiallyIdentical.periods[${i}]`;
    unknown(p.symbols, `${field}.symbols`);
    if (p.from !== undefined && p.until !== undefined && p.from > p.until) out.push(issue('OUT_OF_ORDER', 'the period ends before it starts', { field: `${field}.until` }));
  });
  return out;
}

export function validateEvents(household: Household, events: readonly LedgerEvent[]): Issue[] {
  const out: Issue[] = [];
  const accounts = new Set<string>(household.accounts.map((a) => a.id));
  const duplicates = new Set(duplicateIdIndices(events));
  let lastDate: Day | undefined;
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as LedgerEvent;
    if (duplicates.has(i)) out.push(issue('DUPLICATE_ID', `duplicate event id "${e.id}"`, sourceOf(e, 'id')));
    if (lastDate !== undefined && e.date < lastDate) {
      out.push(issue('OUT_OF_ORDER', 'event dated before the event preceding it; events must be in date order', sourceOf(e, 'date')));
    }
    lastDate = lastDate === undefined || e.date > lastDate ? e.date : lastDate;
    if (e.account !== undefined && !accounts.has(e.account)) {
      out.push(issue('UNKNOWN_ACCOUNT', `unknown account "${e.account}"`, sourceOf(e, 'account')));
    }
    checkRanges(e, out);
    if (e.kind === 'transfer') {
      if (!accounts.has(e.toAccount)) out.push(issue('UNKNOWN_ACCOUNT', `unknown account "${e.toAccount}"`, sourceOf(e, 'toAccount')));
      else if (e.toAccount === e.account) out.push(issue('BAD_VALUE', 'transfer to the same account', sourceOf(e, 'toAccount')));
    }
    if (e.kind === 'transfer_in' && e.acquired > e.date) {
      out.push(issue('BAD_DATE', 'acquisition date is after the transfer', sourceOf(e, 'acquiredDate')));
    }
    if ('selection' in e && e.selection?.method === 'SPECIFIC') {
      if (e.selection.lots.length === 0) out.push(issue('UNKNOWN_LOT', 'specific-lot selection names no lots', sourceOf(e, 'lots')));
      for (const pick of e.selection.lots) {
        if (pick.shares !== undefined && pick.shares <= 0) {
          out.push(issue('NOT_POSITIVE', `shares for lot "${pick.lot}" must be positive`, sourceOf(e, 'lots')));
        }
      }
    }
  }
  return out;
}

/**
 * Indices of events whose id appeared earlier. An open-addressing table of event indices keyed by
 * an FNV-1a hash of the id: a JS Set of a million fresh strings costs several times more, and this
 * check runs on every booking.
 */
export function duplicateIdIndices(events: readonly LedgerEvent[]): number[] {
  let size = 1;
  while (size < events.length * 2) size <<= 1;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  const out: number[] = [];
  for (let i = 0; i < events.length; i++) {
    const id = (events[i] as LedgerEvent).id;
    let h = 0x811c9dc5;
    for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 0x01000193);
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const j = table[slot] as number;
      if (j === -1) {
        table[slot] = i;
        break;
      }
      if ((events[j] as LedgerEvent).id === id) {
        out.push(i);
        break;
      }
    }
  }
  return out;
}

/** Quantities must be positive; prices, fees and basis may be zero. */
function checkRanges(e: LedgerEvent, out: Issue[]): void {
  const check = (field: string, unit: Unit, value: number, allowZero: boolean): void => {
    if (value > 0 || (allowZero && value === 0)) return;
    out.push(issue('NOT_POSITIVE', `must be ${allowZero ? 'zero or more' : 'positive'}, got ${format(unit, value)}`, sourceOf(e, field)));
  };
  switch (e.kind) {
    case 'buy':
    case 'sell':
    case 'dividend_reinvest':
      if (e.shares > 0 && e.price >= 0 && e.fees >= 0) return;
      check('shares', 'shares', e.shares, false);
      check('price', 'price', e.price, true);
      check('fees', 'usd', e.fees, true);
      return;
    case 'dividend':
    case 'deposit':
    case 'withdrawal':
    case 'fee':
      check('amount', 'usd', e.amount, false);
      return;
    case 'split':
      check('splitFrom', 'shares', e.from, false);
      check('splitTo', 'shares', e.to, false);
      return;
    case 'transfer_in':
      check('shares', 'shares', e.shares, false);
      check('basis', 'usd', e.basis, true);
      check('washAdjustment', 'usd', e.washAdjustment ?? 0, true);
      return;
    case 'transfer':
    case 'transfer_out':
      check('shares', 'shares', e.shares, false);
      return;
  }
}
