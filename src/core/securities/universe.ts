/**
 * The ETF universe: asset classes, each represented by a primary ETF and alternates that track
 * DIFFERENT but highly correlated indexes (Wealthfront TLH white paper, "Wealthfront's
 * Tax-Loss Harvesting service"), and the risk-score mapping to asset-class target weights.
 * Data: data/universe.json; reasoning and sources: docs/universe.md.
 *
 * Two ETFs on the same index are substantially identical (§1091) and must never be swapped for
 * each other. Index changes matter: MUB tracked VTEB's index (S&P National AMT-Free Municipal Bond)
 * through 2021-09-14, so a backtest may not harvest VTEB into MUB in 2020 although it may today.
 * Each security therefore lists its former indexes with the last day it tracked each.
 *
 * Example: alternatesFor(u, VTEB, 2020-06-01) is [TFI]; alternatesFor(u, VTEB) is [MUB, TFI].
 * targetWeights(u, 7) lies halfway between the weights of risk scores 6 and 8.
 */
import type { Day } from '../kernel/calendar.js';
import { issue, type Issue } from '../kernel/errors.js';
import type { IdenticalPeriod, Symbol } from '../ledger/household.js';
import { annualizedVolatility, monthlyCorrelation, type Correlation, type PriceBook, type PriceSeries, type PriceSource, type Volatility } from '../market/prices.js';

export type AssetKind = 'stocks' | 'bonds';

export interface FormerIndex {
  readonly index: string;
  /** Last day the fund tracked this index. */
  readonly until: Day;
}

export interface UniverseSecurity {
  readonly symbol: Symbol;
  readonly name: string;
  readonly issuer: string;
  /** The index tracked today. */
  readonly index: string;
  /** Earlier indexes, oldest first. */
  readonly formerIndexes: readonly FormerIndex[];
  readonly expenseRatioBps: number;
  readonly expenseRatioSource: string;
  /** Half the quoted bid-ask spread: the cost of one trade, in basis points of the price. */
  readonly halfSpreadBps: number;
  /** Whether the reference price data (shared/data) has a series for this fund. */
  readonly priceData: boolean;
  readonly note?: string;
}

export interface SourcedValue {
  readonly value: number;
  readonly source: string;
}

export interface PairCorrelation {
  readonly a: Symbol;
  readonly b: Symbol;
  readonly value: number;
  readonly months: number;
  /** YYYY-MM of the first and last monthly return used. */
  readonly from: string;
  readonly to: string;
}

export interface AssetClass {
  readonly id: string;
  readonly name: string;
  readonly kind: AssetKind;
  /** Expected annual return and volatility, as fractions (0.067 = 6.7 %). */
  readonly expectedReturn: SourcedValue;
  readonly volatility: SourcedValue;
  /** Primary first, then alternates in the order they are used. */
  readonly securities: readonly UniverseSecurity[];
  readonly correlations: readonly PairCorrelation[];
}

export interface RiskPoint {
  readonly riskScore: number;
  /** Asset-class id to target weight; every class appears and the weights sum to 1. */
  readonly weights: ReadonlyMap<string, number>;
}

export interface Universe {
  readonly classes: readonly AssetClass[];
  readonly riskScores: readonly RiskPoint[];
  /** Last day of the window the file's correlations and volatilities were measured over. */
  readonly statisticsThrough: Day;
}

export const MIN_RISK_SCORE = 0.5;
export const MAX_RISK_SCORE = 10;
const WEIGHT_TOLERANCE = 1e-9;

/** Where a fund sits in the universe: its class (and that class's position), itself, its primary. */
export interface FundEntry {
  readonly cls: AssetClass;
  readonly classIndex: number;
  readonly security: UniverseSecurity;
  readonly primary: Symbol;
}

const fundIndexes = new WeakMap<Universe, ReadonlyMap<Symbol, FundEntry>>();

