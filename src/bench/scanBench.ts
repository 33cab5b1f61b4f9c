/**
 * The daily scan benchmark: N households × ~40 lots (a mix of taxable and IRA accounts, about 5 %
 * of lots at a loss) priced at the real closes of one day, decided by `scanLots` — the harvest rule
 * of the daily policy on columns — and, over the same arrays in the same run, by the bare kernel
 * that only tests "unrealized loss below threshold". Reports both rates and their ratio (min,
 * median and max over the rounds, each round timing both back to back, so a noisy neighbour slows
 * both alike) and peak memory per lot. The households' lots are generated (positions, bases and dates); prices are real.
 */
import { parseDay, type Day } from '../core/kernel/calendar.js';
import { DEFAULT_CONFIG } from '../core/harvest/config.js';
import { bucketTables, securityColumns } from '../core/harvest/bulk/columns.js';
import { StoppingTables } from '../core/harvest/stopping/opportunityCost.js';
import { householdMasks, lossKernel, lotColumns, NO_SALE, REPLACEABLE, scanLots, scanScratch, TAXABLE, taxBucket, type HouseholdColumns, type LotColumns, type SecurityColumns, type TaxBucket } from '../core/harvest/bulk/scan.js';
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
    return taxBucket(st, lt, t, sec.columns, DEFAULT_CONFIG.minNetBenefitBps);
  });
  return { date, lots, securities: sec.columns, households: householdMasks(arrays, date, lots), buckets };
}

/** Minimum, median and maximum of a few repetitions. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

function spread(xs: readonly number[]): Spread {
  const sorted = [...xs].sort((a, b) => a - b);
  return { min: sorted[0] as number, median: sorted[Math.floor(sorted.length / 2)] as number, max: sorted[sorted.length - 1] as number };
}

export interface ScanFigures {
  readonly lots: number;
  readonly rounds: number;
  /** Median seconds of the full decision. */
  readonly seconds: number;
  readonly lotsPerSecond: number;
  readonly kernelLotsPerSecond: number;
  /** Median over the rounds of kernel time / full time, each round timing both back to back. */
  readonly ratio: number;
  /** Lots per second of the full decision and of the kernel, and their ratio per round: min, median, max. */
  readonly full: Spread;
  readonly kernel: Spread;
  readonly ratios: Spread;
  /**
   * The same ratio from the process's CPU time instead of the clock: on a machine shared with
   * other work it leaves out the time the process waited for a core (not the caches it shares).
   */
  readonly cpuRatios: Spread;
  readonly peakRssMb: number;
  /** Peak resident memory beyond what the process held before the lots were built, per lot. */
  readonly peakBytesPerLot: number;
  /** Bytes per lot of the arrays the scan reads and writes (lot columns and verdicts). */
  readonly arrayBytesPerLot: number;
  readonly candidates: number;
  /** Candidates the cells did not settle (evaluated in full). */
  readonly evaluated: number;
  readonly harvests: number;
  readonly kernelHits: number;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Times the bare kernel and the full decision back to back, `rounds` times, after a warm-up.
 * `baselineRss`: the process's resident bytes before the world was built.
 */
export function measureScan(w: ScanWorld, rounds: number, baselineRss: number): ScanFigures {
  // A daily run keeps its buffers from one day to the next.
  const out = scanScratch(w.lots.count);
  let result = scanLots(w.date, w.lots, w.securities, w.households, w.buckets, DEFAULT_CONFIG, out);
  let hits = lossKernel(w.lots, w.securities, DEFAULT_CONFIG.minLoss);
  const full: number[] = [];
  const kernel: number[] = [];
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let c = cpuSeconds();
    let t = performance.now();
    hits = lossKernel(w.lots, w.securities, DEFAULT_CONFIG.minLoss);
    const k = (performance.now() - t) / 1000;
    const kc = cpuSeconds() - c;
    c = cpuSeconds();
    t = performance.now();
    result = scanLots(w.date, w.lots, w.securities, w.households, w.buckets, DEFAULT_CONFIG, out);
    const f = (performance.now() - t) / 1000;
    const fc = cpuSeconds() - c;
    kernel.push(w.lots.count / k);
    full.push(w.lots.count / f);
    ratios.push(k / f);
    cpuRatios.push(kc / fc);
  }
  const fullRate = spread(full);
  const kernelRate = spread(kernel);
  const ratio = spread(ratios);
  const peak = process.resourceUsage().maxRSS * 1024;
  const c = w.lots;
  const arrayBytes = c.household.BYTES_PER_ELEMENT + c.security.BYTES_PER_ELEMENT + c.shares.BYTES_PER_ELEMENT + c.basis.BYTES_PER_ELEMENT + c.heldFrom.BYTES_PER_ELEMENT + c.acquired.BYTES_PER_ELEMENT + c.flags.BYTES_PER_ELEMENT + out.verdicts.BYTES_PER_ELEMENT;
  return {
    lots: w.lots.count,
    rounds,
    seconds: w.lots.count / fullRate.median,
    lotsPerSecond: fullRate.median,
    kernelLotsPerSecond: kernelRate.median,
    ratio: ratio.median,
    full: fullRate,
    kernel: kernelRate,
    ratios: ratio,
    cpuRatios: spread(cpuRatios),
    peakRssMb: Math.round(peak / 2 ** 20),
    peakBytesPerLot: (peak - baselineRss) / w.lots.count,
    arrayBytesPerLot: arrayBytes,
    candidates: result.candidates,
    evaluated: result.evaluated,
    harvests: result.harvests,
    kernelHits: hits,
  };
}

/** Loads what the scan benchmark needs and measures `households` households. */
export function runScanBench(households: number, prices: PriceBook, universe: Universe, rounds = 7): ScanFigures & { readonly setupSeconds: number; readonly tables: number } {
  const tables = new StoppingTables();
  const baselineRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const world = scanWorld(households, prices, universe, tables);
  const setupSeconds = (performance.now() - t0) / 1000;
  return { ...measureScan(world, rounds, baselineRss), setupSeconds, tables: tables.size };
}
