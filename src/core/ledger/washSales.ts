/**
 * The wash-sale rule, IRC §1091, as Pub 550 ("Wash Sales"), Treas. Reg. §1.1091-1 and
 * Rev. Rul. 2008-5 state it, applied across every account of a household.
 *
 * A loss on a sale is disallowed to the extent that substantially identical securities were
 * acquired (bought, or dividends reinvested) from 30 days before to 30 days after the sale —
 * 61 calendar days — in ANY account of the household: taxable, IRA, Roth, 401(k), HSA, the
 * spouse's. Here:
 *
 *  - Order of losses: losses are processed in the order of disposition; lots sold at a loss in one
 *    sale are taken in the order they were acquired (Reg. §1.1091-1(b)).
 *  - Order of replacements: candidates are matched earliest acquisition first (Reg. §1.1091-1(c)),
 *    each share at most once ("one bite", Reg. §1.1091-1(e)); the loss shares' own acquisition is
 *    never its own replacement, and shares already disposed of are no longer candidates. Parts of
 *    one purchase that a transfer left in two accounts tie on acquisition; the regulation is
 *    silent, and we match the taxable part first (the reading that defers rather than destroys
 *    the loss), then by account id and lot id, so the result never depends on listing order.
 *  - Partial washes: only as many loss shares as there are replacement shares are washed
 *    (Reg. §1.1091-1(h) Example 2: 100 sold, 75 bought -> loss on 75 disallowed).
 *  - Basis and holding period: the disallowed loss is added to the replacement's basis (§1091(d))
 *    and the sold shares' holding period is tacked on (§1223(3)), expressed as an adjusted
 *    acquisition date = replacement date - (sale date - sold shares' adjusted acquisition date).
 *  - Tax-advantaged replacement (IRA, Roth, 401(k), HSA): the loss is disallowed and NO basis is
 *    added anywhere (Rev. Rul. 2008-5) — it is reported as permanently disallowed.
 *  - Identity that changes with time (a fund that changes index): securities of a dated period
 *    are one class on the days of the period, judged on the date of the loss sale.
 *
 * Example (Pub 550 Example 1): 100 X bought for $1,000, sold for $750, 100 X bought back 17 days
 * later for $800 -> $250 disallowed (code W), new basis $1,050, holding period tacked.
 */
import { addDays, type Day } from '../kernel/calendar.js';
import { mulDivRound, type Shares, type Usd } from '../kernel/exact.js';
import type { Household, Symbol } from './household.js';

export const WASH_WINDOW_DAYS = 30;

/** The first and last day whose acquisitions can wash a loss realized on `saleDate`. */
export function washWindow(saleDate: Day): { readonly from: Day; readonly to: Day } {
  return { from: addDays(saleDate, -WASH_WINDOW_DAYS), to: addDays(saleDate, WASH_WINDOW_DAYS) };
}

/** Shares sold at a loss, as the matcher needs them. */
export interface LossShares {
  readonly shares: Shares;
  /** The loss as a positive amount (basis - proceeds). */
  readonly loss: Usd;
  readonly saleDate: Day;
  /** Adjusted acquisition date of the sold shares, the start of the period to tack on. */
  readonly heldFrom: Day;
}

/** Shares acquired within the window that may replace the loss shares. */
export interface Candidate<K> {
  readonly key: K;
  readonly acquired: Day;
  /** Booking order, the tie-break for same-day acquisitions. */
  readonly seq: number;
  /** Last tie-break among parts of one acquisition: account id and lot id. */
  readonly tieBreak: string;
  readonly available: Shares;
  /** In an IRA, Roth, 401(k) or HSA: the loss is lost for good (Rev. Rul. 2008-5). */
  readonly taxAdvantaged: boolean;
}

export interface Match<K> {
  readonly key: K;
  readonly shares: Shares;
  readonly disallowed: Usd;
  readonly permanent: boolean;
  /** Adjusted acquisition date for the replacement shares; undefined when permanent. */
  readonly heldFrom: Day | undefined;
}

/**
 * Orders candidates as Reg. §1.1091-1(c) matches them: earliest acquisition first, then booking
 * order; parts of one purchase split across accounts by a transfer tie, and the taxable part goes
 * first (see the module comment), then account id and lot id.
 */