/** Every fund of the universe by symbol (universes are immutable: built once). */
export function fundIndex(universe: Universe): ReadonlyMap<Symbol, FundEntry> {
  let found = fundIndexes.get(universe);
  if (found === undefined) {
    const built = new Map<Symbol, FundEntry>();
    universe.classes.forEach((cls, classIndex) => {
      const primary = (cls.securities[0] as UniverseSecurity).symbol;
      for (const security of cls.securities) built.set(security.symbol, { cls, classIndex, security, primary });
    });
    fundIndexes.set(universe, built);
    found = built;
  }
  return found;
}

export function assetClassOf(universe: Universe, symbol: Symbol): AssetClass | undefined {
  return fundIndex(universe).get(symbol)?.cls;
}

/** The index a fund tracked on `day` (today's index when no day is given). */
export function indexOn(security: UniverseSecurity, day?: Day): string {
  if (day === undefined) return security.index;
  return security.formerIndexes.find((f) => day <= f.until)?.index ?? security.index;
}

/** Index names compared without case, punctuation or spacing ("S&P 500" = "s&p-500"). */
const indexKeys = new Map<string, string>();
function indexKey(name: string): string {
  let key = indexKeys.get(name);
  if (key === undefined) {
    key = name.toLowerCase().replace(/[^a-z0-9&]+/g, '');
    indexKeys.set(name, key);
  }
  return key;
}

export function substantiallyIdentical(a: UniverseSecurity, b: UniverseSecurity, day?: Day): boolean {
  return a.symbol === b.symbol || indexKey(indexOn(a, day)) === indexKey(indexOn(b, day));
}

/** The other funds of the symbol's class, in order, leaving out any on the same index on `day`. */
export function alternatesFor(universe: Universe, symbol: Symbol, day?: Day): readonly UniverseSecurity[] {
  const cls = assetClassOf(universe, symbol);
  const self = cls?.securities.find((s) => s.symbol === symbol);
  if (cls === undefined || self === undefined) return [];
  return cls.securities.filter((s) => !substantiallyIdentical(self, s, day));
}

/**
 * Groups of universe funds that tracked one index on `day` — the `groups` a household's
 * substantially-identical policy needs so the wash-sale engine treats them as one security.
 */
export function identicalGroups(universe: Universe, day?: Day): Symbol[][] {
  const groups: Symbol[][] = [];
  for (const cls of universe.classes) {
    const seen = new Set<Symbol>();
    for (const s of cls.securities) {
      if (seen.has(s.symbol)) continue;
      const group = cls.securities.filter((t) => substantiallyIdentical(s, t, day)).map((t) => t.symbol);
      group.forEach((g) => seen.add(g));
      if (group.length > 1) groups.push(group);
    }
  }
  return groups;
}

/**
 * The stretches of time during which two funds of a class tracked one index, as dated identical
 * periods for a household's wash-sale policy: the ledger then judges a past trade by the indexes
 * of its day, as the harvester's wash guard does. Example: MUB and VTEB until 2021-09-14.
 */
export function identicalPeriods(universe: Universe): IdenticalPeriod[] {
  const out: IdenticalPeriod[] = [];
  for (const cls of universe.classes) {
    cls.securities.forEach((a, i) =>
      cls.securities.slice(i + 1).forEach((b) => {
        const ends = [...new Set([...a.formerIndexes, ...b.formerIndexes].map((f) => f.until as number))].sort((x, y) => x - y);
        let start: Day | undefined;
        let open = false;
        const close = (until: Day | undefined): void => {
          if (open) out.push({ symbols: [a.symbol, b.symbol], ...(start !== undefined ? { from: start } : {}), ...(until !== undefined ? { until } : {}) });
          open = false;
        };
        let previous: Day | undefined;
        for (const end of [...ends, undefined]) {
          const day = end as Day | undefined;
          const same = substantiallyIdentical(a, b, day);
          if (same && !open) {
            open = true;
            start = previous === undefined ? undefined : ((previous + 1) as Day);
          } else if (!same && open) close(previous);
          previous = day;
        }
        close(undefined);
      }),
    );
  }
  return out;
}

