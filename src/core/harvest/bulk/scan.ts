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
 * the trigger (rule.ts). Each lot gets a verdict code. Most candidates are settled by their cell
 * of the stopping lattice (cells.ts, derived from the same rule), the rest evaluated.
 *
 * `lossKernel` is the bare "unrealized loss below threshold" pass over the same arrays: the
 * baseline the benchmark compares the full decision with.
 */
import type { Day } from '../../kernel/calendar.js';
import { longTermFrom } from '../../ledger/holdingPeriod.js';
import { WASH_WINDOW_DAYS } from '../../ledger/washSales.js';
import { spreadDollars } from '../economics.js';
import { layer, lockUnits, opportunityInLayer, type StoppingTable } from '../stopping/opportunityCost.js';
import type { HarvestConfig } from '../config.js';
import { netBenefit, reachesMinimum, worthHarvesting, type RuleConfig } from '../rule.js';
import { CELL, decisionCells, SEGMENTS, segments } from './cells.js';

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
  belowThreshold: 6,
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
  /** Per household, bit g set when recentPurchases of group g is two or more (all bits: check). */
  readonly recentManyMask: Uint32Array;
  /** Per household, bit g set when group g had a loss sale in the last 30 days (all bits: check). */
  readonly lossSaleMask: Uint32Array;
  /** count + 1 entries: household h owns the lot rows firstLot[h] to firstLot[h + 1] - 1. */
  readonly firstLot: Int32Array;
}

/**
 * The masks of `households` from its arrays, for `date` (more than 32 groups set every bit), and
 * where each household's lots start; the lots must be grouped by household in order.
 */
export function householdMasks(h: Omit<HouseholdColumns, 'recentMask' | 'recentManyMask' | 'lossSaleMask' | 'firstLot'>, date: Day, lots: LotColumns): HouseholdColumns {
  const recentMask = new Uint32Array(h.count);
  const recentManyMask = new Uint32Array(h.count);
  const lossSaleMask = new Uint32Array(h.count);
  for (let i = 0; i < h.count; i++) {
    let r = 0;
    let m = 0;
    let l = 0;
    for (let g = 0; g < h.groups; g++) {
      const bit = g < 32 ? 1 << g : -1;
      const recent = h.recentPurchases[i * h.groups + g] as number;
      if (recent > 0) r |= bit;
      if (recent > 1) m |= bit;
      if ((h.lastLossSale[i * h.groups + g] as number) >= date - WASH_WINDOW_DAYS) l |= bit;
    }
    recentMask[i] = r >>> 0;
    recentManyMask[i] = m >>> 0;
    lossSaleMask[i] = l >>> 0;
  }
  const firstLot = new Int32Array(h.count + 1);
  let next = 0;
  for (let i = 0; i < lots.count; i++) {
    const owner = lots.household[i] as number;
    if (owner < next - 1 || owner >= h.count) throw new Error(`lot row ${i}: household ${owner} is out of order (rows must be grouped by household, households in order)`);
    while (next <= owner) firstLot[next++] = i;
  }
  while (next <= h.count) firstLot[next++] = lots.count;
  return { ...h, recentMask, recentManyMask, lossSaleMask, firstLot };
}

/**
 * The wash check of a candidate: another open purchase of its group from the last 30 days
 * (`recent` of them, the candidate itself among them when `ownIsRecent`) would replace it.
 */
function washedByRecent(recent: number, ownIsRecent: boolean): boolean {
  return recent - (ownIsRecent && recent > 0 ? 1 : 0) > 0;
}

export const NO_SALE = -(2 ** 31);

/**
 * A household's loss prices and the stopping tables for its rates, indexed
 * [class * 4 + (0 short | 1 long) * 2 + (usable alternates - 1)], and per security and term the
 * verdicts with no alternate locked, as runs of value / basis (cells.ts `segments`): row
 * r = security * 2 + term has `bounds[r * (SEGMENTS - 1) ...]` and `codes[r * SEGMENTS ...]`
 * (one "evaluate" run for a security without a free alternate).
 */
export interface TaxBucket {
  readonly shortTerm: number;
  readonly longTerm: number;
  readonly tables: readonly StoppingTable[];
  readonly bounds: Float64Array;
  readonly codes: Int8Array;
}

