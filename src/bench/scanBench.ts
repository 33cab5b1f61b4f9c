/**
 * The daily scan benchmark: N households × ~40 lots (a mix of taxable and IRA accounts, about 5 %
 * of lots at a loss) priced at the real closes of one day, decided by `scanLots` — the harvest rule
 * of the daily policy on columns — and, over the same arrays in the same run, by the bare kernel
 * that only tests "unrealized loss below threshold". Reports both rates, their ratio and peak
 * memory. The households' lots are generated (positions, bases and dates); prices are real.
 */
import { parseDay, type Day } from '../core/kernel/calendar.js';
import { DEFAULT_CONFIG } from '../core/harvest/config.js';
import { bucketTables, securityColumns } from '../core/harvest/bulk/columns.js';
import { StoppingTables } from '../core/harvest/stopping/opportunityCost.js';
import { bucketBands, householdMasks, lossKernel, lotColumns, NO_SALE, REPLACEABLE, scanLots, scanScratch, TAXABLE, type HouseholdColumns, type LotColumns, type SecurityColumns, type TaxBucket } from '../core/harvest/bulk/scan.js';
import type { PriceBook } from '../core/market/prices.js';
import { marketOn } from '../core/market/shareUnits.js';
import { prng } from '../core/kernel/random.js';
import type { Universe } from '../core/securities/universe.js';

export const SCAN_DATE = '2024-12-18';
const LOTS_PER_HOUSEHOLD = 40;
const LOSS_SHARE = 0.05;

/** Marginal values per dollar of loss (short, long) for eight typical households. */
const PROFILES: readonly (readonly [number, number])[] = [
  [0.22, 0.15], [0.24, 0.15], [0.32, 0.188], [0.35, 0.188], [0.37, 0.238], [0.413, 0.279], [0.466, 0.333], [0.12, 0],
];

export interface ScanWorld {
  readonly date: Day;
  readonly lots: LotColumns;
  readonly securities: SecurityColumns;
  readonly households: HouseholdColumns;
  readonly buckets: readonly TaxBucket[];
}

export function scanWorld(households: number, prices: PriceBook, universe: Universe, tables: StoppingTables): ScanWorld {
  const date = parseDay(SCAN_DATE) as Day;
  const sec = securityColumns(universe, marketOn(prices, date, 'split_adjusted'), date);
  const priced = [...Array(sec.columns.count).keys()].filter((s) => !Number.isNaN(sec.columns.close[s] as number));
  const n = households * LOTS_PER_HOUSEHOLD;
  const rand = prng(2024);
  const lots = lotColumns(n);
  for (let i = 0; i < n; i++) {
    const h = Math.floor(i / LOTS_PER_HOUSEHOLD);
    const s = priced[Math.floor(rand() * priced.length)] as number;
    const shares = Math.round((1 + rand() * 300) * 1e4) * 100;
    const value = (shares * (sec.columns.close[s] as number)) / 1e4;
    const atLoss = rand() < LOSS_SHARE;
    const acquired = date - 1 - Math.floor(rand() * 1500);
    lots.security[i] = s;
    lots.shares[i] = shares;
    lots.basis[i] = Math.round(atLoss ? value * (1.005 + rand() * 0.25) : value * (0.5 + rand() * 0.49));
    lots.household[i] = h;
    lots.acquired[i] = acquired;
    lots.heldFrom[i] = acquired;
    lots.flags[i] = (h % 3 === 2 && i % LOTS_PER_HOUSEHOLD >= 20 ? 0 : TAXABLE) | REPLACEABLE;
  }
  const groups = sec.columns.count;
  const arrays = {
    count: households,
    groups,
    bucket: Int32Array.from({ length: households }, (_, h) => h % PROFILES.length),
    recentPurchases: new Uint16Array(households * groups),
    lastLossSale: new Int32Array(households * groups).fill(NO_SALE),
  };
  for (let i = 0; i < n; i++) {
    if ((lots.acquired[i] as number) >= date - 30) {
      const at = (lots.household[i] as number) * groups + (sec.columns.group[lots.security[i] as number] as number);
      arrays.recentPurchases[at] = (arrays.recentPurchases[at] as number) + 1;
    }
  }
  for (let h = 0; h < households; h += 17) arrays.lastLossSale[h * groups + (priced[h % priced.length] as number)] = date - 10;
  const halfSpread = (s: string): number => sec.columns.halfSpreadBps[sec.index.get(s as never) as number] as number;
  const buckets = PROFILES.map(([st, lt]) => {
    const t = bucketTables(universe, st, lt, halfSpread, tables);
    return { shortTerm: st, longTerm: lt, tables: t, bands: bucketBands(st, lt, t, sec.columns, DEFAULT_CONFIG.minNetBenefitBps) };
  });
  return { date, lots, securities: sec.columns, households: householdMasks(arrays, date), buckets };
}

export interface ScanFigures {
  readonly lots: number;
  readonly seconds: number;
  readonly lotsPerSecond: number;
  readonly kernelLotsPerSecond: number;
  readonly ratio: number;
  readonly peakRssMb: number;
  readonly candidates: number;
  readonly harvests: number;
  readonly kernelHits: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Times the full decision and the bare kernel alternately, `rounds` times each, after a warm-up. */
export function measureScan(w: ScanWorld, rounds: number): ScanFigures {
  const config = { minLossCents: DEFAULT_CONFIG.minLoss, commissionCents: DEFAULT_CONFIG.commission, minNetBenefitBps: DEFAULT_CONFIG.minNetBenefitBps };
  // A daily run keeps its buffers from one day to the next.
  const out = scanScratch(w.lots.count);
  let result = scanLots(w.date, w.lots, w.securities, w.households, w.buckets, config, out);
  let hits = lossKernel(w.lots, w.securities, DEFAULT_CONFIG.minLoss);
  const full: number[] = [];
  const kernel: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    hits = lossKernel(w.lots, w.securities, DEFAULT_CONFIG.minLoss);
    kernel.push((performance.now() - t) / 1000);
    t = performance.now();
    result = scanLots(w.date, w.lots, w.securities, w.households, w.buckets, config, out);
    full.push((performance.now() - t) / 1000);
  }
  const seconds = median(full);
  const kernelSeconds = median(kernel);
  return {
    lots: w.lots.count,
    seconds,
    lotsPerSecond: w.lots.count / seconds,
    kernelLotsPerSecond: w.lots.count / kernelSeconds,
    ratio: kernelSeconds / seconds,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    candidates: result.candidates,
    harvests: result.harvests,
    kernelHits: hits,
  };
}

/** Loads what the scan benchmark needs and measures `households` households. */
export function runScanBench(households: number, prices: PriceBook, universe: Universe, rounds = 3): ScanFigures & { readonly setupSeconds: number; readonly tables: number } {
  const tables = new StoppingTables();
  const t0 = performance.now();
  const world = scanWorld(households, prices, universe, tables);
  const setupSeconds = (performance.now() - t0) / 1000;
  return { ...measureScan(world, rounds), setupSeconds, tables: tables.size };
}
