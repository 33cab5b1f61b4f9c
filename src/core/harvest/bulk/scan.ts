/**
 * The daily harvest decision over many households at once, on columns: one typed array per field,
 * one row per open lot (grouped by household), so a scan over millions of lots touches no object.
 * Ledger quantities stay exact scaled integers (micro-shares, cents) held in Float64Arrays; floats
 * appear only in the scoring.
 *
 * For every lot the scan applies the harvest rule of `decide` (harvest.ts), with the household's
 * losses priced at its marginal values per dollar (`TaxBucket`) — the linear form of the tax
 * model that bulk scoring needs: taxable lot at a loss -> loss at least the minimum -> no open
 * recent purchase of its class elsewhere in the household (wash sale) -> a free alternate ->
 * benefit - spread - commissions - opportunity cost > 0. Each lot gets a verdict code.
 *
 * `lossKernel` is the bare "unrealized loss below threshold" pass over the same arrays: the
 * baseline the benchmark compares the full decision with.
 */
import type { Day } from '../../kernel/calendar.js';
import { longTermFrom } from '../../ledger/holdingPeriod.js';
import { WASH_WINDOW_DAYS } from '../../ledger/washSales.js';
import { spreadDollars } from '../economics.js';
import { decisionBand, layer, lockUnits, opportunityInLayer, type StoppingTable } from '../stopping/opportunityCost.js';

export const TAXABLE = 1;
/** Acquired by purchase and not yet used as a wash-sale replacement: it can wash a loss. */
export const REPLACEABLE = 2;

export const VERDICT = {
  none: 0,
  harvest: 1,
  belowMinimum: 2,
  costsExceedBenefit: 3,
  recentPurchaseWouldWash: 4,
  noAlternate: 5,
} as const;

/**
 * Lots as columns, one array per field. Dense arrays keep even the fields read only for the few
 * lots at a loss cheap: their cache lines arrive in order, ahead of use (interleaving those fields
 * per lot was measured slower: each candidate then waits for a line of its own).
 */
export interface LotColumns {
  readonly count: number;
  readonly household: Int32Array;
  readonly security: Int32Array;
  /** Micro-shares (exact integers). */
  readonly shares: Float64Array;
  /** Cents (exact integers), wash adjustments included. */
  readonly basis: Float64Array;
  /** Adjusted acquisition date (holding period). */
  readonly heldFrom: Int32Array;
  readonly acquired: Int32Array;
  readonly flags: Uint8Array;
}

/** Empty columns for `count` lots. */
export function lotColumns(count: number): LotColumns {
  return {
    count,
    household: new Int32Array(count),
    security: new Int32Array(count),
    shares: new Float64Array(count),
    basis: new Float64Array(count),
    heldFrom: new Int32Array(count),
    acquired: new Int32Array(count),
    flags: new Uint8Array(count),
  };
}

export interface SecurityColumns {
  readonly count: number;
  /** Today's close in dollars; NaN when there is none. */
  readonly close: Float64Array;
  readonly assetClass: Int32Array;
  /** Substantially-identical group (wash-sale class). */
  readonly group: Int32Array;
  readonly halfSpreadBps: Float64Array;
  /** Two alternates per security with a close today, in order of preference (-1: none). */
  readonly alternates: Int32Array;
}

export interface HouseholdColumns {
  readonly count: number;
  readonly groups: number;
  readonly bucket: Int32Array;
  /** households × groups: open replaceable purchase lots acquired in the last 30 days. */
  readonly recentPurchases: Uint16Array;
  /** households × groups: day of the last loss sale (NO_SALE when none). */
  readonly lastLossSale: Int32Array;
  /** Per household, bit g set when recentPurchases of group g is not zero (all bits: check every group). */
  readonly recentMask: Uint32Array;
  /** Per household, bit g set when group g had a loss sale in the last 30 days (all bits: check). */
  readonly lossSaleMask: Uint32Array;
}

/** The masks of `households` from its arrays, for `date`; more than 32 groups set every bit. */
export function householdMasks(h: Omit<HouseholdColumns, 'recentMask' | 'lossSaleMask'>, date: Day): HouseholdColumns {
  const recentMask = new Uint32Array(h.count);
  const lossSaleMask = new Uint32Array(h.count);
  for (let i = 0; i < h.count; i++) {
    let r = 0;
    let l = 0;
    for (let g = 0; g < h.groups; g++) {
      const bit = g < 32 ? 1 << g : -1;
      if ((h.recentPurchases[i * h.groups + g] as number) > 0) r |= bit;
      if ((h.lastLossSale[i * h.groups + g] as number) >= date - WASH_WINDOW_DAYS) l |= bit;
    }
    recentMask[i] = r >>> 0;
    lossSaleMask[i] = l >>> 0;
  }
  return { ...h, recentMask, lossSaleMask };
}

export const NO_SALE = -(2 ** 31);

/**
 * A household's loss prices and the stopping tables for its rates, indexed
 * [class * 4 + (0 short | 1 long) * 2 + (usable alternates - 1)], and per security and term the
 * value/basis ratios that settle the decision with no alternate locked (`decisionBand`):
 * bands[(security * 2 + term) * 2] = harvest at or below, [+ 1] = wait at or above.
 */