export function compareCandidates<K>(a: Candidate<K>, b: Candidate<K>): number {
  return (
    a.acquired - b.acquired ||
    a.seq - b.seq ||
    Number(a.taxAdvantaged) - Number(b.taxAdvantaged) ||
    (a.tieBreak < b.tieBreak ? -1 : a.tieBreak > b.tieBreak ? 1 : 0)
  );
}

/**
 * Matches loss shares to replacement candidates and splits the loss over the matches by shares,
 * with cumulative rounding so the cents add up to loss x matched / sold exactly (and to the whole
 * loss when every share is replaced). Candidates must come in `compareCandidates` order, each with
 * shares available; they are read lazily and reading stops once every loss share is matched, so a
 * caller can generate them on demand from a window holding thousands of purchases.
 */
export function matchReplacements<K>(loss: LossShares, candidates: Iterable<Candidate<K>>): Match<K>[] {
  const heldDays = loss.saleDate - loss.heldFrom;
  const matches: Match<K>[] = [];
  let matched = 0;
  let disallowedSoFar = 0;
  for (const c of candidates) {
    const take = Math.min(c.available, loss.shares - matched);
    matched += take;
    const upTo = mulDivRound(loss.loss, matched, loss.shares);
    matches.push({
      key: c.key,
      shares: take as Shares,
      disallowed: (upTo - disallowedSoFar) as Usd,
      permanent: c.taxAdvantaged,
      heldFrom: c.taxAdvantaged ? undefined : addDays(c.acquired, -heldDays),
    });
    disallowedSoFar = upTo;
    if (matched === loss.shares) break;
  }
  return matches;
}

/**
 * Classes of substantially identical securities: a function from symbol to class key.
 * `same_symbol`: each symbol is its own class, joined by shared CUSIP when `matchCusip` is set.
 * `groups`: additionally, every symbol of a configured group is in one class (overlapping groups
 * merge). Symbols in different classes never wash each other — e.g. two ETFs on different indexes.
 */
export function identicalClasses(household: Household): (s: Symbol) => string {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(x, root);
    return root;
  };
  const union = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  const policy = household.settings.substantiallyIdentical;
  if (policy.matchCusip) {
    const byCusip = new Map<string, Symbol>();
    for (const s of household.securities) {
      if (s.cusip === undefined) continue;
      const first = byCusip.get(s.cusip);
      if (first === undefined) byCusip.set(s.cusip, s.symbol);
      else union(first, s.symbol);
    }
  }
  if (policy.policy === 'groups') {
    for (const group of policy.groups) {
      for (let i = 1; i < group.length; i++) union(group[0] as string, group[i] as string);
    }
  }
  return (s) => (parent.has(s) ? find(s) : s);
}

/**
 * The classes identical to `symbol`'s class on `day`: its own first, then those joined to it by
 * the policy's periods in force that day. Without periods it is always just its own class.
 */
export function identicalOn(household: Household): (symbol: Symbol, day: Day) => readonly string[] {
  const classOf = identicalClasses(household);
  const policy = household.settings.substantiallyIdentical;
  const periods = policy.policy === 'groups' ? (policy.periods ?? []) : [];
  const classes = periods.map((p) => ({ from: p.from ?? -Infinity, until: p.until ?? Infinity, keys: [...new Set(p.symbols.map(classOf))] }));
  return (symbol, day) => {
    const found = [classOf(symbol)];
    let grew = true;
    while (grew) {
      grew = false;
      for (const p of classes) {
        if (day < p.from || day > p.until || !p.keys.some((k) => found.includes(k))) continue;
        for (const k of p.keys) {
          if (!found.includes(k)) {
            found.push(k);
            grew = true;
          }
        }
      }
    }
    return found;
  };
}

/**
 * One name per set of identical classes on `day`: the smallest of `identicalOn`. The periods in
 * force join classes into connected sets, so `symbol`'s set holds `other`'s class exactly when the
 * two sets are one, and two symbols are identical exactly when their keys are equal.
 */
export function identicalKey(household: Household): (symbol: Symbol, day: Day) => string {
  const on = identicalOn(household);
  return (symbol, day) => {
    const found = on(symbol, day);
    let key = found[0] as string;
    for (const k of found) if (k < key) key = k;
    return key;
  };
}

/** Whether `a` and `b` are substantially identical on `day` under the household's policy. */
export function identicalRelation(household: Household): (a: Symbol, b: Symbol, day: Day) => boolean {
  const key = identicalKey(household);
  return (a, b, day) => key(a, day) === key(b, day);
}