/** A bucket of these loss values for the day's securities (alternates already filtered). */
export function taxBucket(shortTerm: number, longTerm: number, tables: readonly StoppingTable[], securities: SecurityColumns, minNetBenefitBps: number): TaxBucket {
  const bounds = new Float64Array(securities.count * 2 * (SEGMENTS - 1)).fill(Infinity);
  const codes = new Int8Array(securities.count * 2 * SEGMENTS);
  for (let s = 0; s < securities.count; s++) {
    const first = securities.alternates[s * 2] as number;
    const usable = (first >= 0 ? 1 : 0) + ((securities.alternates[s * 2 + 1] as number) >= 0 ? 1 : 0);
    if (first < 0 || !(shortTerm > 0)) continue;
    for (let term = 0; term < 2; term++) {
      const rate = term === 1 ? longTerm : shortTerm;
      const table = tables[(securities.assetClass[s] as number) * 4 + term * 2 + (usable >= 2 ? 1 : 0)] as StoppingTable;
      const kappa = ((securities.halfSpreadBps[s] as number) + (securities.halfSpreadBps[first] as number)) / 10_000 / shortTerm;
      const byCell = decisionCells(table, layer(0, 0), rate / shortTerm, kappa, minNetBenefitBps / 10_000 / shortTerm);
      const row = segments(table, byCell);
      bounds.set(row.bounds, (s * 2 + term) * (SEGMENTS - 1));
      codes.set(row.codes, (s * 2 + term) * SEGMENTS);
    }
  }
  return { shortTerm, longTerm, tables, bounds, codes };
}

/** What the scan needs of the harvest config (a HarvestConfig will do). */
export type ScanConfig = RuleConfig & Pick<HarvestConfig, 'commission'>;

export interface ScanResult {
  readonly verdicts: Uint8Array;
  readonly candidates: number;
  /** Candidates of at least the minimum loss the cells did not settle: evaluated in full. */
  readonly evaluated: number;
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
 * harvest rule. `scratch` (the verdicts, one byte per lot) can be kept by a caller that scans
 * every day, so the array is not allocated and faulted in again.
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
  const verdicts = scratch.verdicts;
  // Per verdict the lots that got it; then the harvested loss in cents, its benefit in dollars and the lots evaluated in full.
  const tally = new Float64Array(VERDICTS + 3);
  // As in `decide`: with harvesting off there are no candidates at all.
  let candidates = 0;
  if (config.trigger.kind === 'off') verdicts.fill(VERDICT.none);
  else candidates = judgeLots(new Judge(date, lots, securities, households, buckets, config), lots, securities, households, verdicts, tally);
  return {
    verdicts,
    candidates,
    harvests: tally[VERDICT.harvest] as number,
    harvestedLossCents: tally[VERDICTS] as number,
    benefitDollars: tally[VERDICTS + 1] as number,
    evaluated: tally[VERDICTS + 2] as number,
    byVerdict: [...tally.subarray(0, VERDICTS)],
  };
}

const VERDICTS = 7;

/**
 * Lots per block: a block's candidates are collected first, then judged while the block is in
 * cache. Long enough that the streams of the lot columns are seldom interrupted.
 */
const BLOCK = 8192;
const UNSETTLED = -1;

/** The verdict of a candidate whose cell settles it, by cell (UNSETTLED: evaluate). */
const CELL_VERDICT = new Int8Array(3);
CELL_VERDICT[CELL.evaluate] = UNSETTLED;
CELL_VERDICT[CELL.harvest] = VERDICT.harvest;
CELL_VERDICT[CELL.wait] = VERDICT.costsExceedBenefit;

/** `segmentOf` is written out for the five bounds of a row: a check that a row has six runs. */
type SixRuns = typeof SEGMENTS extends 6 ? true : never;
const _sixRuns: SixRuns = true;

/**
 * The run of a row that `ratio` falls in: the bounds are sorted, so it is the number of them at or
 * below the ratio, counted with 0/1 values (written out: as a loop the engine compiled it slower).
 */
function segmentOf(ratio: number, bounds: Float64Array, at: number): number {
  return +(ratio >= (bounds[at] as number)) + +(ratio >= (bounds[at + 1] as number)) + +(ratio >= (bounds[at + 2] as number)) + +(ratio >= (bounds[at + 3] as number)) + +(ratio >= (bounds[at + 4] as number));
}