export interface TaxBucket {
  readonly shortTerm: number;
  readonly longTerm: number;
  readonly tables: readonly StoppingTable[];
  readonly bands: Float64Array;
}

/** The decision bands of a bucket for the day's securities (alternates already filtered). */
export function bucketBands(shortTerm: number, longTerm: number, tables: readonly StoppingTable[], securities: SecurityColumns, minNetBenefitBps: number): Float64Array {
  const bands = new Float64Array(securities.count * 4);
  for (let s = 0; s < securities.count; s++) {
    const first = securities.alternates[s * 2] as number;
    const usable = (first >= 0 ? 1 : 0) + ((securities.alternates[s * 2 + 1] as number) >= 0 ? 1 : 0);
    for (let term = 0; term < 2; term++) {
      const at = (s * 2 + term) * 2;
      if (first < 0 || !(shortTerm > 0)) {
        bands[at] = 0;
        bands[at + 1] = Infinity;
        continue;
      }
      const rate = term === 1 ? longTerm : shortTerm;
      const table = tables[(securities.assetClass[s] as number) * 4 + term * 2 + (usable >= 2 ? 1 : 0)] as StoppingTable;
      const kappa = ((securities.halfSpreadBps[s] as number) + (securities.halfSpreadBps[first] as number)) / 10_000 / shortTerm;
      const band = decisionBand(table, layer(0, 0), rate / shortTerm, kappa, minNetBenefitBps / 10_000 / shortTerm);
      bands[at] = band.harvestAtOrBelow;
      bands[at + 1] = band.waitAtOrAbove;
    }
  }
  return bands;
}

export interface ScanConfig {
  readonly minLossCents: number;
  readonly commissionCents: number;
  /** Net benefit required, in basis points of market value (HarvestConfig.minNetBenefitBps). */
  readonly minNetBenefitBps: number;
}

export interface ScanResult {
  readonly verdicts: Uint8Array;
  readonly candidates: number;
  readonly harvests: number;
  readonly harvestedLossCents: number;
  readonly benefitDollars: number;
  readonly byVerdict: readonly number[];
}