/** The last day two funds tracked the same index, if they ever did before today. */
export function lastSharedIndexDay(a: UniverseSecurity, b: UniverseSecurity): Day | undefined {
  const ends = [...a.formerIndexes, ...b.formerIndexes].map((f) => f.until).sort((x, y) => y - x);
  return ends.find((d) => substantiallyIdentical(a, b, d));
}

/** Target weights for a risk score, interpolated linearly between mapping points; undefined outside them. */
export function targetWeights(universe: Universe, riskScore: number): ReadonlyMap<string, number> | undefined {
  const pts = universe.riskScores;
  const hi = pts.findIndex((p) => p.riskScore >= riskScore);
  if (hi < 0 || !Number.isFinite(riskScore)) return undefined;
  const upper = pts[hi] as RiskPoint;
  if (upper.riskScore === riskScore) return upper.weights;
  if (hi === 0) return undefined;
  const lower = pts[hi - 1] as RiskPoint;
  const t = (riskScore - lower.riskScore) / (upper.riskScore - lower.riskScore);
  const out = new Map<string, number>();
  for (const [id, w] of lower.weights) out.set(id, w + t * ((upper.weights.get(id) ?? 0) - w));
  return out;
}

/** Share of a weight map in asset classes of the given kind. */
export function kindShare(universe: Universe, weights: ReadonlyMap<string, number>, kind: AssetKind): number {
  let sum = 0;
  for (const c of universe.classes) if (c.kind === kind) sum += weights.get(c.id) ?? 0;
  return sum;
}

/**
 * Problems that make a universe unusable: two funds of one class on the same index today
 * ("substantially identical"), a class with fewer than two funds, a symbol in two places,
 * unordered index history, and a risk mapping whose weights do not sum to 1, miss a class,
 * do not span 0.5-10, or give fewer stocks at a higher risk score.
 */
export function checkUniverse(universe: Universe): Issue[] {
  return [...checkClasses(universe), ...checkRiskScores(universe)];
}

function checkClasses(universe: Universe): Issue[] {
  const issues: Issue[] = [];
  const owner = new Map<Symbol, string>();
  universe.classes.forEach((cls, ci) => {
    const at = (field: string) => ({ field: `classes[${ci}]${field}` });
    if (cls.securities.length < 2) issues.push(issue('BAD_VALUE', `asset class ${cls.id} needs a primary and at least one alternate`, at('.securities')));
    cls.securities.forEach((s, si) => {
      const prev = owner.get(s.symbol);
      if (prev !== undefined) issues.push(issue('DUPLICATE_ID', `${s.symbol} already appears in ${prev}`, at(`.securities[${si}].symbol`)));
      owner.set(s.symbol, cls.id);
      if (s.formerIndexes.some((f, k) => k > 0 && f.until <= (s.formerIndexes[k - 1] as FormerIndex).until)) {
        issues.push(issue('OUT_OF_ORDER', `${s.symbol}: former indexes must be oldest first`, at(`.securities[${si}].formerIndexes`)));
      }
      cls.securities.slice(0, si).forEach((t) => {
        if (t.symbol !== s.symbol && substantiallyIdentical(s, t)) {
          issues.push(issue('BAD_VALUE', `${s.symbol} and ${t.symbol} both track ${s.index}: substantially identical, not alternates`, at(`.securities[${si}].index`)));
        }
      });
    });
    const symbols = new Set(cls.securities.map((s) => s.symbol));
    cls.correlations.forEach((p, pi) => {
      if (!symbols.has(p.a) || !symbols.has(p.b)) issues.push(issue('UNKNOWN_SECURITY', `${p.a}/${p.b} is not a pair of ${cls.id}`, at(`.correlations[${pi}]`)));
    });
  });
  return issues;
}

