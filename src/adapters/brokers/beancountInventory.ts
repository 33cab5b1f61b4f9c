/**
 * Beancount's inventory of lots per account and commodity, kept while importing so a reduction's
 * cost spec (`{540.12 USD, 2025-01-06}`, `{"label"}`, `{}`) resolves to the lots beancount would
 * reduce — named by the id of the event that acquired them, the names Lotsmith's specific-lot
 * sales use. Matching follows beancount: every component given must match; several matches are
 * resolved by the account's booking method (FIFO oldest first, LIFO newest, HIFO highest cost;
 * STRICT only when the reduction takes all of them).
 */
import type { Day } from '../../core/kernel/calendar.js';
import type { Price, Shares } from '../../core/kernel/exact.js';

export interface SimLot {
  /** Id of the event that acquired the lot (kept through transfers and splits). */
  readonly origin: string;
  /** The exact Lotsmith lot part, when the file names it (`lotsmith-lot`). */
  units: number;
  perUnit: Price;
  readonly date: Day;
  readonly label: string | undefined;
  readonly seq: number;
}

export interface Matcher {
  readonly perUnit?: Price;
  readonly date?: Day;
  readonly label?: string;
}

export interface Pick {
  readonly origin: string;
  readonly shares: Shares;
}

export type Booking = 'STRICT' | 'STRICT_WITH_SIZE' | 'FIFO' | 'LIFO' | 'HIFO' | 'NONE' | 'AVERAGE';

export class Inventory {
  private readonly lots = new Map<string, SimLot[]>();
  private seq = 0;

  private list(account: string, currency: string): SimLot[] {
    const k = `${account}\u0000${currency}`;
    let l = this.lots.get(k);
    if (l === undefined) {
      l = [];
      this.lots.set(k, l);
    }
    return l;
  }

  add(account: string, currency: string, lot: Omit<SimLot, 'seq'>): void {
    this.list(account, currency).push({ ...lot, seq: this.seq++ });
  }

  held(account: string, currency: string): readonly SimLot[] {
    return this.list(account, currency);
  }

  /** Takes `want` units matching `m`, or explains why beancount would refuse the reduction. */
  reduce(account: string, currency: string, want: number, m: Matcher, booking: Booking): { ok: true; picks: Pick[] } | { ok: false; code: 'OVERSELL' | 'UNKNOWN_LOT'; reason: string } {
    const all = this.list(account, currency);
    const matches = all.filter((l) => (m.perUnit === undefined || l.perUnit === m.perUnit) && (m.date === undefined || l.date === m.date) && (m.label === undefined || l.label === m.label));
    const held = matches.reduce((s, l) => s + l.units, 0);
    if (matches.length === 0) return { ok: false, code: 'UNKNOWN_LOT', reason: `no lot of ${currency} in ${account} matches the cost spec` };
    if (held < want) return { ok: false, code: 'OVERSELL', reason: `the matching lots of ${currency} hold ${held / 1e6} units, fewer than the ${want / 1e6} reduced` };
    let order: SimLot[];
    if (matches.length === 1 || held === want) order = matches;
    else if (booking === 'FIFO') order = [...matches].sort((a, b) => a.date - b.date || a.seq - b.seq);
    else if (booking === 'LIFO') order = [...matches].sort((a, b) => b.date - a.date || b.seq - a.seq);
    else if (booking === 'HIFO') order = [...matches].sort((a, b) => b.perUnit - a.perUnit || a.date - b.date || a.seq - b.seq);
    else if (booking === 'STRICT' || booking === 'STRICT_WITH_SIZE') {
      const exact = booking === 'STRICT_WITH_SIZE' ? matches.filter((l) => l.units === want) : [];
      if (exact.length > 0) order = [exact[0] as SimLot];
      else return { ok: false, code: 'UNKNOWN_LOT', reason: `the cost spec matches ${matches.length} lots of ${currency} and the booking method is ${booking}: name the lot (cost, date or label)` };
    } else return { ok: false, code: 'UNKNOWN_LOT', reason: `booking method ${booking} is not supported (lots must be tracked individually)` };
    const picks: Pick[] = [];
    let left = want;
    for (const lot of order) {
      if (left <= 0) break;
      const take = Math.min(lot.units, left);
      lot.units -= take;
      left -= take;
      const last = picks[picks.length - 1];
      if (last !== undefined && last.origin === lot.origin) picks[picks.length - 1] = { origin: lot.origin, shares: (last.shares + take) as Shares };
      else picks.push({ origin: lot.origin, shares: take as Shares });
    }
    this.lots.set(`${account}\u0000${currency}`, all.filter((l) => l.units > 0));
    return { ok: true, picks };
  }

  /** Removes every lot of `currency` in `account` (a split replaces them). */
  clear(account: string, currency: string): SimLot[] {
    const all = [...this.list(account, currency)];
    this.lots.set(`${account}\u0000${currency}`, []);
    return all;
  }

  accountsHolding(currency: string): string[] {
    const out: string[] = [];
    for (const [k, l] of this.lots) {
      const [account, cur] = k.split('\u0000');
      if (cur === currency && l.some((x) => x.units > 0)) out.push(account as string);
    }
    return out;
  }
}
