/**
 * The bulk scan applies the same harvest rule as `decide`. On random households whose losses are
 * worth a constant amount per dollar (large realized gains, so the tax model is linear) and with
 * the cross-account lock-out off, one lot per asset class, every lot gets the same verdict both ways — except where the
 * net benefit is within a dollar of zero (cent rounding), where `decide` saw a trade planned
 * earlier the same day (the scan prices each lot against the start-of-day state), and where
 * several lots of one security are sold together (the scan is per lot, and more cautious). Both
 * the lots the scan's cells settle and the ones it evaluates in full are compared.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { book } from '../../ledger/booking.js';
import { addDays, type Day } from '../../kernel/calendar.js';
import type { LedgerEvent } from '../../ledger/events.js';
import { usd, type Price, type Shares, type Usd } from '../../kernel/exact.js';
import { accountId, eventId, symbol, type Household } from '../../ledger/household.js';
import { DEFAULT_CONFIG, type HarvestConfig, type MarketView } from '../config.js';
import { buildColumns } from './columns.js';
import { StoppingTables } from '../stopping/opportunityCost.js';
import { decide } from '../policy.js';
import type { Verdict } from '../proposals.js';
import { lossKernel, lotColumns, scanLots, VERDICT } from './scan.js';
import { householdState } from '../state.js';
import { FEDERAL_2025, UNIVERSE, day, rate } from '../testHousehold.test-util.js';
import { checkProperty } from '../../kernel/property.test-util.js';

const SYMBOLS = ['VTI', 'SCHB', 'ITOT', 'VEA', 'SCHF', 'BND', 'AGG', 'VCIT', 'VNQ', 'SCHH', 'USRT'];
/** One lot per asset class, so no harvest of the day changes another lot's alternates. */
const CLASS_OF: Record<string, string> = { VTI: 'us', SCHB: 'us', ITOT: 'us', VEA: 'dev', SCHF: 'dev', BND: 'bond', AGG: 'bond', VCIT: 'bond', VNQ: 're', SCHH: 're', USRT: 're' };
const CODE: Record<Verdict, number> = {
  harvest: VERDICT.harvest,
  below_minimum: VERDICT.belowMinimum,
  below_threshold: VERDICT.belowThreshold,
  costs_exceed_benefit: VERDICT.costsExceedBenefit,
  recent_purchase_would_wash: VERDICT.recentPurchaseWouldWash,
  no_alternate: VERDICT.noAlternate,
  bought_today: -1,
  locked_by_account: -1,
  not_in_universe: -1,
};
const TABLES = new StoppingTables();
const HOUSEHOLD: Household = {
  settings: { filingStatus: 'single', lotMethod: 'FIFO', substantiallyIdentical: { policy: 'same_symbol', groups: [], matchCusip: false } },
  accounts: [
    { id: accountId('taxable'), type: 'taxable', owner: 'self' },
    { id: accountId('ira'), type: 'traditional_ira', owner: 'self' },
  ],
  securities: [],
};

const buy = fc.record({ symbol: fc.constantFrom(...SYMBOLS), ira: fc.boolean(), daysAgo: fc.integer({ min: 1, max: 500 }), shares: fc.integer({ min: 1, max: 400 }), price: fc.integer({ min: 20, max: 300 }) });
const lossSale = fc.record({ symbol: fc.constantFrom(...SYMBOLS), daysAgo: fc.integer({ min: 1, max: 40 }) });

/**
 * Compares the scan's verdicts with decide's on random households under `config`: the lots whose
 * verdict was harvest or costs exceed benefit, and the candidates the scan evaluated in full.
 */