/** The last heldFrom day that is long-term on `date` (longTermFrom is non-decreasing). */
export function longTermCutoff(date: Day): number {
  let lo: number = date - 800;
  let hi: number = date;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (longTermFrom(mid as Day) <= date) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Decides every lot in one pass: the kernel's loss test, then for the taxable lots at a loss the
 * harvest rule (`Judge`). `scratch` (the verdicts, one byte per lot) can be kept by a caller that
 * scans every day, so the array is not allocated and faulted in again.
 */
export function scanLots(
  date: Day,
  lots: LotColumns,
  securities: SecurityColumns,
  households: HouseholdColumns,
  buckets: readonly TaxBucket[],
  config: ScanConfig,
  scratch: ScanScratch = scanScratch(lots.count),
): ScanResult {
  const verdicts = scratch.verdicts.fill(VERDICT.none);
  const byVerdict = new Float64Array(6);
  const judge = new Judge(date, lots, securities, households, buckets, config);
  const { security, shares, basis, flags } = lots;
  const close = securities.close;
  let candidates = 0;
  for (let i = 0; i < lots.count; i++) {
    const s = security[i] as number;
    const valueCents = ((shares[i] as number) * (close[s] as number)) / 1e4;
    const lossCents = (basis[i] as number) - valueCents;
    if (!(lossCents > 0) || ((flags[i] as number) & TAXABLE) === 0) continue;
    candidates++;
    const verdict = judge.decide(i, s, valueCents, lossCents);
    verdicts[i] = verdict;
    byVerdict[verdict] = (byVerdict[verdict] as number) + 1;
  }
  return {
    verdicts,
    candidates,
    harvests: judge.harvests,
    harvestedLossCents: judge.harvestedLossCents,
    benefitDollars: judge.benefitDollars,
    byVerdict: [...byVerdict],
  };
}

/** Buffers a daily scan can keep from one day to the next. */
export interface ScanScratch {
  readonly verdicts: Uint8Array;
}

export function scanScratch(lots: number): ScanScratch {
  return { verdicts: new Uint8Array(lots) };
}

/** The per-candidate part of the harvest rule (see the module comment). */
class Judge {
  harvests = 0;
  harvestedLossCents = 0;
  benefitDollars = 0;
  private readonly ltCutoff: number;
  private readonly recentFrom: number;
  private readonly fast: boolean;

  /** Per security: the bit of its wash-sale group, and the bits of its alternates' groups. */
  private readonly groupBit: Uint32Array;
  private readonly alternateBits: Uint32Array;

  constructor(
    private readonly date: Day,
    private readonly lots: LotColumns,
    private readonly securities: SecurityColumns,
    private readonly households: HouseholdColumns,
    private readonly buckets: readonly TaxBucket[],
    private readonly config: ScanConfig,
  ) {
    this.ltCutoff = longTermCutoff(date);
    this.recentFrom = date - WASH_WINDOW_DAYS;
    const bit = (g: number): number => (g < 32 ? (1 << g) >>> 0 : 0xffffffff);
    this.groupBit = Uint32Array.from({ length: securities.count }, (_, s) => bit(securities.group[s] as number));
    this.alternateBits = Uint32Array.from({ length: securities.count }, (_, s) => {
      let m = 0;
      for (let k = 0; k < 2; k++) {
        const a = securities.alternates[s * 2 + k] as number;
        if (a >= 0) m |= bit(securities.group[a] as number);
      }
      return m >>> 0;
    });
    this.fast = config.commissionCents === 0;
  }

  /**
   * Most candidates: nothing recent in the household touches this security or its alternates, so
   * the decision is a comparison with the bucket's precomputed band; the rest are evaluated.
   */
  decide(i: number, s: number, valueCents: number, lossCents: number): number {
    if (lossCents < this.config.minLossCents) return VERDICT.belowMinimum;
    const lots = this.lots;
    const hh = this.households;
    const h = lots.household[i] as number;
    if (this.fast && ((hh.recentMask[h] as number) & (this.groupBit[s] as number)) === 0 && ((hh.lossSaleMask[h] as number) & (this.alternateBits[s] as number)) === 0) {
      const bucket = this.buckets[hh.bucket[h] as number] as TaxBucket;
      const long = (lots.heldFrom[i] as number) <= this.ltCutoff;
      const at = (s * 2 + (long ? 1 : 0)) * 2;
      const ratio = valueCents / (lots.basis[i] as number);
      if (ratio <= (bucket.bands[at] as number)) return this.harvested(lossCents, long ? bucket.longTerm : bucket.shortTerm);
      if (ratio >= (bucket.bands[at + 1] as number)) return VERDICT.costsExceedBenefit;
    }
    return this.exact(i, s, h, valueCents, lossCents);
  }

  private harvested(lossCents: number, rate: number): number {
    this.harvests++;
    this.harvestedLossCents += lossCents;
    this.benefitDollars += (lossCents / 100) * rate;
    return VERDICT.harvest;
  }

  /** The full evaluation: wash check, free alternate, lock-out, benefit against every cost. */
  private exact(i: number, s: number, h: number, valueCents: number, lossCents: number): number {
    const lots = this.lots;
    const sec = this.securities;
    const hh = this.households;
    const hg = h * hh.groups;
    const recent = hh.recentPurchases[hg + (sec.group[s] as number)] as number;
    const ownIsRecent = recent > 0 && (lots.acquired[i] as number) >= this.recentFrom && ((lots.flags[i] as number) & REPLACEABLE) !== 0 ? 1 : 0;
    if (recent - ownIsRecent > 0) return VERDICT.recentPurchaseWouldWash;
    // The free alternate to buy and the lock-out of the others, without allocating.
    let buy = -1;
    let usable = 0;
    let u1 = 0;
    let u2 = 0;
    for (let k = 0; k < 2; k++) {
      const a = sec.alternates[s * 2 + k] as number;
      if (a < 0) continue;
      usable++;
      const last = hh.lastLossSale[hg + (sec.group[a] as number)] as number;
      const wait = last === NO_SALE ? 0 : last + WASH_WINDOW_DAYS + 1 - this.date;
      if (wait > 0) {
        const u = lockUnits(wait);
        if (u > u1) {
          u2 = u1;
          u1 = u;
        } else if (u > u2) u2 = u;
      } else if (buy < 0) buy = a;
    }
    if (buy < 0) return VERDICT.noAlternate;
    if (usable < 2) u2 = 0;
    const bucket = this.buckets[hh.bucket[h] as number] as TaxBucket;
    const long = (lots.heldFrom[i] as number) <= this.ltCutoff;
    const benefit = (lossCents / 100) * (long ? bucket.longTerm : bucket.shortTerm);
    const table = bucket.tables[(sec.assetClass[s] as number) * 4 + (long ? 2 : 0) + (usable >= 2 ? 1 : 0)] as StoppingTable;
    const value = valueCents / 100;
    const x = Math.log(valueCents / (lots.basis[i] as number));
    const costs =
      spreadDollars(sec.halfSpreadBps[s] as number, sec.halfSpreadBps[buy] as number, value) +
      (2 * this.config.commissionCents) / 100 +
      opportunityInLayer(table, layer(u1, u2), x) * bucket.shortTerm * value;
    if (benefit - costs <= (this.config.minNetBenefitBps / 10_000) * value) return VERDICT.costsExceedBenefit;
    return this.harvested(lossCents, long ? bucket.longTerm : bucket.shortTerm);
  }
}

/** The bare kernel: count lots whose unrealized loss exceeds `thresholdCents`, same arrays. */
export function lossKernel(lots: LotColumns, securities: SecurityColumns, thresholdCents: number): number {
  const { security, shares, basis } = lots;
  const close = securities.close;
  let n = 0;
  for (let i = 0; i < lots.count; i++) {
    const loss = (basis[i] as number) - ((shares[i] as number) * (close[security[i] as number] as number)) / 1e4;
    if (loss > thresholdCents) n++;
  }
  return n;
}
