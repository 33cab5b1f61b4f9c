/** `lotsmith lots` and `lotsmith gains`: load a household case, book it, print the result. */
import type { Command } from 'commander';
import { book } from '../../core/ledger/booking.js';
import { describeIssue, type Issue } from '../../core/kernel/errors.js';
import { form8949 } from '../../core/ledger/form8949.js';
import { valueLots } from '../../core/ledger/holdings.js';
import { lastDayOfYear } from '../../core/kernel/calendar.js';
import { loadCase } from '../files/caseFile.js';
import { gainsCsv, gainsJson, gainsTable, gainsTxf, type GainsView, type TxfBox } from '../render/gains.js';
import { lotsCsv, lotsJson, lotsTable } from '../render/lots.js';
import { UsageError, type CliIo } from './io.js';
import { collect, dayOption, formatOption, priceOptions, yearOption } from './options.js';

/** Prints every issue and a closing line that says nothing was applied. */
export function reportIssues(io: CliIo, issues: readonly Issue[]): number {
  for (const i of issues) io.err(`error: ${describeIssue(i)}\n`);
  io.err(`lotsmith: ${issues.length} problem${issues.length === 1 ? '' : 's'} found; nothing was applied.\n`);
  return 1;
}

export function registerCaseCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('lots')
    .description('open tax lots of a household (optionally as of a date, valued at given prices)')
    .requiredOption('-i, --input <file>', 'household case: JSON file, or a directory / transactions.csv with accounts.csv')
    .option('--as-of <date>', 'book only events on or before this date (YYYY-MM-DD)')
    .option('--price <SYMBOL=PRICE>', 'price for valuation; repeat per security', collect, [])
    .option('-f, --format <format>', 'table | csv | json', 'table')
    .action((o: { input: string; asOf?: string; price: string[]; format: string }) => {
      const format = formatOption(o.format, ['table', 'csv', 'json'] as const, 'table');
      const through = dayOption('as-of', o.asOf);
      const prices = priceOptions(o.price);
      const loaded = loadCase(o.input);
      if (!loaded.ok) return setExit(reportIssues(io, loaded.issues));
      const booked = book(loaded.value.household, loaded.value.events, through === undefined ? {} : { through });
      if (!booked.ok) return setExit(reportIssues(io, booked.issues));
      const ledger = booked.value;
      const asOf = through ?? ledger.asOf;
      const view = {
        asOf,
        lots: asOf === undefined ? [] : valueLots(ledger.openLots, asOf, prices),
        cash: ledger.cash,
      };
      io.out(format === 'json' ? lotsJson(view) : format === 'csv' ? lotsCsv(view) : lotsTable(view));
    });

  program
    .command('gains')
    .description('Form 8949 rows with household wash sales, open lots and Schedule D totals')
    .requiredOption('-i, --input <file>', 'household case: JSON file, or a directory / transactions.csv with accounts.csv')
    .option('-y, --year <year>', 'tax year (sale date); default: every year')
    .option('-f, --format <format>', 'table | csv | json | txf', 'table')
    .option('--explain', 'name the loss sale, replacement lots and matched shares of every wash sale')
    .option('--box <box>', 'Form 8949 box for TXF: A (basis reported), B (not reported), C (no 1099-B)', 'A')
    .action((o: { input: string; year?: string; format: string; explain?: boolean; box: string }) => {
      const format = formatOption(o.format, ['table', 'csv', 'json', 'txf'] as const, 'table');
      const year = yearOption(o.year);
      if (!['A', 'B', 'C'].includes(o.box)) throw new UsageError(`--box: "${o.box}" is not A, B or C`);
      const loaded = loadCase(o.input);
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
