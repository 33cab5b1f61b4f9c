/**
 * `lotsmith direct backtest`: the direct index harvested daily and never, beside the ETF strategy
 * (harvested daily and never) on the same simulated clients and dates, from a JSON config
 * (data/direct-backtest-default.json; flags override it). Writes a report directory (summary.md,
 * CSVs, results.json) and prints the summary (or the results JSON with --format json).
 * Exit 1 on bad input (config field, unknown ticker, missing prices, infeasible bounds) or a wash
 * sale found by the ledger; exit 2 on a bad flag value.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_DIRECT_BACKTEST_CONFIG } from '../files/directBacktestConfig.js';
import { resolveIndexDir } from '../files/indexDirectory.js';
import { PACKAGE_ROOT, resolvePriceDir } from '../files/priceDirectory.js';
import { directSummaryText, writeDirectReport } from '../render/directBacktestReport.js';
import { json } from '../render/text.js';
import { runDirectBacktest } from '../workers/directBacktestRun.js';
import { reportIssues } from './caseCommands.js';
import { InputError, UsageError, type CliIo } from './io.js';
import { dayOption, formatOption } from './options.js';

interface Options {
  config?: string;
  index?: string;
  prices?: string;
  from?: string;
  to?: string;
  accounts?: string;
  names?: string;
  out: string;
  format: string;
  quiet?: boolean;
}

const positiveInt = (name: string, text: string | undefined, min = 1): number | undefined => {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`--${name}: "${text}" is not a whole number of at least ${min}`);
  return Number(text);
};

export function registerDirectBacktest(direct: Command, io: CliIo, setExit: (code: number) => void): void {
  direct
    .command('backtest')
    .description('the direct index harvested daily vs never, beside the ETF strategy, on the same simulated clients over real prices')
    .option('-c, --config <file>', 'direct backtest config (default: data/direct-backtest-default.json)')
    .option('--index <dir>', 'index directory (default: $LOTSMITH_INDEX, then ../shared/data/sp500)')
    .option('--prices <dir>', 'ETF price directory: the benchmark and the comparator funds (default: $LOTSMITH_PRICES, then ../shared/data/prices)')
    .option('--from <date>', 'first day of the window, YYYY-MM-DD (overrides the config)')
    .option('--to <date>', 'last day of the window, YYYY-MM-DD (overrides the config)')
    .option('--accounts <n>', 'number of simulated accounts (overrides the config)')
    .option('--names <n>', 'stocks per direct index (overrides the config)')
    .option('-o, --out <dir>', 'directory for summary.md, the CSVs and results.json', 'direct-backtest-report')
    .option('-f, --format <format>', 'table | json (what to print)', 'table')
    .option('-q, --quiet', 'no progress output')
    .action(async (o: Options) => {
      const format = formatOption(o.format, ['table', 'json'] as const, 'table');
      dayOption('from', o.from);
      dayOption('to', o.to);
      const accounts = positiveInt('accounts', o.accounts);
      const names = positiveInt('names', o.names, 2);
      const indexDir = resolveIndexDir({ flag: o.index, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
      if (!indexDir.ok) throw new InputError(indexDir.message);
      const priceDir = resolvePriceDir({ flag: o.prices, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
      if (!priceDir.ok) throw new InputError(priceDir.message);
      const configFile = o.config === undefined ? DEFAULT_DIRECT_BACKTEST_CONFIG : resolve(io.cwd, o.config);
      const outcome = await runDirectBacktest({
        indexDir: indexDir.dir,
        pricesDir: priceDir.dir,
        configFile,
        overrides: { from: o.from, to: o.to, accounts, names },
        ...(o.quiet === true || format === 'json' ? {} : { onAccount: (done: number, total: number) => io.err(`\raccount ${done}/${total}`) }),
      });
      if (!outcome.ok) return setExit(reportIssues(io, outcome.issues));
      if (o.quiet !== true && format !== 'json') io.err('\n');
      const { results, accounts: runs, seconds, config } = outcome.value;
      const facts = { config: configFile, indexDir: indexDir.dir, pricesDir: priceDir.dir, names: config.model.construction.names, seconds };
      const out = resolve(io.cwd, o.out);
      writeDirectReport(out, results, runs, facts);
      if (format === 'json') {
        const { reports: _reports, metrics: _metrics, ...rest } = results;
        io.out(json({ ...rest, run: facts, out }));
      } else io.out(`${directSummaryText(results, facts)}\nReport: ${out}\n`);
      const washed = results.strategies.some((s) => s.washSales > 0 || s.mismatches.length > 0);
      if (washed) {
        io.err('lotsmith: the ledger found a wash sale or a difference in a simulated history (see the report)\n');
        setExit(1);
      }
    });
}
