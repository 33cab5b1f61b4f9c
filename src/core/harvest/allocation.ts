/**
 * The weights an account's trades aim at on one day. A household's targets name every asset class,
 * but on a given day some class may be unable to trade: its funds do not exist yet, their series
 * stopped, or (for buying) every one would wash a recent loss or is locked. Aiming at such a class
 * makes the drift band stay exceeded and the account rebalance again and again for nothing, so:
 *
 *  - The targets are renormalized over the classes with at least one priced fund today; the
 *    value held in the others (unpriced, cannot be sold either) is left out of the total.
 *  - A class being phased in (`HouseholdState.phaseIn`: it became tradable after the account was
 *    funded, so it starts far below its weight) is filled by cash flows first — deposits,
 *    dividends and the proceeds of rebalancing the band calls for — and never by sales of its
 *    own: the drift test and the amounts rebalancing sells leave it out (`'rebalance'` view),
 *    while the cash it is owed counts when cash is invested (`'invest'` view). Whoever keeps the
 *    account's state (the backtester) ends the phase-in once it is within the band.
 *  - An underweight class none of whose funds can be bought today does not trigger rebalancing
 *    (`driftBeyondBand` with `canBuy`): the sales would have nowhere to go tomorrow either.
 *
 * So every rebalancing trade has a reason that is still true the next day: real drift of classes
 * that can trade.
 */
import type { Targets } from './state.js';

export type AllocationView = 'invest' | 'rebalance';

/**
 * Target weights over the classes counted today, summing to 1 (empty when none is counted):
 * those `priced` today, less the classes phasing in for the `'rebalance'` view.
 */
export function dayTargets(targets: Targets, priced: (classId: string) => boolean, phasing: ReadonlySet<string> | undefined, view: AllocationView): Map<string, number> {
  const out = new Map<string, number>();
  let sum = 0;
  for (const [id, w] of targets) {
    if (!priced(id) || (view === 'rebalance' && phasing?.has(id) === true)) continue;
    out.set(id, w);
    sum += w;
  }
  if (sum <= 0) return new Map();
  for (const [id, w] of out) out.set(id, w / sum);
  return out;
}

/**
 * Whether some counted class is off its day target by more than the band: overweight, or
 * underweight and buyable today (`canBuy`; the screen, which cannot see the wash guard, passes
 * none and so errs towards deciding). `values` are dollars per class, `total` their sum plus cash.
 */
export function driftBeyondBand(weights: ReadonlyMap<string, number>, values: (classId: string) => number, total: number, band: number, canBuy?: (classId: string) => boolean): boolean {
  if (total <= 0) return false;
  for (const [id, w] of weights) {
    const drift = values(id) / total - w;
    if (drift > band) return true;
    if (drift < -band && (canBuy === undefined || canBuy(id))) return true;
  }
  return false;
}
