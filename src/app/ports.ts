/**
 * The application layer's ports: the only ways a use case reaches the world. Adapters implement
 * them (price directories and the store for prices, data/tax files for tax tables, the process
 * clock); tests and the backtester pass their own. A use case takes its ports as one `deps`
 * argument, so the CLI, the job workers and the HTTP server wire them once and call the same
 * function.
 */
import type { Day } from '../core/kernel/calendar.js';
import type { Result } from '../core/kernel/errors.js';
import type { MarketView } from '../core/harvest/config.js';
import type { Symbol } from '../core/ledger/household.js';
import type { FederalTaxTable, StateTaxTable } from '../core/tax/taxTables.js';

/** Today's calendar date and the instant, for stamps; the core never reads a clock. */
export interface Clock {
  today(): Day;
  now(): Date;
}

/** One year's federal and state tables, and the year they are for. */
export interface TaxYearTables {
  /** The year the tables are for: the requested year, or the latest earlier year that has tables. */
  readonly year: number;
  readonly federal: FederalTaxTable;
  readonly states: StateTaxTable;
}

export interface TaxTables {
  /** Tables for `year`; a year without tables gets the latest earlier one, and `year` says which. */
  forYear(year: number): Result<TaxYearTables>;
}

/**
 * The market as a policy may see it on one day: each security's close on or before that day, in
 * that day's share units (a lot bought before a later split and the day's close are in the same
 * units), never a later one.
 */
export interface MarketDay {
  readonly view: MarketView;
  /** The trading day whose closes are used (the day itself, or the last trading day before it). */
  readonly tradingDay: Day;
  /** Requested symbols without a close on that trading day. */
  readonly missing: readonly Symbol[];
}

export interface MarketSource {
  /**
   * The closes for `date` of `symbols` (and whatever else the source holds), or an issue when the
   * source has no closes for that date at all (after its data ends, before it starts).
   */
  marketOn(date: Day, symbols: readonly Symbol[]): Promise<Result<MarketDay>>;
}
