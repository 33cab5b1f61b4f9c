/**
 * `lotsmith direct transition`: one account arriving with a concentrated, low-basis position and
 * cash, moved into the direct index under a yearly gain budget through the direct backtest's day
 * loop, harvested daily and never; prints the path per year (the stock's weight, tracking error,
 * gains, losses, tax, budget used). Exit 1 on bad input (unknown ticker, not a member or no price
 * on the arrival day, a share or basis fraction out of range), 2 on bad flag syntax.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Issue } from '../../core/kernel/errors.js';
import { DEFAULT_DIRECT_BACKTEST_CONFIG } from '../files/directBacktestConfig.js';
import { resolveIndexDir } from '../files/indexDirectory.js';
import { PACKAGE_ROOT, resolvePriceDir } from '../files/priceDirectory.js';
import { transitionJson, transitionText } from '../render/directTransitionReport.js';
import { runDirectTransition } from '../workers/directTransitionRun.js';
import { reportIssues } from './caseCommands.js';
import { InputError, UsageError, type CliIo } from './io.js';
import { dayOption, formatOption } from './options.js';

interface Options {
  config?: string;
  index?: string;
  prices?: string;
  position: string;
  basisFraction: string;
  acquired?: string;
  value: string;
  gainBudget: string;
  targetTe?: string;
  profile?: string;
  from: string;
  to?: string;
  names?: string;
  format: string;
}

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)(e-?\d+)?$/i;

function number(flag: string, text: string): number {
  if (!NUMBER.test(text)) throw new UsageError(`--${flag}: "${text}" is not a number`);
  return Number(text);
}

/** The core's fields named as the flags that set them. */
const FLAGS: Readonly<Record<string, string>> = {
  position: '--position',
  basisFraction: '--basis-fraction',
  acquired: '--acquired',
  value: '--value',
  from: '--from',
  to: '--to',
  profile: '--profile',
};

export function registerDirectTransition(direct: Command, io: CliIo, setExit: (code: number) => void): void {
  direct
    .command('transition')
    .description('the path over years of an account arriving with a concentrated low-basis position, moved into the direct index under a yearly gain budget, harvested and not')
    .requiredOption('--position <ticker:share>', "the concentrated stock and its share of the account's value on arrival, e.g. MSFT:0.4")
    .requiredOption('--from <date>', 'the arrival day, YYYY-MM-DD')
    .option('--basis-fraction <f>', "the position's basis over its value on arrival", '0.1')
    .option('--acquired <date>', 'when the position was bought (default: three years before --from: long-term)')
    .option('--value <usd>', "the account's value on arrival (the position and cash)", '1000000')
    .option('--gain-budget <usd>', "the account's yearly net realized-gain budget", '50000')
    .option('--target-te <fraction>', 'stop the transition once ex-ante tracking error is at or below this')
    .option('--profile <id>', "the config's tax profile (default: its first)")
    .option('--to <date>', "last day (default: the config's window end, else the data's)")
    .option('--names <n>', 'stocks in the direct index (overrides the config)')
    .option('-c, --config <file>', 'direct backtest config (default: data/direct-backtest-default.json)')
    .option('--index <dir>', 'index directory (default: $LOTSMITH_INDEX, then ../shared/data/sp500)')
    .option('--prices <dir>', 'ETF price directory holding the benchmark (default: $LOTSMITH_PRICES, then ../shared/data/prices)')
    .option('-f, --format <format>', 'table | json', 'table')
    .action(async (o: Options) => {
      const format = formatOption(o.format, ['table', 'json'] as const, 'table');
      dayOption('from', o.from);
      dayOption('to', o.to);
      dayOption('acquired', o.acquired);
      const m = /^([A-Za-z][A-Za-z0-9.-]*):(.+)$/.exec(o.position);
      if (m === null) throw new UsageError(`--position: "${o.position}" is not TICKER:SHARE, e.g. MSFT:0.4`);
      const share = number('position', m[2] as string);
      const basisFraction = number('basis-fraction', o.basisFraction);
      const value = number('value', o.value);
      const gainBudget = number('gain-budget', o.gainBudget);
      if (gainBudget < 0) throw new UsageError(`--gain-budget: "${o.gainBudget}" must not be negative`);
      const targetTe = o.targetTe === undefined ? undefined : number('target-te', o.targetTe);
      if (o.names !== undefined && !/^\d+$/.test(o.names)) throw new UsageError(`--names: "${o.names}" is not a whole number`);
      const indexDir = resolveIndexDir({ flag: o.index, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
      if (!indexDir.ok) throw new InputError(indexDir.message);
      const priceDir = resolvePriceDir({ flag: o.prices, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
      if (!priceDir.ok) throw new InputError(priceDir.message);
      const configFile = o.config === undefined ? DEFAULT_DIRECT_BACKTEST_CONFIG : resolve(io.cwd, o.config);
      const result = await runDirectTransition({
        indexDir: indexDir.dir,
        pricesDir: priceDir.dir,
        configFile,
        from: o.from,
        to: o.to,
        names: o.names === undefined ? undefined : Number(o.names),
        symbol: m[1] as string,
        share,
        basisFraction,
        acquired: o.acquired,
        value,
        gainBudget,
        targetTrackingError: targetTe,
        profile: o.profile,
      });
      if (!result.ok) return setExit(reportIssues(io, result.issues.map((i): Issue => {
        const flag = i.at.field === undefined ? undefined : FLAGS[i.at.field];
        return flag === undefined ? i : { ...i, at: { field: flag } };
      })));
      const { outcome, profile, seconds, config } = result.value;
      const facts = { config: configFile, indexDir: indexDir.dir, pricesDir: priceDir.dir, profile, names: config.model.construction.names, seconds };
      io.out(format === 'json' ? transitionJson(outcome, facts) : transitionText(outcome, facts));
      if (outcome.paths.some((p) => p.washSales > 0 || p.mismatches.length > 0)) {
        io.err('lotsmith: the ledger found a wash sale or a difference in a simulated history\n');
        setExit(1);
      }
    });
}
