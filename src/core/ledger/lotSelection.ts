/**
 * Which lots a sale relieves: a table of small strategies sharing one helper (`takeInOrder`).
 * Each strategy only orders the open lots; taking shares in that order is common to all.
 *
 *   FIFO     earliest acquired first
 *   LIFO     latest acquired first
 *   HIFO     highest basis per share first (ties: FIFO)
 *   TAX_MIN  short-term losses, then long-term losses (largest loss per share first), then
 *            long-term gains (smallest first), short-term gains last (smallest first)
 *   SPECIFIC the lots the sale names, by acquiring event id, optionally with share counts
 *
 * Open lots are given in acquisition order. The result names lots by index and never mutates.
 */
import type { Day } from '../kernel/calendar.js';
import { format, perShare, type Price, type Shares } from '../kernel/exact.js';
import type { LotMethod } from './household.js';
import type { LotPick, LotSelection } from './events.js';
import { termOf } from './holdingPeriod.js';
import type { Lot } from './lots.js';

export interface Relief {
  readonly index: number;
  readonly shares: Shares;
}

export type SelectionOutcome =
  | { readonly ok: true; readonly reliefs: readonly Relief[] }
  | { readonly ok: false; readonly code: 'OVERSELL' | 'UNKNOWN_LOT'; readonly message: string };

export interface SaleContext {
  readonly date: Day;
  readonly price: Price;
}

/** An order of lot indices: ascending, descending, or an explicit permutation. */
type Order = 'forward' | 'backward' | readonly number[];
type Ordering = (open: readonly Lot[], ctx: SaleContext) => Order;

// Open lots are in acquisition order and Array.prototype.sort is stable (ECMA-262 since ES2019):
// lots tied on the key keep their index order, so ties are broken first in, first out.
const byKey = (open: readonly Lot[], compare: (a: number, b: number) => number): number[] => open.map((_, i) => i).sort(compare);

const ORDERINGS: Readonly<Record<Exclude<LotMethod, 'SPECIFIC'>, Ordering>> = {
  FIFO: () => 'forward',
  LIFO: () => 'backward',
  HIFO: (open) => {
    const unit = open.map((l) => perShare(l.basis, l.shares) as number);
    return byKey(open, (a, b) => (unit[b] as number) - (unit[a] as number));
  },
  TAX_MIN: (open, ctx) => {
    const category = new Int8Array(open.length);
    const gain = open.map((l, i) => {
      const g = ctx.price - perShare(l.basis, l.shares);
      const long = termOf(l.heldFrom, ctx.date) === 'long';
      category[i] = g < 0 ? (long ? 1 : 0) : long ? 2 : 3;
      return g;
    });
    return byKey(open, (a, b) => (category[a] as number) - (category[b] as number) || (gain[a] as number) - (gain[b] as number));
  },
};

export function selectLots(
  open: readonly Lot[],
  want: Shares,
  selection: LotSelection,
  ctx: SaleContext,
): SelectionOutcome {
  if (selection.method === 'SPECIFIC') {
    const held = open.reduce((s, l) => s + l.shares, 0);
    if (want > held) return oversell(want, held);
    return selectSpecific(open, want, selection.lots);
  }
  const reliefs = takeInOrder(open, want, ORDERINGS[selection.method](open, ctx));
  return reliefs ?? oversell(want, open.reduce((s, l) => s + l.shares, 0));
}

function oversell(want: number, held: number): SelectionOutcome {
  return { ok: false, code: 'OVERSELL', message: `${sharesText(want)} shares requested but ${sharesText(held)} held` };
}

/** Takes `want` shares in `order`; undefined when the lots hold fewer. */
function takeInOrder(open: readonly Lot[], want: number, order: Order): SelectionOutcome | undefined {
  const reliefs: Relief[] = [];
  let left = want;
  const n = open.length;
  for (let k = 0; k < n && left > 0; k++) {
    const index = order === 'forward' ? k : order === 'backward' ? n - 1 - k : (order[k] as number);
    const lot = open[index] as Lot;
    const take = lot.shares < left ? lot.shares : left;
    reliefs.push({ index, shares: take as Shares });
    left -= take;
  }
  return left > 0 ? undefined : { ok: true, reliefs };
}

/**
 * The named lots: a pick with a share count takes exactly that many; a pick without one takes the
 * whole lot — or, when it is the only pick without a count, the shares the sale still needs from
 * that lot (selling 4 of a 10-share lot by naming it identifies the shares sold: Treas. Reg.
 * 1.1012-1(c)). Several uncounted picks that hold more than the sale leave open which shares are
 * sold, so they are refused with a request for counts.
 */
function selectSpecific(open: readonly Lot[], want: number, picks: readonly LotPick[]): SelectionOutcome {
  const taken = new Map<number, number>();
  let total = 0;
  const take = (matching: readonly number[], limit: number): number => {
    let left = limit;
    for (const i of matching) {
      const available = (open[i] as Lot).shares - (taken.get(i) ?? 0);
      const n = Math.min(available, left);
      if (n <= 0) continue;
      taken.set(i, (taken.get(i) ?? 0) + n);
      total += n;
      left -= n;
    }
    return limit - left;
  };
  const uncounted: { lot: string; matching: number[] }[] = [];
  for (const pick of picks) {
    // An acquiring event's id names every part of its lot, whatever wash sales or transfers split
    // off since (the part that kept the id included); a part's own id ("e3#2") names that part alone.
    const matching: number[] = [];
    open.forEach((l, i) => {
      if (l.origin === pick.lot) matching.push(i);
    });
    if (matching.length === 0) {
      open.forEach((l, i) => {
        if (l.id === pick.lot) matching.push(i);
      });
    }
    if (matching.length === 0) {
      return { ok: false, code: 'UNKNOWN_LOT', message: `no open lot "${pick.lot}" in this account and security` };
    }
    if (pick.shares === undefined) {
      uncounted.push({ lot: pick.lot, matching });
      continue;
    }
    if (take(matching, pick.shares) < pick.shares) {
      return { ok: false, code: 'OVERSELL', message: `lot "${pick.lot}" has fewer than ${sharesText(pick.shares)} shares open` };
    }
  }
  const many = (): SelectionOutcome => ({
    ok: false,
    code: 'UNKNOWN_LOT',
    message: `the named lots hold ${sharesText(total)} shares but the sale is for ${sharesText(want)}: say how many shares come from each, e.g. {"lot": "e1", "shares": 5} (e1:5 in CSV)`,
  });
  const only = uncounted.length === 1 ? uncounted[0] : undefined;
  if (only !== undefined) {
    if (total >= want) {
      return { ok: false, code: 'UNKNOWN_LOT', message: `lot "${only.lot}" is named but the lots with share counts already give the ${sharesText(want)} shares sold` };
    }
    take(only.matching, want - total);
  } else for (const u of uncounted) take(u.matching, Infinity);
  if (total < want) {
    return { ok: false, code: 'UNKNOWN_LOT', message: `the named lots cover ${sharesText(total)} shares but the sale is for ${sharesText(want)}` };
  }
  if (total > want) return many();
  const reliefs = [...taken.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, shares]) => ({ index, shares: shares as Shares }));
  return { ok: true, reliefs };
}

function sharesText(scaled: number): string {
  return format('shares', scaled);
}