function compareWithDecide(config: HarvestConfig, numRuns: number): { settled: number; evaluated: number } {
  const date = day('2025-06-02');
  let settled = 0;
  let evaluated = 0;
  checkProperty(
    fc.property(fc.uniqueArray(buy, { selector: (b) => CLASS_OF[b.symbol] as string, minLength: 1, maxLength: 4 }), fc.array(lossSale, { maxLength: 2 }), fc.double({ min: 0.7, max: 1.2, noNaN: true }), (buys, sales, move) => {
      const events: LedgerEvent[] = [];
      const ordered = [...buys.map((b) => ({ ...b, kind: 'buy' as const })), ...sales.map((s) => ({ ...s, kind: 'sale' as const }))].sort((a, b) => b.daysAgo - a.daysAgo);
      let n = 0;
      for (const e of ordered) {
        const d = addDays(date, -e.daysAgo) as Day;
        if (e.kind === 'buy') {
          events.push({ id: eventId(`b${++n}`), date: d, account: accountId(e.ira ? 'ira' : 'taxable'), kind: 'buy', symbol: symbol(e.symbol), shares: (e.shares * 1e6) as Shares, price: (e.price * 1e8) as Price, fees: 0 as Usd });
        } else {
          // A loss sale of a lot bought and sold the same day, far from any other lot.
          events.push({ id: eventId(`s${++n}a`), date: d, account: accountId('taxable'), kind: 'buy', symbol: symbol(e.symbol), shares: 1e6 as Shares, price: 100e8 as Price, fees: 0 as Usd });
          events.push({ id: eventId(`s${n}b`), date: d, account: accountId('taxable'), kind: 'sell', symbol: symbol(e.symbol), shares: 1e6 as Shares, price: 90e8 as Price, fees: 0 as Usd });
        }
      }
      const ledger = book(HOUSEHOLD, events);
      if (!ledger.ok) return;
      const booked = householdState({
        date,
        events,
        ledger: ledger.value,
        targets: new Map(),
        tax: {
          table: FEDERAL_2025,
          profile: { filingStatus: 'single', income: { kind: 'taxable', ordinaryTaxableIncome: usd('400000') } },
          rates: { ordinary: rate('0.37'), shortTerm: rate('0.37'), longTerm: rate('0.20') },
        },
      });
      // Gains this year far larger than any loss here: every loss is worth its rate, linearly.
      const state = { ...booked, tax: { ...booked.tax, profile: { ...booked.tax.profile, realized: { shortTerm: usd('5000000'), longTerm: usd('5000000') } } } };
      const closes = new Map(SYMBOLS.map((s, i) => [symbol(s), Math.round((80 + 20 * i) * move * 100) / 100]));
      const market: MarketView = { date, close: (s) => closes.get(s) };
      const proposals = decide(date, { ...state, targets: new Map() }, market, { universe: UNIVERSE, config, tables: TABLES });
      const cols = buildColumns([state], UNIVERSE, market, date, TABLES, config);
      const result = scanLots(date, cols.lots, cols.securities, cols.households, cols.buckets, config);
      for (const c of proposals.candidates) {
        if (CODE[c.verdict] < 0 || (c.economics !== undefined && Math.abs(c.economics.net - (c.economics.marketValue * config.minNetBenefitBps) / 10_000) < 100)) continue;
        // decide sells a security's harvestable lots in one sale, where none replaces another; the
        // per-lot scan counts the other recent lot as a replacement (it only ever skips more).
        if (state.lots.filter((l) => l.account === c.account && l.symbol === c.symbol).length > 1) continue;
        const row = state.lots.filter((l) => cols.symbols.includes(l.symbol)).findIndex((l) => l.id === c.lotId && l.account === c.account);
        expect([c.lotId, result.verdicts[row]]).toEqual([c.lotId, CODE[c.verdict]]);
        if (c.verdict === 'harvest' || c.verdict === 'costs_exceed_benefit') settled++;
      }
      evaluated += result.evaluated;
    }),
    { numRuns },
  );
  return { settled, evaluated };
}

describe('the bulk scan', () => {
  it('gives every lot the verdict decide gives it', () => {
    // Lots compared whose verdict the cells settled, and lots evaluated in full: both paths are checked.
    const { settled, evaluated } = compareWithDecide({ ...DEFAULT_CONFIG, lockAcrossAccounts: false }, 300);
    expect(settled).toBeGreaterThan(evaluated);
    expect(evaluated).toBeGreaterThan(0);
  });

  it('gives the same verdicts with commissions, where the cells do not hold and every candidate is evaluated in full', () => {
    const { settled, evaluated } = compareWithDecide({ ...DEFAULT_CONFIG, lockAcrossAccounts: false, commission: usd('4.95') }, 150);
    expect(settled).toBeGreaterThan(0);
    expect(evaluated).toBeGreaterThanOrEqual(settled);
  });

  it('counts the same losses as the bare kernel when every lot is taxable and the threshold is the minimum loss', () => {
    const lots = { ...lotColumns(4), security: Int32Array.from([0, 0, 1, 1]), shares: Float64Array.from([10e6, 10e6, 5e6, 5e6]), basis: Float64Array.from([100_000, 90_000, 30_000, 60_000]) };
    const securities = { count: 2, close: Float64Array.from([95, 100]), assetClass: new Int32Array(2), group: Int32Array.from([0, 1]), halfSpreadBps: new Float64Array(2), alternates: Int32Array.from([1, -1, 0, -1]) };
    expect(lossKernel(lots, securities, 2500)).toBe(2);
  });
});