function checkRiskScores(universe: Universe): Issue[] {
  const issues: Issue[] = [];
  const pts = universe.riskScores;
  const at = (i: number, field = '') => ({ field: `riskScores[${i}]${field}` });
  const first = pts[0]?.riskScore;
  const last = pts[pts.length - 1]?.riskScore;
  if (first !== MIN_RISK_SCORE || last !== MAX_RISK_SCORE) {
    issues.push(issue('BAD_VALUE', `risk scores must run from ${MIN_RISK_SCORE} to ${MAX_RISK_SCORE}, found ${first ?? '-'} to ${last ?? '-'}`, { field: 'riskScores' }));
  }
  const ids = new Set(universe.classes.map((c) => c.id));
  pts.forEach((p, i) => {
    const prev = pts[i - 1];
    if (prev !== undefined && p.riskScore <= prev.riskScore) issues.push(issue('OUT_OF_ORDER', 'risk scores must be strictly ascending', at(i, '.riskScore')));
    for (const id of ids) if (!p.weights.has(id)) issues.push(issue('MISSING_FIELD', `no weight for asset class ${id}`, at(i, `.weights.${id}`)));
    let sum = 0;
    for (const [id, w] of p.weights) {
      if (!ids.has(id)) issues.push(issue('BAD_VALUE', `unknown asset class ${id}`, at(i, `.weights.${id}`)));
      if (!(w >= 0 && w <= 1)) issues.push(issue('BAD_VALUE', `weight must be between 0 and 1, got ${w}`, at(i, `.weights.${id}`)));
      sum += w;
    }
    if (Math.abs(sum - 1) > WEIGHT_TOLERANCE) issues.push(issue('BAD_VALUE', `weights sum to ${sum.toFixed(6)}, not 1`, at(i, '.weights')));
    if (prev !== undefined && kindShare(universe, p.weights, 'stocks') < kindShare(universe, prev.weights, 'stocks') - WEIGHT_TOLERANCE) {
      issues.push(issue('BAD_VALUE', `risk score ${p.riskScore} holds fewer stocks than risk score ${prev.riskScore}`, at(i, '.weights')));
    }
  });
  return issues;
}

export interface MeasuredPair {
  readonly a: Symbol;
  readonly b: Symbol;
  /** The value recorded in the universe file, when it has one. */
  readonly recorded?: PairCorrelation;
  /** Recomputed from prices over the pair's common complete months through the window end. */
  readonly measured?: Correlation;
}

export interface MeasuredClass {
  readonly cls: AssetClass;
  /** Volatility of the primary's daily total returns over its whole history through the window end. */
  readonly volatility?: Volatility;
  readonly sources: ReadonlyMap<Symbol, PriceSource>;
  readonly pairs: readonly MeasuredPair[];
}

/** Every pair of a class, in the class's order, with the file's and the data's correlation side by side. */
export function measureClass(cls: AssetClass, book: PriceBook, through: Day): MeasuredClass {
  const series = (s: UniverseSecurity): PriceSeries | undefined => book.series.get(s.symbol);
  const primary = cls.securities[0] === undefined ? undefined : series(cls.securities[0]);
  const volatility = primary === undefined ? undefined : annualizedVolatility(primary, { through });
  const sources = new Map<Symbol, PriceSource>();
  for (const s of cls.securities) {
    const found = series(s);
    if (found !== undefined) sources.set(s.symbol, found.source);
  }
  const pairs: MeasuredPair[] = [];
  cls.securities.forEach((x, i) =>
    cls.securities.slice(i + 1).forEach((y) => {
      const recorded = cls.correlations.find((p) => (p.a === x.symbol && p.b === y.symbol) || (p.a === y.symbol && p.b === x.symbol));
      const sx = series(x);
      const sy = series(y);
      const measured = sx === undefined || sy === undefined ? undefined : monthlyCorrelation(sx, sy, through);
      pairs.push({ a: x.symbol, b: y.symbol, ...(recorded ? { recorded } : {}), ...(measured ? { measured } : {}) });
    }),
  );
  return { cls, ...(volatility ? { volatility } : {}), sources, pairs };
}