/**
 * The pass itself, a function of its own so that the engine optimizes it as a whole (a loop in
 * the function that also builds the result was deoptimized there on every call). Per block of
 * lots, a tight loop like the kernel's collects the taxable lots at a loss and their values; then
 * each is looked up in its lattice cell, and only those that something else may concern — below
 * the minimum loss, a recent purchase of its group or a loss sale of its alternates' groups, or a
 * cell the rule does not settle — are judged one by one (`Judge.unsettled`). The common case has
 * no call and no branch on the lot's data but the one that sends it there: the term, the segment
 * and the harvest sums are computed with 0/1 values, since a mispredicted branch that waits for
 * a lot's columns (read from memory) stalls the loop for as long as the read.
 */
function judgeLots(j: Judge, lots: LotColumns, securities: SecurityColumns, households: HouseholdColumns, verdicts: Uint8Array, tally: Float64Array): number {
  const { security, shares, basis, flags, heldFrom } = lots;
  const close = securities.close;
  const { bucket, recentMask, lossSaleMask, firstLot } = households;
  const { groupBit, alternateBits, bounds, codes, rates, ltCutoff, config } = j;
  const count = securities.count;
  const found = new Int32Array(BLOCK);
  const values = new Float64Array(BLOCK);
  // The household of the lots being judged, walked forward with them (no read of a household per lot).
  let h = 0;
  let candidates = 0;
  let harvestedLoss = 0;
  let benefit = 0;
  for (let start = 0; start < lots.count; start += BLOCK) {
    const end = Math.min(lots.count, start + BLOCK);
    let n = 0;
    // The kernel's own work; the accounts' flags are read for the lots at a loss only.
    for (let i = start; i < end; i++) {
      const valueCents = ((shares[i] as number) * (close[security[i] as number] as number)) / 1e4;
      if ((basis[i] as number) - valueCents > 0 && ((flags[i] as number) & TAXABLE) !== 0) {
        found[n] = i;
        values[n] = valueCents;
        n++;
      }
    }
    // Cleared block by block, so that the candidates' verdicts are written to lines in cache.
    verdicts.fill(VERDICT.none, start, end);
    candidates += n;
    for (let k = 0; k < n; k++) {
      const i = found[k] as number;
      const s = security[i] as number;
      const valueCents = values[k] as number;
      const lossCents = (basis[i] as number) - valueCents;
      while ((firstLot[h + 1] as number) <= i) h++;
      const b = bucket[h] as number;
      const term = +((heldFrom[i] as number) <= ltCutoff);
      const row = (b * count + s) * 2 + term;
      const ratio = valueCents / (basis[i] as number);
      let verdict = CELL_VERDICT[codes[row * SEGMENTS + segmentOf(ratio, bounds, row * (SEGMENTS - 1))] as number] as number;
      if ((+(verdict === UNSETTLED) | +!reachesMinimum(lossCents, config) | ((recentMask[h] as number) & (groupBit[s] as number)) | ((lossSaleMask[h] as number) & (alternateBits[s] as number))) !== 0) {
        verdict = j.unsettled(i, s, h, verdict, valueCents, lossCents, tally);
      }
      verdicts[i] = verdict;
      tally[verdict] = (tally[verdict] as number) + 1;
      // Added as zero for the others (the sums are the same to the last bit).
      const harvested = +(verdict === VERDICT.harvest);
      harvestedLoss += lossCents * harvested;
      benefit += (lossCents / 100) * (rates[b * 2 + term] as number) * harvested;
    }
  }
  tally[VERDICTS] = harvestedLoss;
  tally[VERDICTS + 1] = benefit;
  return candidates;
}

/** Buffers a daily scan can keep from one day to the next. */
export interface ScanScratch {
  readonly verdicts: Uint8Array;
}

export function scanScratch(lots: number): ScanScratch {
  return { verdicts: new Uint8Array(lots) };
}

/** The harvest rule of the scan's candidates: the tables it is read from, and the full evaluation. */
class Judge {
  readonly ltCutoff: number;
  readonly recentFrom: number;
  /** The masks tell each group apart (at most 32 groups): the wash check can be read from them. */
  readonly masksDecide: boolean;
  /** Per security: the bit of its wash-sale group, and the bits of its alternates' groups. */
  readonly groupBit: Uint32Array;
  readonly alternateBits: Uint32Array;
  /**
   * Every bucket's runs in one pair of arrays (bucket after bucket), and its rates (short, long).
   * The runs hold the normalized cost-benefit test without commissions: under another trigger or
   * with commissions every run is "evaluate".
   */
  readonly bounds: Float64Array;
  readonly codes: Int8Array;
  readonly rates: Float64Array;

