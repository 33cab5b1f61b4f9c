/**
 * `lotsmith lots` and `lotsmith gains`: a household from a case file (`--input`) or from the book
 * (`--household`), booked by the core, printed.
 */
import type { Command } from 'commander';
import { book } from '../../core/ledger/booking.js';
import { householdEvents } from '../../app/bookHousehold.js';
import { householdId } from '../../app/ports.js';
import { describeIssue, issue, type Issue, type Result } from '../../core/kernel/errors.js';
import type { LedgerEvent } from '../../core/ledger/events.js';
import type { Household } from '../../core/ledger/household.js';
import { form8949 } from '../../core/ledger/form8949.js';
import { lastDayOfYear } from '../../core/kernel/calendar.js';
import { holdingsOn } from '../../app/holdings.js';
import type { MarketSource } from '../../app/ports.js';
import { loadCase } from '../files/caseFile.js';
import { PACKAGE_ROOT, resolvePriceDir } from '../files/priceDirectory.js';
import { priceDirectoryMarket } from '../files/priceDirectoryMarket.js';
import { gainsCsv, gainsJson, gainsTable, gainsTxf, type GainsView, type TxfBox } from '../render/gains.js';
import { lotsCsv, lotsJson, lotsTable } from '../render/lots.js';
import { UsageError, type CliIo } from './io.js';
import { collect, dayOption, formatOption, priceOptions, yearOption } from './options.js';
import { addStoreOptions, withBook, type StoreFlags } from './storeOptions.js';

/** Prints every issue and a closing line that says nothing was applied. */
export function reportIssues(io: CliIo, issues: readonly Issue[]): number {
  for (const i of issues) io.err(`error: ${describeIssue(i)}\n`);
  io.err(`lotsmith: ${issues.length} problem${issues.length === 1 ? '' : 's'} found; nothing was applied.\n`);
  return 1;
}

interface HouseholdSource extends StoreFlags {
  readonly input?: string;
  readonly household?: string;
}

/** The household and its events, from a case file or from the book. */
async function loadHousehold(io: CliIo, o: HouseholdSource): Promise<Result<{ household: Household; events: readonly LedgerEvent[] }>> {
  if ((o.input === undefined) === (o.household === undefined)) throw new UsageError('name the household with either --input FILE or --household ID');
  if (o.input !== undefined) return loadCase(o.input);
  const id = householdId(o.household as string);
  let found: Result<{ household: Household; events: readonly LedgerEvent[] }> | undefined;
  const code = await withBook(io, o, async (store, tenant) => {
    const r = await householdEvents(store, tenant, id);
    found = r.ok ? { ok: true, value: { household: r.value.stored.household, events: r.value.events } } : r;
    return 0;
  });
  return found ?? { ok: false, issues: [issue('NOT_FOUND', `the book could not be opened (exit ${code})`, { field: 'household' })] };
}

export function registerCaseCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  addStoreOptions(
    program
    .command('lots')
    .description('open tax lots of a household (optionally as of a date, valued at given prices or at the closes of a price directory)')
    .option('-i, --input <file>', 'household case: JSON file, or a directory / transactions.csv with accounts.csv')
    .option('--household <id>', 'a household of the book instead of a case file')
    .option('--as-of <date>', 'book only events on or before this date (YYYY-MM-DD); lots are valued on it')
    .option('--price <SYMBOL=PRICE>', 'price for valuation, as traded; repeat per security (wins over --prices)', collect, [])
    .option('--prices <dir>', "value lots at the as-of date's closes from this price directory, in that date's share units")
    .option('-f, --format <format>', 'table | csv | json', 'table')
  ).action(async (o: HouseholdSource & { asOf?: string; price: string[]; prices?: string; format: string }) => {
      const format = formatOption(o.format, ['table', 'csv', 'json'] as const, 'table');
      const through = dayOption('as-of', o.asOf);
      const prices = priceOptions(o.price);
      const loaded = await loadHousehold(io, o);
      if (!loaded.ok) return setExit(reportIssues(io, loaded.issues));
      let market: MarketSource | undefined;
      if (o.prices !== undefined) {
        const dir = resolvePriceDir({ flag: o.prices, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
        if (!dir.ok) throw new UsageError(dir.message);
        market = priceDirectoryMarket(dir.dir);
      }
      const held = await holdingsOn(market === undefined ? {} : { market }, {
        household: loaded.value.household,
        events: loaded.value.events,
        ...(through !== undefined ? { asOf: through } : {}),
        prices,
      });
      const input = o.input;
      if (!held.ok) return setExit(reportIssues(io, held.issues.map((i) => (i.at.file === undefined && input !== undefined ? { ...i, at: { ...i.at, file: input } } : i))));
      for (const note of held.value.notes) io.err(`lotsmith: note: ${note}\n`);
      const view = { asOf: held.value.asOf, lots: held.value.lots, cash: held.value.cash };
      io.out(format === 'json' ? lotsJson(view) : format === 'csv' ? lotsCsv(view) : lotsTable(view));
    });

  addStoreOptions(
    program
    .command('gains')
    .description('Form 8949 rows with household wash sales, open lots and Schedule D totals')
    .option('-i, --input <file>', 'household case: JSON file, or a directory / transactions.csv with accounts.csv')
    .option('--household <id>', 'a household of the book instead of a case file')
    .option('-y, --year <year>', 'tax year (sale date); default: every year')
    .option('-f, --format <format>', 'table | csv | json | txf', 'table')
    .option('--explain', 'name the loss sale, replacement lots and matched shares of every wash sale')
    .option('--box <box>', 'Form 8949 box for TXF: A (basis reported), B (not reported), C (no 1099-B)', 'A')
  ).action(async (o: HouseholdSource & { year?: string; format: string; explain?: boolean; box: string }) => {
      const format = formatOption(o.format, ['table', 'csv', 'json', 'txf'] as const, 'table');
      const year = yearOption(o.year);
      if (!['A', 'B', 'C'].includes(o.box)) throw new UsageError(`--box: "${o.box}" is not A, B or C`);
      if (o.explain === true && (format === 'csv' || format === 'txf')) {
        throw new UsageError(`--explain: the ${format} format has no room for explanations; use --format table or json`);
      }
      const loaded = await loadHousehold(io, o);
      if (!loaded.ok) return setExit(reportIssues(io, loaded.issues));
      const { household, events } = loaded.value;
      const booked = book(household, events);
      if (!booked.ok) return setExit(reportIssues(io, booked.issues));
      let openLots = booked.value.openLots;
      if (year !== undefined) {
        const atYearEnd = book(household, events, { through: lastDayOfYear(year) });
        if (!atYearEnd.ok) return setExit(reportIssues(io, atYearEnd.issues));
        openLots = atYearEnd.value.openLots;
      }
      const view: GainsView = { report: form8949(booked.value, year), openLots, explain: o.explain === true };
      const text =
        format === 'json' ? gainsJson(view) : format === 'csv' ? gainsCsv(view) : format === 'txf' ? gainsTxf(view, io.today(), o.box as TxfBox) : gainsTable(view);
      io.out(text);
    });
}
