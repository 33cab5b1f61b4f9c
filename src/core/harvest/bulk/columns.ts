/**
 * Columns for the bulk scan, built from exact household states: one row per open lot, the
 * securities of the universe (closes of the day, classes, wash-sale groups, spreads, alternates),
 * and per household its wash-sale facts and tax bucket (marginal loss values and the stopping
 * tables for them). The scan then decides every household's lots in one pass.
 */
import type { Day } from '../../kernel/calendar.js';
import type { Usd } from '../../kernel/exact.js';
import { taxableAccounts, type Symbol } from '../../ledger/household.js';
import { lossContext, marginalLossValue } from '../../tax/lossValue.js';
import { alternatesFor, substantiallyIdentical, type Universe, type UniverseSecurity } from '../../securities/universe.js';
import { WASH_WINDOW_DAYS } from '../../ledger/washSales.js';
import { DEFAULT_CONFIG, type HarvestConfig, type MarketView } from '../config.js';
import { kappa } from '../economics.js';
import type { StoppingTable, StoppingTables } from '../stopping/opportunityCost.js';
import { householdMasks, taxBucket, lotColumns, NO_SALE, REPLACEABLE, TAXABLE, type HouseholdColumns, type SecurityColumns, type TaxBucket, type LotColumns } from './scan.js';
import type { HouseholdState } from '../state.js';

export interface ScanInput {
  readonly lots: LotColumns;
  readonly securities: SecurityColumns;
  readonly households: HouseholdColumns;
  readonly buckets: readonly TaxBucket[];
  readonly symbols: readonly Symbol[];
}

/** Securities of the universe as columns; identical funds (same index on `date`) share a group. */
export function securityColumns(universe: Universe, market: MarketView, date: Day, config: HarvestConfig = DEFAULT_CONFIG): { columns: SecurityColumns; symbols: Symbol[]; index: Map<Symbol, number> } {
  const all: { s: UniverseSecurity; cls: number }[] = [];
  universe.classes.forEach((c, ci) => c.securities.forEach((s) => all.push({ s, cls: ci })));
  const n = all.length;
  const index = new Map<Symbol, number>(all.map((x, i) => [x.s.symbol, i]));
  const group = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    group[i] = i;
    for (let j = 0; j < i; j++) if (substantiallyIdentical((all[i] as (typeof all)[number]).s, (all[j] as (typeof all)[number]).s, date)) group[i] = group[j] as number;
  }
  const alternates = new Int32Array(n * 2).fill(-1);
  all.forEach((x, i) => {
    alternatesFor(universe, x.s.symbol, date)
      .filter((a) => market.close(a.symbol) !== undefined)
      .slice(0, 2)
      .forEach((a, k) => (alternates[i * 2 + k] = index.get(a.symbol) ?? -1));
  });
  return {
    columns: {
      count: n,
      close: Float64Array.from(all, (x) => market.close(x.s.symbol) ?? NaN),
      assetClass: Int32Array.from(all, (x) => x.cls),
      group,
      halfSpreadBps: Float64Array.from(all, (x) => config.halfSpreadBps.get(x.s.symbol) ?? x.s.halfSpreadBps),
      alternates,
    },
    symbols: all.map((x) => x.s.symbol),
    index,
  };
}

/** The stopping tables a bucket with these loss values needs: per class, term and usable alternates (1, 2). */
export function bucketTables(universe: Universe, shortTerm: number, longTerm: number, halfSpread: (s: Symbol) => number, tables: StoppingTables): StoppingTable[] {
  const out: StoppingTable[] = [];
  for (const c of universe.classes) {
    const [a, b] = c.securities;
    const k = kappa({ sellHalfSpreadBps: a ? halfSpread(a.symbol) : 0, buyHalfSpreadBps: b ? halfSpread(b.symbol) : 0, commission: 0 as Usd }, shortTerm);
    for (const rho of [1, shortTerm > 0 ? longTerm / shortTerm : 1]) {
      for (const alternates of [1, 2]) out.push(tables.get({ mu: c.expectedReturn.value, sigma: c.volatility.value, kappa: k, rho, alternates }));
    }
  }
  return out;
}

/**
 * `bucketStep`, when given, rounds each household's marginal loss values up to a multiple of it,
 * so that households with nearly the same rates share a bucket (its tables and bands are worked
 * out once). Rounding up values a loss a little higher: the scan then errs towards calling it a
 * harvest, which a screen may do (`decide` settles it exactly).
 */
export function buildColumns(states: readonly HouseholdState[], universe: Universe, market: MarketView, date: Day, tables: StoppingTables, config: HarvestConfig = DEFAULT_CONFIG, bucketStep?: number): ScanInput {
  const sec = securityColumns(universe, market, date, config);
  const groups = sec.columns.count;
  const rows = states.reduce((n, s) => n + s.lots.filter((l) => sec.index.has(l.symbol)).length, 0);
  const lots = lotColumns(rows);
  const arrays = {
    count: states.length,
    groups,
    bucket: new Int32Array(states.length),
    recentPurchases: new Uint16Array(states.length * groups),
    lastLossSale: new Int32Array(states.length * groups).fill(NO_SALE),
  };
  const households = arrays;
  const buckets: TaxBucket[] = [];
  const bucketOf = new Map<string, number>();
  const halfSpread = (s: Symbol): number => sec.columns.halfSpreadBps[sec.index.get(s) as number] as number;
  let r = 0;
  states.forEach((state, h) => {
    const exactValues = marginalLossValue(lossContext(state.tax.table, state.tax.profile, state.tax.rates, config.lossValue));
    const up = (v: number): number => (bucketStep === undefined ? v : Math.ceil(v / bucketStep - 1e-9) * bucketStep);
    const marginal = { shortTerm: up(exactValues.shortTerm), longTerm: up(exactValues.longTerm) };
    const key = `${marginal.shortTerm}|${marginal.longTerm}`;
    let b = bucketOf.get(key);
    if (b === undefined) {
      b = buckets.length;
      const t = bucketTables(universe, marginal.shortTerm, marginal.longTerm, halfSpread, tables);
      buckets.push(taxBucket(marginal.shortTerm, marginal.longTerm, t, sec.columns, config.minNetBenefitBps));
      bucketOf.set(key, b);
    }
    households.bucket[h] = b;
    const taxable = taxableAccounts(state.household);
    for (const t of state.trades) {
      const s = sec.index.get(t.symbol);
      if (t.side !== 'sell' || !t.lossSale || s === undefined) continue;
      const at = h * groups + (sec.columns.group[s] as number);
      households.lastLossSale[at] = Math.max(households.lastLossSale[at] as number, t.date);
    }
    for (const lot of state.lots) {
      const s = sec.index.get(lot.symbol);
      if (s === undefined) continue;
      const replaceable = lot.purchase && !lot.replacement;
      if (replaceable && lot.acquired >= date - WASH_WINDOW_DAYS) {
        const at = h * groups + (sec.columns.group[s] as number);
        households.recentPurchases[at] = (households.recentPurchases[at] as number) + 1;
      }
      lots.security[r] = s;
      lots.shares[r] = lot.shares;
      lots.basis[r] = lot.basis;
      lots.household[r] = h;
      lots.acquired[r] = lot.acquired;
      lots.heldFrom[r] = lot.heldFrom;
      lots.flags[r] = (taxable.has(lot.account) ? TAXABLE : 0) | (replaceable ? REPLACEABLE : 0);
      r++;
    }
  });
  return { lots, securities: sec.columns, households: householdMasks(households, date, lots), buckets, symbols: sec.symbols };
}