  constructor(
    private readonly date: Day,
    private readonly lots: LotColumns,
    private readonly securities: SecurityColumns,
    private readonly households: HouseholdColumns,
    private readonly buckets: readonly TaxBucket[],
    readonly config: ScanConfig,
  ) {
    this.ltCutoff = longTermCutoff(date);
    this.recentFrom = date - WASH_WINDOW_DAYS;
    this.masksDecide = households.groups <= 32;
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
    const cellsHold = config.commission === 0 && config.trigger.kind === 'cost_benefit';
    const rows = securities.count * 2;
    this.bounds = new Float64Array(buckets.length * rows * (SEGMENTS - 1));
    this.codes = new Int8Array(buckets.length * rows * SEGMENTS);
    this.rates = new Float64Array(buckets.length * 2);
    buckets.forEach((b, k) => {
      this.bounds.set(b.bounds, k * rows * (SEGMENTS - 1));
      if (cellsHold) this.codes.set(b.codes, k * rows * SEGMENTS);
      this.rates[k * 2] = b.shortTerm;
      this.rates[k * 2 + 1] = b.longTerm;
    });
  }

  /**
   * A candidate the cells alone do not settle: the minimum loss, the wash check from the
   * household's masks (when they tell groups apart), then the cell's verdict `cellVerdict` where
   * no loss sale locks an alternate, else the full evaluation (counted in `tally`).
   */
  unsettled(i: number, s: number, h: number, cellVerdict: number, valueCents: number, lossCents: number, tally: Float64Array): number {
    if (!reachesMinimum(lossCents, this.config)) return VERDICT.belowMinimum;
    const hh = this.households;
    const gb = this.groupBit[s] as number;
    const recentBit = ((hh.recentMask[h] as number) & gb) !== 0;
    if (this.masksDecide && recentBit) {
      const recent = ((hh.recentManyMask[h] as number) & gb) !== 0 ? 2 : 1;
      // A second recent purchase washes the loss whichever lot this is: the lot's date is read for one only.
      if (washedByRecent(recent, recent === 1 && this.isRecentPurchase(i))) return VERDICT.recentPurchaseWouldWash;
    }
    if (cellVerdict !== UNSETTLED && (this.masksDecide || !recentBit) && ((hh.lossSaleMask[h] as number) & (this.alternateBits[s] as number)) === 0) return cellVerdict;
    tally[VERDICTS + 2] = (tally[VERDICTS + 2] as number) + 1;
    return this.exact(i, s, h, valueCents, lossCents);
  }

  /** Whether lot `i` is itself an open purchase of the last 30 days (counted among its group's recent purchases). */
  private isRecentPurchase(i: number): boolean {
    return (this.lots.acquired[i] as number) >= this.recentFrom && ((this.lots.flags[i] as number) & REPLACEABLE) !== 0;
  }

  /** The full evaluation of a candidate at least the minimum loss: wash check, free alternate, lock-out, the trigger. */
  private exact(i: number, s: number, h: number, valueCents: number, lossCents: number): number {
    const lots = this.lots;
    const sec = this.securities;
    const hh = this.households;
    const hg = h * hh.groups;
    // Where the masks tell groups apart, `unsettled` has done this check with them.
    if (!this.masksDecide && washedByRecent(hh.recentPurchases[hg + (sec.group[s] as number)] as number, this.isRecentPurchase(i))) return VERDICT.recentPurchaseWouldWash;
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
    const rate = long ? bucket.longTerm : bucket.shortTerm;
    const loss = lossCents / 100;
    const value = valueCents / 100;
    const benefit = loss * rate;
    const table = bucket.tables[(sec.assetClass[s] as number) * 4 + (long ? 2 : 0) + (usable >= 2 ? 1 : 0)] as StoppingTable;
    const spread = spreadDollars(sec.halfSpreadBps[s] as number, sec.halfSpreadBps[buy] as number, value);
    const commissions = (2 * this.config.commission) / 100;
    const opportunity = opportunityInLayer(table, layer(u1, u2), Math.log(valueCents / (lots.basis[i] as number))) * bucket.shortTerm * value;
    const net = netBenefit(benefit, spread, commissions, opportunity);
    if (!worthHarvesting(this.config, loss, value, benefit, spread, commissions, net)) return this.config.trigger.kind === 'loss_at_least' ? VERDICT.belowThreshold : VERDICT.costsExceedBenefit;
    return VERDICT.harvest;
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
