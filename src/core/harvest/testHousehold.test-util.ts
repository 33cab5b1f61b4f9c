/**
 * Builds the policy's inputs for tests: a household in the scenario notation, the day's closes,
 * a tax profile, targets, and the real universe and 2025 federal tables from data/.
 */
import { loadUniverse } from '../../adapters/files/universeFile.js';
import { loadFederalTable } from '../../adapters/files/taxInput.js';
import { book } from '../ledger/booking.js';
import { parseDay, type Day } from '../kernel/calendar.js';
import type { Usd } from '../kernel/exact.js';
import { accountId, symbol, type Symbol } from '../ledger/household.js';
import { parseRate, type Rate } from '../tax/rate.js';
import type { FederalTaxTable } from '../tax/taxTables.js';
import type { Universe } from '../securities/universe.js';
import { scenario } from '../ledger/scenario.test-util.js';
import type { MarketView } from './config.js';
import { householdState, type HouseholdState, type Targets } from './state.js';

function must<T>(r: { ok: true; value: T } | { ok: false; issues: readonly unknown[] }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

export const UNIVERSE: Universe = must(loadUniverse());
export const FEDERAL_2025: FederalTaxTable = must(loadFederalTable(2025));

export const rate = (s: string): Rate => {
  const r = parseRate(s);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};

export function day(s: string): Day {
  return parseDay(s) as Day;
}

export function market(date: string, closes: Record<string, number>): MarketView {
  const m = new Map<Symbol, number>(Object.entries(closes).map(([k, v]) => [symbol(k), v]));
  return { date: day(date), close: (s) => m.get(s) };
}

export interface TestHousehold {
  readonly text: string;
  readonly date: string;
  readonly targets?: Record<string, Record<string, number>>;
  readonly withdrawals?: Record<string, string>;
  /** Ordinary taxable income and rates (ST = ordinary, LT) of a single filer. */
  readonly income?: string;
  readonly rates?: { ordinary: string; shortTerm: string; longTerm: string };
}

export function testState(h: TestHousehold): HouseholdState {
  const s = scenario(h.text);
  const date = day(h.date);
  const ledger = must(book(s.household, s.events, { through: date }));
  const r = h.rates ?? { ordinary: '0.35', shortTerm: '0.35', longTerm: '0.20' };
  return householdState({
    date,
    events: s.events,
    ledger,
    targets: new Map(Object.entries(h.targets ?? {}).map(([a, t]) => [accountId(a), new Map(Object.entries(t)) as Targets])),
    withdrawals: new Map(Object.entries(h.withdrawals ?? {}).map(([a, v]) => [accountId(a), Math.round(Number(v) * 100) as Usd])),
    tax: {
      table: FEDERAL_2025,
      profile: { filingStatus: 'single', income: { kind: 'taxable', ordinaryTaxableIncome: Math.round(Number(h.income ?? '250000') * 100) as Usd } },
      rates: { ordinary: rate(r.ordinary), shortTerm: rate(r.shortTerm), longTerm: rate(r.longTerm) },
    },
  });
}
