/**
 * `lotsmith backtest`: every strategy of the config on the same simulated clients over real
 * prices, the paper's tables and figures, the hindsight bound, and the seed paper's illustrations
 * run through the same simulator. Writes JSON, CSV, SVG charts and one HTML report to --out and
 * prints a summary (or the results JSON with --format json). `npm start` runs it with defaults.
 *
 * Prices come from --prices, $LOTSMITH_PRICES or ../shared/data/prices; without any, the command
 * says how to supply them and exits 1 — unless --sample-fallback (what `npm start` passes) lets it
 * run on the compact sample of real prices in a clone of the repository (2020 on), calibrated on
 * 2020, saying so and how to get the full history.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { describeIssue } from '../../core/kernel/errors.js';
import { backtestSummary, resultsJson, writeBacktestReport } from '../render/backtestReport.js';
import { json } from '../render/text.js';
import { PACKAGE_ROOT, PRICES_ENV, resolvePriceDir, SAMPLE_PRICES } from '../files/priceDirectory.js';
import { setupBacktest, type SetupRequest } from '../workers/backtestSetup.js';
import type { Progress } from '../workers/backtestPool.js';
import { runBacktest } from '../workers/backtestRun.js';
import { reportIssues } from './caseCommands.js';
import { UsageError, type CliIo } from './io.js';
import { dayOption, formatOption } from './options.js';

interface Options {
  prices?: string;
  sampleFallback?: boolean;
  split?: string;
  config?: string;
  from?: string;
  to?: string;
  accounts?: string;
  workers?: string;
  out: string;
  format: string;
  verify: boolean;
  quiet?: boolean;
}

const positiveInt = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(text)) throw new UsageError(`--${name}: "${text}" is not a positive whole number`);
  return Number(text);
};

export function registerBacktestCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('backtest')
    .description('every harvesting strategy on simulated clients over real prices: the paper\'s cohort tables, daily vs year-end vs a hindsight bound')
    .option('--prices <dir>', 'price directory (default: $LOTSMITH_PRICES or ../shared/data/prices)')
    .option('-c, --config <file>', 'backtest config (default: data/backtest-default.json)')
    .option('--from <date>', 'first day of the window, YYYY-MM-DD (overrides the config)')
    .option('--to <date>', 'last day of the window, YYYY-MM-DD (overrides the config)')
    .option('--split <date>', 'first day of the out-of-sample period, YYYY-MM-DD (overrides the config)')
    .option('--accounts <n>', 'number of simulated accounts (overrides the config)')
    .option('--workers <n>', `worker threads (default: the machine's ${availableParallelism()} cores)`)
    .option('-o, --out <dir>', 'directory for the report, CSV, charts and JSON', 'backtest-report')
    .option('-f, --format <format>', 'table | json (what to print)', 'table')
    .option('--no-verify', 'skip re-booking every history with the ledger (faster; no wash-sale count)')
    .option('-q, --quiet', 'no progress output')
    .option('--sample-fallback', 'without a price directory, run on the compact sample of real prices in the repository (npm start)')
    .action(async (o: Options) => {
      const format = formatOption(o.format, ['table', 'json'] as const, 'table');
      dayOption('from', o.from);
      dayOption('to', o.to);
      dayOption('split', o.split);
      const workers = positiveInt('workers', o.workers) ?? availableParallelism();
      const prices = pricesFor(o, io);
      if (prices === undefined) return setExit(1);
      const request: SetupRequest = {
        pricesDir: prices.dir,
        configFile: o.config === undefined ? undefined : resolve(io.cwd, o.config),
        overrides: { from: o.from, to: o.to, split: o.split ?? prices.split, accounts: positiveInt('accounts', o.accounts), ...(o.verify ? {} : { verify: false }) },
      };
      const setup = setupBacktest(request);
      if (!setup.ok) return setExit(reportIssues(io, setup.issues));
      const { prepared, config } = setup.value;
      if (setup.value.priceIssues.length > 0) io.err(`note: left out of the run (never traded):\n${setup.value.priceIssues.map((i) => `  ${describeIssue(i)}`).join('\n')}\n`);
      const report = await runBacktest(setup.value, request, {
        workers,
        progress: progressReporter(io, prepared.accounts.length, o.quiet === true, io.now().getTime()),
        config: o.config === undefined ? 'defaults' : config.file,
        now: () => io.now(),
      });
      if (!report.ok) return setExit(reportIssues(io, report.issues));
      const input = report.value;
      const results = input.results;
      const out = resolve(io.cwd, o.out);
      const written = await writeBacktestReport(out, input);
      if (format === 'json') io.out(json(resultsJson(input)));
      else io.out(`${backtestSummary(input)}\nReport: ${resolve(out, 'report.html')} (${written.length} files in ${out})\n`);
      const washed = results.metrics.washSales.filter((w) => w.washSales > 0 || w.mismatches.length > 0);
      if (washed.length > 0) {
        io.err(`lotsmith backtest: the ledger found wash sales or mismatches in ${washed.map((w) => w.strategy).join(', ')}: see wash_sales.csv\n`);
        setExit(1);
      }
    });
}

/** The first day of the sample's out-of-sample period: its first year, 2020, calibrates the policy. */
const SAMPLE_SPLIT = '2021-01-01';

