/**
 * Checks of a household case that need no booking: ids, accounts, date order, value ranges and
 * the substantially-identical groups. Every problem is reported, each pointing at its source, so a
 * user fixes a file in one pass. Booking runs these first and applies nothing if any fail.
 */
import type { Day } from './calendar.js';
import { issue, type Issue } from './errors.js';
import { format, type Unit } from './exact.js';
import type { LedgerEvent, SourceRef } from './events.js';
import type { Household } from './household.js';

export function validateCase(household: Household, events: readonly LedgerEvent[]): Issue[] {
  return [...validateGroups(household, events), ...validateEvents(household, events)];
}

/** Every symbol of a configured group must be a known security or appear in an event. */
export function validateGroups(household: Household, events: readonly LedgerEvent[]): Issue[] {
  const policy = household.settings.substantiallyIdentical;
  if (policy.policy !== 'groups') return [];
  const known = new Set<string>(household.securities.map((s) => s.symbol));
  for (const e of events) if ('symbol' in e) known.add(e.symbol);
  const out: Issue[] = [];
  for (const group of policy.groups) {
    for (const s of group) {
      if (!known.has(s)) {
        out.push(
          issue('UNKNOWN_SECURITY', `unknown security "${s}": list it under securities or remove it from the group`, {
            field: 'settings.substantiallyIdentical.groups',
          }),
        );
      }
    }
  }
  return out;
}

export function validateEvents(household: Household, events: readonly LedgerEvent[]): Issue[] {
  const out: Issue[] = [];
  const accounts = new Set<string>(household.accounts.map((a) => a.id));
  const ids = new Set<string>();
  let lastDate: Day | undefined;
  for (const e of events) {
    const at = (field?: string): SourceRef => ({ ...e.source, eventId: e.id, ...(field ? { field } : {}) });
    if (ids.has(e.id)) out.push(issue('DUPLICATE_ID', `duplicate event id "${e.id}"`, at('id')));
    ids.add(e.id);
    if (lastDate !== undefined && e.date < lastDate) {
      out.push(issue('OUT_OF_ORDER', 'event dated before the event preceding it; events must be in date order', at('date')));
    }
    lastDate = lastDate === undefined || e.date > lastDate ? e.date : lastDate;
    if (e.account !== undefined && !accounts.has(e.account)) {
      out.push(issue('UNKNOWN_ACCOUNT', `unknown account "${e.account}"`, at('account')));
    }
    for (const [field, unit, value, allowZero] of numericFields(e)) {
      if (value < 0 || (!allowZero && value === 0)) {
        out.push(issue('NOT_POSITIVE', `must be ${allowZero ? 'zero or more' : 'positive'}, got ${format(unit, value)}`, at(field)));
      }
    }
    if (e.kind === 'transfer') {
      if (!accounts.has(e.toAccount)) out.push(issue('UNKNOWN_ACCOUNT', `unknown account "${e.toAccount}"`, at('toAccount')));
      else if (e.toAccount === e.account) out.push(issue('BAD_VALUE', 'transfer to the same account', at('toAccount')));
    }
    if (e.kind === 'transfer_in' && e.acquired > e.date) {
      out.push(issue('BAD_DATE', 'acquisition date is after the transfer', at('acquiredDate')));
    }
    if ('selection' in e && e.selection?.method === 'SPECIFIC') {
      if (e.selection.lots.length === 0) out.push(issue('UNKNOWN_LOT', 'specific-lot selection names no lots', at('lots')));
      for (const pick of e.selection.lots) {
        if (pick.shares !== undefined && pick.shares <= 0) {
          out.push(issue('NOT_POSITIVE', `shares for lot "${pick.lot}" must be positive`, at('lots')));
        }
      }
    }
  }
  return out;
}

type NumericField = readonly [field: string, unit: Unit, value: number, allowZero: boolean];

function numericFields(e: LedgerEvent): NumericField[] {
  switch (e.kind) {
    case 'buy':
    case 'sell':
    case 'dividend_reinvest':
      return [['shares', 'shares', e.shares, false], ['price', 'price', e.price, true], ['fees', 'usd', e.fees, true]];
    case 'dividend':
    case 'deposit':
    case 'withdrawal':
    case 'fee':
      return [['amount', 'usd', e.amount, false]];
    case 'split':
      return [['splitFrom', 'shares', e.from, false], ['splitTo', 'shares', e.to, false]];
    case 'transfer_in':
      return [['shares', 'shares', e.shares, false], ['basis', 'usd', e.basis, true], ['washAdjustment', 'usd', e.washAdjustment ?? 0, true]];
    case 'transfer':
    case 'transfer_out':
      return [['shares', 'shares', e.shares, false]];
  }
}
