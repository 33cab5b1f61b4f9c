/**
 * The daily harvest of one household on one date: book its events through the date, price its
 * lots at that day's closes, work out its tax situation, and ask the one policy (`decide`) what to
 * do. The CLI (`lotsmith harvest`), the daily run over the book and the HTTP API all call this.
 *
 * What it refuses or reports instead of guessing: a date the market source has no closes for is an
 * issue; a held lot whose shares and the day's closes disagree about a split (the ledger lacks a
 * split the price data shows) is an issue naming the split and the account, never a phantom loss;
 * a held security without a close is named with the account that holds it; tax tables of an
 * earlier year stand in for a year without tables, and the result says so. On a weekend or holiday
 * the last trading day's closes are used, and a note says which.
 */
import { formatDay, yearOf, type Day } from '../core/kernel/calendar.js';
import { issue, type Issue, type Result } from '../core/kernel/errors.js';
import type { Usd } from '../core/kernel/exact.js';
import type { HarvestConfig } from '../core/harvest/config.js';
import { decide } from '../core/harvest/policy.js';
import type { Proposals } from '../core/harvest/proposals.js';
import type { Sleeve } from '../core/harvest/sleeve.js';
import { SLEEVE_TARGET } from '../core/harvest/sleevePart.js';
import { householdState, type Targets } from '../core/harvest/state.js';
import { book } from '../core/ledger/booking.js';
import { sourceOf, type LedgerEvent } from '../core/ledger/events.js';
import type { Lot } from '../core/ledger/lots.js';
import type { AccountId, Household, Symbol } from '../core/ledger/household.js';
import { splitConflicts } from '../core/market/splitCheck.js';
import { nonTradingDayNote, weekdayName } from '../core/market/tradingCalendar.js';
import type { Universe } from '../core/securities/universe.js';
import { marginalRates } from '../core/tax/marginalRates.js';
import type { TaxProfile } from '../core/tax/profile.js';
import type { MarketSource, TaxTables } from './ports.js';

/** What the harvester needs of a household beyond its ledger. */
export interface HarvestSetup {
  readonly profile: TaxProfile;
  /** Count state tax net of its federal deduction (docs/tax-model.md). */
  readonly stateDeductible: boolean;
  /** Per account; accounts without targets are harvested but not rebalanced. */
  readonly targets: ReadonlyMap<AccountId, Targets>;
  readonly config: HarvestConfig;
}

export interface DailyHarvestRequest {
  readonly household: Household;
  readonly events: readonly LedgerEvent[];
  readonly setup: HarvestSetup;
  readonly date: Day;
  /** Cash to raise today, per account. */
  readonly withdrawals?: ReadonlyMap<AccountId, Usd>;
  /** Explain every candidate (default true). */
  readonly explain?: boolean;
  /** Sleeves managed beside the ETF classes (a direct index: directHarvest.ts). */
  readonly sleeves?: readonly Sleeve[];
  /** Securities the sleeves may buy, priced with the held and tradable ones. */
  readonly alsoPrice?: readonly Symbol[];
}

export interface DailyHarvestDeps {
  readonly market: MarketSource;
  readonly tax: TaxTables;
  readonly universe: Universe;
}

export interface DailyHarvest {
  readonly proposals: Proposals;
  /** The trading day whose closes priced the household. */
  readonly tradingDay: Day;
  /** The tax year whose tables were used (may be earlier than the date's year). */
  readonly taxYear: number;
  /** What the caller should know: stand-in tables, the trading day used for a non-trading date. */
  readonly notes: readonly string[];
}