/**
 * The price directory of the run; with --sample-fallback and none found, the sample in the
 * repository, announced on stderr. Undefined (after saying how to supply prices) when there is none.
 */
function pricesFor(o: Options, io: CliIo): { dir: string; split?: string } | undefined {
  const found = resolvePriceDir({ flag: o.prices, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
  if (found.ok) return { dir: found.dir };
  const explicit = o.prices !== undefined || (io.env[PRICES_ENV] ?? '') !== '';
  if (o.sampleFallback === true && !explicit && existsSync(SAMPLE_PRICES)) {
    io.err(
      `lotsmith backtest: no price directory found, so this run uses the compact sample in ${SAMPLE_PRICES}:\n` +
        '  real prices of the universe\'s funds from 2020 on (a subset of the project\'s data set; its README says where it comes from),\n' +
        `  calibrated on 2020 and reported from ${SAMPLE_SPLIT}. For the full history since 2010, run with your price directory:\n` +
        `  npm start -- --prices DIR   (or export ${PRICES_ENV}=DIR)\n`,
    );
    return { dir: SAMPLE_PRICES, ...(o.config === undefined ? { split: SAMPLE_SPLIT } : {}) };
  }
  io.err(`lotsmith backtest: no price data.\n${found.message}\n`);
  return undefined;
}

/** A progress bar on a terminal, a line per tenth of the accounts otherwise. */
function progressReporter(io: CliIo, total: number, quiet: boolean, started: number): Progress {
  let accounts = 0;
  let accountDays = 0;
  const speed = (): string => {
    const s = (io.now().getTime() - started) / 1000;
    return s > 0 ? `${Math.round(accountDays / s).toLocaleString('en-US')}` : '-';
  };
  if (quiet) return () => undefined;
  if (io.interactive) {
    const bar = new SingleBar({ format: 'backtest |{bar}| {value}/{total} accounts | {speed} account-days/s | ETA {eta_formatted}', hideCursor: true, stream: process.stderr }, Presets.shades_classic);
    bar.start(total, 0, { speed: '-' });
    return (n, days) => {
      accounts += n;
      accountDays += days;
      bar.update(accounts, { speed: speed() });
      if (accounts >= total) bar.stop();
    };
  }
  let reported = 0;
  return (n, days) => {
    accounts += n;
    accountDays += days;
    const tenth = Math.floor((accounts * 10) / total);
    if (tenth > reported || accounts === total) {
      reported = tenth;
      io.err(`backtest: ${accounts}/${total} accounts, ${accountDays.toLocaleString('en-US')} account-days, ${speed()} account-days/s\n`);
    }
  };
}
