/**
 * Properties over thousands of random households (taxable, spouse, IRA and Roth accounts; a group
 * of substantially identical securities; buys, sells with every lot method, reinvested dividends,
 * splits, transfers): the ledger invariants hold, allowed + disallowed = raw loss, and the result
 * does not depend on the order accounts are listed in.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { book } from './booking.js';
import type { Ledger } from './ledger.js';
import { addDays, parseDay, type Day } from '../kernel/calendar.js';
import type { LedgerEvent, LotSelection } from './events.js';
import { scaleBy, type Price, type Shares, type Usd } from '../kernel/exact.js';
import { accountId, eventId, symbol, type Account, type Household } from './household.js';
import { checkInvariants } from './invariants.js';
import { checkProperty } from '../kernel/property.test-util.js';

const ACCOUNTS: Account[] = [
  { id: accountId('joint'), type: 'taxable', owner: 'self' },
  { id: accountId('spouse'), type: 'taxable', owner: 'spouse' },
  { id: accountId('ira'), type: 'traditional_ira', owner: 'self' },
  { id: accountId('roth'), type: 'roth_ira', owner: 'spouse' },
];
const SYMBOLS = [symbol('VOO'), symbol('IVV'), symbol('VTI')];
const METHODS: LotSelection[] = [{ method: 'FIFO' }, { method: 'LIFO' }, { method: 'HIFO' }, { method: 'TAX_MIN' }];

const household = (accounts: Account[]): Household => ({
  settings: {
    filingStatus: 'married_filing_jointly',
    lotMethod: 'FIFO',
    substantiallyIdentical: { policy: 'groups', groups: [[symbol('VOO'), symbol('IVV')]], matchCusip: false },
  },
  accounts,
  securities: SYMBOLS.map((s) => ({ symbol: s })),
});

const step = fc.record({
  gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 13, max: 45 })),
  kind: fc.constantFrom('buy', 'buy', 'buy', 'sell', 'sell', 'sell', 'drip', 'transfer', 'transfer_out', 'split'),
  account: fc.integer({ min: 0, max: 3 }),
  other: fc.integer({ min: 0, max: 3 }),
  symbol: fc.integer({ min: 0, max: 2 }),
  micro: fc.integer({ min: 1_000, max: 300_000_000 }),
  fraction: fc.integer({ min: 1, max: 100 }),
  price: fc.integer({ min: 5_00, max: 500_00 }),
  method: fc.integer({ min: 0, max: 3 }),
  fee: fc.integer({ min: 0, max: 500 }),
});

/** Turns random steps into a valid event list, tracking holdings so sales never exceed them. */
function events(steps: readonly (typeof step extends fc.Arbitrary<infer T> ? T : never)[]): LedgerEvent[] {
  const held = new Map<string, number>();
  const key = (a: number, s: number): string => `${a}:${s}`;
  let date = parseDay('2024-01-02') as Day;
  const out: LedgerEvent[] = [];
  steps.forEach((st, i) => {
    date = addDays(date, st.gap);
    const id = eventId(`e${i}`);
    const account = (ACCOUNTS[st.account] as Account).id;
    const sym = SYMBOLS[st.symbol] as ReturnType<typeof symbol>;
    const price = (st.price * 1_000_000) as Price;
    const have = held.get(key(st.account, st.symbol)) ?? 0;
    const part = Math.max(1, Math.floor((have * st.fraction) / 100)) as Shares;
    switch (st.kind) {
      case 'buy':
      case 'drip':
        out.push({ id, date, account, kind: st.kind === 'buy' ? 'buy' : 'dividend_reinvest', symbol: sym, shares: st.micro as Shares, price, fees: st.fee as Usd });
        held.set(key(st.account, st.symbol), have + st.micro);
        break;
      case 'sell':
        if (have === 0) return;
        out.push({ id, date, account, kind: 'sell', symbol: sym, shares: part, price, fees: st.fee as Usd, selection: METHODS[st.method] as LotSelection });
        held.set(key(st.account, st.symbol), have - part);
        break;
      case 'transfer':
        if (have === 0 || st.other === st.account) return;
        out.push({ id, date, account, kind: 'transfer', symbol: sym, shares: part, toAccount: (ACCOUNTS[st.other] as Account).id });
        held.set(key(st.account, st.symbol), have - part);
        held.set(key(st.other, st.symbol), (held.get(key(st.other, st.symbol)) ?? 0) + part);
        break;
      case 'transfer_out':
        if (have === 0) return;
        out.push({ id, date, account, kind: 'transfer_out', symbol: sym, shares: part });
        held.set(key(st.account, st.symbol), have - part);
        break;
      case 'split': {
        const [to, from] = st.fraction % 2 === 0 ? [2, 1] : [1, 2];
        out.push({ id, date, kind: 'split', symbol: sym, to, from });
        for (let a = 0; a < ACCOUNTS.length; a++) {
          const h = held.get(key(a, st.symbol)) ?? 0;
          if (h > 0) held.set(key(a, st.symbol), scaleBy(h as Shares, to, from));
        }
        break;
      }
    }
  });
  return out;
}

function booked(accounts: Account[], evs: LedgerEvent[]): Ledger {
  const r = book(household(accounts), evs);
  if (!r.ok) throw new Error(JSON.stringify(r.issues.slice(0, 3)));
  return r.value;
}

const canonical = (l: Ledger): string[] => [
  ...l.dispositions.map((d) => JSON.stringify(d)),
  ...l.openLots.map((x) => JSON.stringify(x)).sort(),
];

describe('random households', () => {
  it('book without error and keep every invariant (shares, basis, one bite, no empty lots)', () => {
    checkProperty(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const evs = events(steps);
        const ledger = booked(ACCOUNTS, evs);
        expect(checkInvariants(evs, ledger)).toEqual([]);
      }),
      { numRuns: 2_000 },
    );
  });

  it('split every loss exactly: allowed loss + disallowed loss = raw loss, and reported = realized + adjustment', () => {
    checkProperty(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        for (const d of booked(ACCOUNTS, events(steps)).dispositions) {
          const reported = d.gain + d.disallowed;
          if (d.gain < 0) {
            const allowed = -reported;
            expect(allowed + d.disallowed).toBe(-d.gain);
            expect(allowed).toBeGreaterThanOrEqual(0);
          } else {
            expect(d.disallowed).toBe(0);
          }
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('do not depend on the order accounts are listed in', () => {
    checkProperty(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), fc.shuffledSubarray(ACCOUNTS, { minLength: 4, maxLength: 4 }), (steps, order) => {
        const evs = events(steps);
        expect(canonical(booked(order, evs))).toEqual(canonical(booked(ACCOUNTS, evs)));
      }),
      { numRuns: 1_000 },
    );
  });

  it('never wash anything when no two trades of a class fall within 30 days of each other', () => {
    checkProperty(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
        const spaced = steps.map((s) => ({ ...s, gap: 31 + s.gap, kind: s.kind === 'split' ? 'buy' : s.kind }));
        for (const d of booked(ACCOUNTS, events(spaced)).dispositions) expect(d.disallowed).toBe(0);
      }),
      { numRuns: 500 },
    );
  });
});
