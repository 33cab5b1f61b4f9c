/**
 * Do a household's lots and the day's closes count shares the same way? The closes are in the
 * day's own units (shareUnits.ts), which follow the splits the price data shows; the lots follow
 * the split events the ledger books. When the two disagree about a split between a lot's purchase
 * and the day, every price of that security is off by the split ratio for that lot: a 2-for-1
 * split the ledger lacks halves the lot's value and shows a phantom 50 % loss, exactly what a
 * harvester must never harvest. Such a lot is reported, never priced.
 *
 * For each open lot, with `u` the date its shares arrived (the buy, reinvestment or transfer in)
 * and `t` the trading day:
 *  - a split the price data shows in (u, t] needs a ledger split of the same ratio within
 *    `SPLIT_DATE_TOLERANCE_DAYS`, on or before t;
 *  - a ledger split in (u, t] that matches a split the data shows only after t means the closes
 *    of t are still pre-split.
 * A ledger split the price data does not show at all is no conflict for day t: the data's close
 * of t is in t's units whatever happened before t (a file without a split column is an example).
 *
 * With `since`, only splits after it are checked, and a lot whose buying event is not among the
 * events given is taken to have arrived before it: the daily run over the book checks the splits
 * of the last 30 days against the events of those days, every day, instead of whole histories.
 *
 * The tolerance exists because split dates are not always exact in price data (the shared data's
 * split dates after 2020 were inferred and a 2:1 date can be 1-2 trading days early) and because a
 * ledger may book a split on its record or payable date.
 *
 * Example: 100 SCHB bought 2020-02-19, run on 2022-03-14, no split event in the ledger: the data's
 * 2-for-1 split on 2022-03-11 is reported for the lot's account with the split's date and ratio.
 */
import { formatDay, type Day } from '../kernel/calendar.js';
import { issue, type Issue } from '../kernel/errors.js';
import { sourceOf, type LedgerEvent, type Split } from '../ledger/events.js';
import type { Symbol } from '../ledger/household.js';
import type { Lot } from '../ledger/lots.js';
import type { SplitRow } from './shareUnits.js';

/** How far apart (calendar days) a ledger split and a price-data split of the same ratio may be and still be one split. */
export const SPLIT_DATE_TOLERANCE_DAYS = 7;

const sameRatio = (a: number, b: number): boolean => Math.abs(a / b - 1) < 1e-9;

/** A ratio as new shares for old ones in small whole numbers: 2 -> 2 for 1, 0.1 -> 1 for 10, 1.5 -> 3 for 2. */
export function ratioTerms(ratio: number): { to: number; from: number } {
  for (let k = 1; k <= 1000; k++) {
    const n = ratio * k;
    if (Math.abs(n - Math.round(n)) < 1e-9 * k) return { to: Math.round(n), from: k };
  }
  return { to: ratio, from: 1 };
}

const describeRatio = (ratio: number): string => {
  const { to, from } = ratioTerms(ratio);
  return `${to}-for-${from}`;
};

/** Issues for every open lot whose shares and the closes of `day` disagree about a split (module comment). */
export function splitConflicts(
  lots: readonly Lot[],
  events: readonly LedgerEvent[],
  splits: ReadonlyMap<Symbol, readonly SplitRow[]>,
  day: Day,
  options: { readonly since?: Day } = {},
): Issue[] {
  const byId = new Map<string, LedgerEvent>(events.map((e) => [e.id, e]));
  const ledgerSplits = events.filter((e): e is Split => e.kind === 'split');
  const found = new Map<string, { issue: Issue; lots: string[] }>();
  const report = (key: string, lot: Lot, make: () => Issue): void => {
    const seen = found.get(key);
    if (seen !== undefined) seen.lots.push(lot.id);
    else found.set(key, { issue: make(), lots: [lot.id] });
  };
  for (const lot of lots) {
    const data = splits.get(lot.symbol) ?? [];
    if (data.length === 0 && !ledgerSplits.some((s) => s.symbol === lot.symbol)) continue;
    const origin = byId.get(lot.origin);
    const arrived = origin?.date ?? options.since;
    if (arrived === undefined) continue;
    const since = options.since === undefined || arrived > options.since ? arrived : options.since;
    const booked = ledgerSplits.filter((s) => s.symbol === lot.symbol && (s.account === undefined || s.account === lot.account));
    const near = (d: Day, ratio: number): Split | undefined => booked.find((s) => sameRatio(s.to / s.from, ratio) && Math.abs(s.date - d) <= SPLIT_DATE_TOLERANCE_DAYS);
    const where = origin === undefined ? { eventId: lot.origin, field: 'symbol' } : { ...sourceOf(origin), field: 'symbol' };
    const what = (ratio: number): string => `a ${describeRatio(ratio)} split of ${lot.symbol}`;
    for (const d of data) {
      if (d.day <= since || d.day > day) continue;
      const match = near(d.day, d.ratio);
      if (match !== undefined && match.date <= day) continue;
      const key = `${lot.account}\u0000${lot.symbol}\u0000${d.day}`;
      report(key, lot, () =>
        issue(
          'SPLIT_MISMATCH',
          match === undefined
            ? `the price data shows ${what(d.ratio)} on ${formatDay(d.day)}, after this lot was bought (${formatDay(origin?.date ?? lot.acquired)}) in account ${lot.account}, ` +
                `but the ledger has no split event for it: the lot counts pre-split shares and the closes of ${formatDay(day)} are post-split. ` +
                `Add the split to the ledger (action split, symbol ${lot.symbol}, split_from ${ratioTerms(d.ratio).from}, split_to ${ratioTerms(d.ratio).to}, dated the day it took effect) ` +
                "or correct the price file's split column"
            : `the price data shows ${what(d.ratio)} on ${formatDay(d.day)} but the ledger books it on ${formatDay(match.date)} (event ${match.id}), after ${formatDay(day)}: ` +
                `on ${formatDay(day)} the closes are post-split and the lot in account ${lot.account} is not. ` +
                'Price data may date a split a day or two early (docs/prices.md); check the date the split took effect',
          where,
        ),
      );
    }
    for (const s of booked) {
      if (s.date <= since || s.date > day) continue;
      const later = data.find((d) => d.day > day && sameRatio(d.ratio, s.to / s.from) && Math.abs(d.day - s.date) <= SPLIT_DATE_TOLERANCE_DAYS);
      if (later === undefined) continue;
      report(`${lot.account}\u0000${lot.symbol}\u0000${s.id}`, lot, () =>
        issue(
          'SPLIT_MISMATCH',
          `the ledger books ${what(s.to / s.from)} on ${formatDay(s.date)} (event ${s.id}) but the price data shows it on ${formatDay(later.day)}: ` +
            `on ${formatDay(day)} the closes are still pre-split and the lot in account ${lot.account} is not. Check the date the split took effect`,
          where,
        ),
      );
    }
  }
  return [...found.values()].map(({ issue: i, lots }) => (lots.length === 1 ? i : { ...i, message: `${i.message}; the same holds for lot${lots.length > 2 ? 's' : ''} ${lots.slice(1).join(', ')}` }));
}
