/**
 * The daily harvest of one household on one date: book its events through the date, price its
 * lots at that day's closes, work out its tax situation, and ask the one policy (`decide`) what to
 * do. The CLI (`lotsmith harvest`), the daily run over the book and the HTTP API all call this.
 *
 * What it refuses or reports instead of guessing: a date the market source has no closes for is an
 * issue; a held security without a close is named with the account that holds it; tax tables of an
 * earlier year stand in for a year without tables, and the result says so.
 */
import { formatDay, yearOf, type Day } from '../core/kernel/calendar.js';
import { issue, type Result } from '../core/kernel/errors.js';
import type { Usd } from '../core/kernel/exact.js';
import type { HarvestConfig } from '../core/harvest/config.js';
import { decide } from '../core/harvest/policy.js';
import type { Proposals } from '../core/harvest/proposals.js';
import { householdState, type Targets } from '../core/harvest/state.js';
import { book } from '../core/ledger/booking.js';
import type { LedgerEvent } from '../core/ledger/events.js';
import type { AccountId, Household, Symbol } from '../core/ledger/household.js';
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
  const ledger = book(req.household, req.events, { through: req.date });
  if (!ledger.ok) return ledger;
  const year = yearOf(req.date);
  const tables = deps.tax.forYear(year);
  if (!tables.ok) return tables;
  const { federal, states } = tables.value;
  const rates = marginalRates(federal, states, req.setup.profile, { stateDeductible: req.setup.stateDeductible });
  if (!rates.ok) return rates;
  const held = [...new Set(ledger.value.openLots.map((l) => l.symbol))];
  const tradable = deps.universe.classes.flatMap((c) => c.securities.filter((s) => s.priceData).map((s) => s.symbol));
  const market = await deps.market.marketOn(req.date, [...new Set<Symbol>([...held, ...tradable])]);
  if (!market.ok) return market;
  const missingHeld = market.value.missing.filter((s) => held.includes(s));
  if (missingHeld.length > 0) {
    return {
      ok: false,
      issues: missingHeld.map((s) => {
        const lot = ledger.value.openLots.find((l) => l.symbol === s);
        return issue('UNKNOWN_SECURITY', `no close for ${s} on ${formatDay(market.value.tradingDay)}, held in account ${lot?.account ?? '?'} (bought by event ${lot?.origin ?? '?'})`, {
          ...(lot !== undefined ? { eventId: lot.origin } : {}),
          field: 'symbol',
        });
      }),
    };
  }
  const state = householdState({
    date: req.date,
    events: req.events,
    ledger: ledger.value,
    targets: req.setup.targets,
    ...(req.withdrawals !== undefined ? { withdrawals: req.withdrawals } : {}),
    tax: { table: federal, profile: req.setup.profile, rates: rates.value },
  });
  const proposals = decide(req.date, state, market.value.view, { universe: deps.universe, config: req.setup.config, explain: req.explain ?? true });
  const notes: string[] = [];
  if (tables.value.year !== year) notes.push(`no tax tables for ${year}: using the ${tables.value.year} tables`);
  if (market.value.tradingDay !== req.date) notes.push(`${formatDay(req.date)} is not a trading day: using the closes of ${formatDay(market.value.tradingDay)}`);
  return { ok: true, value: { proposals, tradingDay: market.value.tradingDay, taxYear: tables.value.year, notes } };
}