export async function dailyHarvest(deps: DailyHarvestDeps, req: DailyHarvestRequest): Promise<Result<DailyHarvest>> {
  const unknown = [...(req.withdrawals?.keys() ?? [])].filter((a) => !req.household.accounts.some((x) => x.id === a));
  if (unknown.length > 0) {
    return { ok: false, issues: unknown.map((a) => issue('UNKNOWN_ACCOUNT', `withdrawal from unknown account "${a}"`, { field: 'withdrawals' })) };
  }
  // Cash set aside for a sleeve nobody runs would wait for ever.
  const managed = new Set((req.sleeves ?? []).map((s) => s.account));
  const orphans = [...req.setup.targets].filter(([a, t]) => t.has(SLEEVE_TARGET) && !managed.has(a)).map(([a]) => a);
  if (orphans.length > 0) {
    return {
      ok: false,
      issues: orphans.map((a) => issue('BAD_VALUE', `"${SLEEVE_TARGET}" is the weight of a direct index, but account "${a}" is not run as one: use lotsmith direct harvest --account ${a}`, { field: `targets.${a}` })),
    };
  }
  const ledger = book(req.household, req.events, { through: req.date });
  if (!ledger.ok) return ledger;
  const held = [...new Set(ledger.value.openLots.map((l) => l.symbol))];
  const tradable = deps.universe.classes.flatMap((c) => c.securities.filter((s) => s.priceData).map((s) => s.symbol));
  const market = await deps.market.marketOn(req.date, [...new Set<Symbol>([...held, ...tradable, ...(req.alsoPrice ?? [])])]);
  if (!market.ok) return market;
  const problems = [
    ...splitConflicts(ledger.value.openLots, req.events, market.value.splits, market.value.tradingDay),
    ...unpricedHoldings(ledger.value.openLots, req.events, market.value.missing, market.value.tradingDay),
  ];
  if (problems.length > 0) return { ok: false, issues: problems };
  const year = yearOf(req.date);
  const tables = deps.tax.forYear(year);
  if (!tables.ok) return tables;
  const { federal, states } = tables.value;
  const rates = marginalRates(federal, states, req.setup.profile, { stateDeductible: req.setup.stateDeductible });
  if (!rates.ok) return rates;
  const state = householdState({
    date: req.date,
    events: req.events,
    ledger: ledger.value,
    targets: req.setup.targets,
    ...(req.withdrawals !== undefined ? { withdrawals: req.withdrawals } : {}),
    tax: { table: federal, profile: req.setup.profile, rates: rates.value },
  });
  const proposals = decide(req.date, state, market.value.view, { universe: deps.universe, config: req.setup.config, explain: req.explain ?? true, ...(req.sleeves !== undefined ? { sleeves: req.sleeves } : {}) });
  const notes: string[] = [];
  if (tables.value.year !== year) notes.push(`no tax tables for ${year}: using the ${tables.value.year} tables`);
  if (market.value.tradingDay !== req.date) notes.push(nonTradingDayNote(req.date, market.value.tradingDay));
  return { ok: true, value: { proposals, tradingDay: market.value.tradingDay, taxYear: tables.value.year, notes } };
}

/** One issue per account and held security without a close, at the event that bought its first lot. */
function unpricedHoldings(lots: readonly Lot[], events: readonly LedgerEvent[], missing: readonly Symbol[], tradingDay: Day): Issue[] {
  const byId = new Map(events.map((e) => [e.id as string, e]));
  const groups = new Map<string, Lot[]>();
  for (const lot of lots) {
    if (!missing.includes(lot.symbol)) continue;
    const key = `${lot.account}\u0000${lot.symbol}`;
    groups.set(key, [...(groups.get(key) ?? []), lot]);
  }
  return [...groups.values()].map((held) => {
    const first = held[0] as Lot;
    const origin = byId.get(first.origin);
    const ids = held.map((l) => l.id).join(', ');
    return issue(
      'UNKNOWN_SECURITY',
      `no close for ${first.symbol} on ${weekdayName(tradingDay)} ${formatDay(tradingDay)} in the price data, held in account ${first.account} (lot${held.length > 1 ? 's' : ''} ${ids}): ` +
        'every held security needs a close to be valued',
      origin === undefined ? { eventId: first.origin, field: 'symbol' } : { ...sourceOf(origin), field: 'symbol' },
    );
  });
}
