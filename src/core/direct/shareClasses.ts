/**
 * Share classes of one issuer (GOOG/GOOGL) in the household's substantially-identical policy, so
 * the wash guard that plans trades and the wash-sale engine that books them agree: a loss sale of
 * one class is washed by a purchase of the other, in any account of the household. The index's
 * list is the default (indexUniverse.DEFAULT_SHARE_CLASSES); a household that reads §1091 more
 * narrowly passes an empty list to the index loader instead.
 */
import type { Household, Symbol } from '../ledger/household.js';
import type { IndexUniverse } from './indexUniverse.js';

export function withShareClasses(household: Household, universe: IndexUniverse): Household {
  const policy = household.settings.substantiallyIdentical;
  const extra = universe.shareClasses.filter((g) => g.length > 1);
  if (extra.length === 0) return household;
  const groups: (readonly Symbol[])[] = policy.policy === 'groups' ? [...policy.groups, ...extra] : extra;
  // The household's settings name only securities it lists: the share classes are listed too.
  const listed = new Set(household.securities.map((s) => s.symbol));
  const securities = [...household.securities, ...extra.flat().filter((s) => !listed.has(s)).map((symbol) => ({ symbol }))];
  return { ...household, securities, settings: { ...household.settings, substantiallyIdentical: { ...policy, policy: 'groups', groups } } };
}
