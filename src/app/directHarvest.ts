/**
 * The daily harvest of a household some of whose accounts hold a direct index: the risk model is
 * estimated from the index's returns before the date only, each direct account becomes a
 * `DirectSleeve` beside the ETF classes, and the one daily use case (`dailyHarvest`) books,
 * prices and decides. The CLI (`lotsmith direct harvest`) calls this; the API can too.
 *
 * A direct account may also hold ETF classes: its targets then weigh the direct index as
 * `direct_index` beside them (core/harvest/sleevePart.ts), e.g. {"direct_index": 0.7, "us_bonds": 0.3}.
 *
 * Refused before deciding, each with an issue naming what is wrong: a direct account the household
 * does not have, or whose targets name ETF classes but no `direct_index` weight, an exclusion that was never a member of the index (or an unknown sector), a date the index data or the
 * benchmark has no prices for, too few returns for the risk model's window, and construction
 * bounds no portfolio can meet (the sleeve's target portfolio is built first to find out).
 */
import { formatDay } from '../core/kernel/calendar.js';
import { issue, type Issue, type Result } from '../core/kernel/errors.js';
import type { AccountId, Symbol } from '../core/ledger/household.js';
import { closeOnOrBefore } from '../core/market/prices.js';
import { buildPortfolio } from '../core/direct/construction.js';
import { DirectSleeve, type DirectConfig, type HarvestReport } from '../core/direct/directSleeve.js';
import { membersOn, sectorOf, trustedFrom } from '../core/direct/indexUniverse.js';
import type { QpSolver } from '../core/direct/qp.js';
import { returnWindow } from '../core/direct/returnWindow.js';
import { DEFAULT_RISK_OPTIONS, estimateRiskModel, type RiskModelOptions } from '../core/direct/riskModel.js';
import { withShareClasses } from '../core/direct/shareClasses.js';
import type { TransitionReport } from '../core/direct/transition.js';
import { SLEEVE_TARGET } from '../core/harvest/sleevePart.js';
import { dailyHarvest, type DailyHarvest, type DailyHarvestDeps, type DailyHarvestRequest } from './dailyHarvest.js';
import type { IndexSource } from './ports.js';

export interface DirectHarvestRequest extends Omit<DailyHarvestRequest, 'sleeves' | 'alsoPrice'> {
  /** Accounts managed as a direct index, one sleeve each. */
  readonly accounts: readonly AccountId[];
  readonly direct: DirectConfig;
  /** The index fund the portfolio tracks (its prices come with the ETF prices). */
  readonly benchmark: Symbol;
  /** Trading days of returns the risk model is estimated on. */
  readonly window: number;
  readonly risk?: RiskModelOptions;
}

export interface DirectHarvestDeps extends DailyHarvestDeps {
  readonly index: IndexSource;
  readonly solver: QpSolver;
}

export interface DirectHarvest {
  readonly daily: DailyHarvest;
  /** What each harvest of a direct account did to its tracking error. */
  readonly harvests: readonly HarvestReport[];
  /** What each transition sale did (when the config has a transition). */
  readonly transitions: readonly TransitionReport[];
  /** Stocks the risk model covers on the date, and the target portfolio's ex-ante tracking error. */
  readonly candidates: number;
  readonly targetTrackingError: number;
}

export async function directHarvest(deps: DirectHarvestDeps, req: DirectHarvestRequest): Promise<Result<DirectHarvest>> {
  const fail = (i: Issue): Result<DirectHarvest> => ({ ok: false, issues: [i] });
  const unknown = req.accounts.filter((a) => !req.household.accounts.some((x) => x.id === a));
  if (unknown.length > 0) return { ok: false, issues: unknown.map((a) => issue('UNKNOWN_ACCOUNT', `direct index in unknown account "${a}"`, { field: 'accounts' })) };
  // Without a weight the sleeve would get no cash and the ETF classes would count it as outside the model.
  const unweighted = req.accounts.filter((a) => req.setup.targets.has(a) && !(req.setup.targets.get(a)?.has(SLEEVE_TARGET) ?? false));
  if (unweighted.length > 0) {
    return {
      ok: false,
      issues: unweighted.map((a) =>
        issue('CONFLICT', `account "${a}" is named as a direct index and has ETF targets without a "${SLEEVE_TARGET}" weight: give the direct index its share beside the ETF classes, e.g. {"weights": {"${SLEEVE_TARGET}": 0.7, "us_bonds": 0.3}}, or drop its targets`, { field: `targets.${a}` }),
      ),
    };
  }
  const universe = deps.index.universe();
  if (!universe.ok) return universe;
  const u = universe.value;
  const never = (req.direct.construction.excludeSymbols ?? []).filter((s) => !u.intervals.has(s));
  if (never.length > 0) return fail(issue('UNKNOWN_SECURITY', `unknown ticker${never.length > 1 ? 's' : ''} ${never.join(', ')}: never a member of the index`, { field: 'exclude' }));
  const sectors = new Set([...u.sectors.values()].map((e) => e.sector));
  const noSector = (req.direct.construction.excludeSectors ?? []).filter((x) => !sectors.has(x));
  if (noSector.length > 0) return fail(issue('BAD_VALUE', `unknown sector ${noSector.join(', ')}; known: ${[...sectors].sort().join(', ')}`, { field: 'exclude-sector' }));
  const day = formatDay(req.date);
  const members = membersOn(u, req.date);
  if (members.length === 0) return fail(issue('NO_CLOSES', `no index members on ${day}`, { field: 'date' }));
  const book = deps.index.prices(members, req.benchmark);
  if (!book.ok) return book;
  const bench = book.value.series.get(req.benchmark);
  if (bench === undefined || closeOnOrBefore(bench, req.date) === undefined) {
    return fail(issue('NO_CLOSES', `no prices on ${day}: the benchmark ${req.benchmark} has no close on or within a week before that date`, { field: 'date' }));
  }
  const priced = members.filter((s) => {
    const series = book.value.series.get(s);
    return series !== undefined && closeOnOrBefore(series, req.date) !== undefined;
  });
  if (priced.length === 0) return fail(issue('NO_CLOSES', `no prices on ${day}: none of the ${members.length} members of the index has a close`, { field: 'date' }));
  const w = returnWindow(book.value, req.benchmark, priced, req.date, req.window, (s) => trustedFrom(u, s, req.date));
  if (!w.ok) return fail(issue('BAD_VALUE', w.message, { field: 'window' }));
  const model = estimateRiskModel(w.window, req.risk ?? DEFAULT_RISK_OPTIONS);
  const target = buildPortfolio(model, req.direct.construction, (s) => sectorOf(u, s), deps.solver);
  if (!target.ok) return fail(issue('BAD_VALUE', target.message, { field: 'construction' }));
  const sleeves = req.accounts.map((account) => new DirectSleeve({ account, universe: u, model, solver: deps.solver, config: req.direct }));
  const daily = await dailyHarvest(deps, { ...req, household: withShareClasses(req.household, u), sleeves, alsoPrice: model.symbols });
  if (!daily.ok) return daily;
  return {
    ok: true,
    value: {
      daily: daily.value,
      harvests: sleeves.flatMap((s) => s.reports),
      transitions: sleeves.flatMap((s) => s.transition?.reports ?? []),
      candidates: model.symbols.length,
      targetTrackingError: target.trackingError,
    },
  };
}
