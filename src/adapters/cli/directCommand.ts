/**
 * `lotsmith direct build`: the minimum-tracking-error direct index on a date, from the index
 * directory (point-in-time members, sectors, stock prices) and the benchmark's prices, with the
 * risk model estimated from the returns before that date only. Prints the weights, the ex-ante
 * tracking error and an equal-weight comparison on the same names.
 *
 * `lotsmith direct harvest`: a household's proposed orders for a date with its direct-index
 * accounts managed as sleeves (the `directHarvest` use case), each harvest's tracking-error report.
 *
 * Example: `lotsmith direct build --date 2019-12-31 --names 100` (docs/direct-indexing.md).
 * Exit 1 on bad data (unknown ticker, no prices on the date, infeasible bounds), 2 on bad flags.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { formatDay } from '../../core/kernel/calendar.js';
import { describeIssue } from '../../core/kernel/errors.js';
import { symbol, type Symbol } from '../../core/ledger/household.js';
import { closeOnOrBefore, type PriceSeries } from '../../core/market/prices.js';
import { buildPortfolio } from '../../core/direct/construction.js';
import { membersOn, sectorOf, trustedFrom } from '../../core/direct/indexUniverse.js';
import { returnWindow } from '../../core/direct/returnWindow.js';
import { estimateRiskModel, trackingError, DEFAULT_RISK_OPTIONS } from '../../core/direct/riskModel.js';
import { loadIndexPrices, loadIndexUniverse, resolveIndexDir } from '../files/indexDirectory.js';
import { loadPriceBook, PACKAGE_ROOT, resolvePriceDir } from '../files/priceDirectory.js';
import { loadQpSolver } from '../solver/highsQp.js';
import { json, table } from '../render/text.js';
import { directHarvest } from '../../app/directHarvest.js';
import { DEFAULT_DIRECT } from '../../core/direct/directSleeve.js';
import { exact } from '../../core/kernel/exact.js';
import { accountId } from '../../core/ledger/household.js';
import { loadCase } from '../files/caseFile.js';
import { decodeHarvestInputs } from '../files/harvestInput.js';
import { indexDirectorySource } from '../files/indexSource.js';
import { priceDirectoryMarket } from '../files/priceDirectoryMarket.js';
import { taxTableFiles } from '../files/taxTableFiles.js';
import { loadUniverse } from '../files/universeFile.js';
import { directHarvestJson, directHarvestTable } from '../render/directHarvest.js';
import { reportIssues } from './caseCommands.js';
import { InputError, UsageError, type CliIo } from './io.js';
import { dayOption, formatOption } from './options.js';
import { registerDirectBacktest } from './directBacktestCommand.js';
import { registerDirectTransition } from './directTransitionCommand.js';

interface BuildOptions {
  date?: string;
  index?: string;
  prices?: string;
  benchmark: string;
  names?: string;
  maxWeight: string;
  maxSector?: string;
  exclude?: string;
  excludeSector?: string;
  window: string;
  factors: string;
  format: string;
}

const pct = (v: number): string => `${(v * 100).toFixed(2)} %`;

function fraction(name: string, text: string): number {
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0 || v > 1) throw new UsageError(`--${name}: expected a fraction in (0, 1], got "${text}"`);
  return v;
}

function count(name: string, text: string, min: number): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < min) throw new UsageError(`--${name}: expected a whole number of at least ${min}, got "${text}"`);
  return v;
}

interface HarvestOptions {
  input: string;
  account: string;
  date?: string;
  index?: string;
  prices?: string;
  universe?: string;
  benchmark: string;
  maxWeight: string;
  maxSector?: string;
  exclude?: string;
  excludeSector?: string;
  teBudget: string;
  gainBudget?: string;
  targetTe?: string;
  window: string;
  factors: string;
  format: string;
}

const list = (text: string | undefined): string[] => (text ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');

export function registerDirectCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const direct = program.command('direct').description('direct indexing: build an index portfolio of stocks that tracks the benchmark, harvest it and backtest it');
  registerDirectBacktest(direct, io, setExit);
  registerDirectTransition(direct, io, setExit);
  direct
    .command('build')
    .description('minimum-tracking-error weights over the index members on a date (risk model from past returns only)')
    .requiredOption('--date <date>', 'the construction date (YYYY-MM-DD)')
    .option('--index <dir>', 'index directory (default: $LOTSMITH_INDEX, then ../shared/data/sp500)')
    .option('--prices <dir>', 'ETF price directory holding the benchmark (default: $LOTSMITH_PRICES, then ../shared/data/prices)')
    .option('--benchmark <ticker>', 'the index fund tracked', 'SPY')
    .option('--names <n>', 'hold at most this many stocks')
    .option('--max-weight <fraction>', 'largest weight of one stock', '0.05')
    .option('--max-sector <fraction>', 'largest weight of one GICS sector')
    .option('--exclude <tickers>', 'comma-separated tickers never to hold')
    .option('--exclude-sector <sectors>', 'comma-separated GICS sectors never to hold')
    .option('--window <days>', 'trading days of returns the risk model is estimated on', '252')
    .option('--factors <n>', 'statistical factors in the risk model', String(DEFAULT_RISK_OPTIONS.factors))
    .option('-f, --format <format>', 'table | json', 'table')
    .action(async (o: BuildOptions) => {
      const format = formatOption(o.format, ['table', 'json'] as const, 'table');
      const date = dayOption('date', o.date);
      if (date === undefined) throw new UsageError('--date is required');
      const maxWeight = fraction('max-weight', o.maxWeight);
      const maxSector = o.maxSector === undefined ? undefined : fraction('max-sector', o.maxSector);
      const names = o.names === undefined ? undefined : count('names', o.names, 1);
      const window = count('window', o.window, 20);
      const factors = count('factors', o.factors, 1);
      const indexDir = resolveIndexDir({ flag: o.index, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
      if (!indexDir.ok) throw new InputError(indexDir.message);
      const priceDir = resolvePriceDir({ flag: o.prices, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
      if (!priceDir.ok) throw new InputError(priceDir.message);
      const loaded = loadIndexUniverse(indexDir.dir);
      if (loaded.universe === undefined) throw new InputError(loaded.issues.map(describeIssue).join('\n'));
      const universe = loaded.universe;
      const excluded = (o.exclude ?? '').split(',').map((t) => t.trim().toUpperCase()).filter((t) => t !== '');
      const unknown = excluded.filter((t) => !universe.intervals.has(symbol(t)));
      if (unknown.length > 0) throw new InputError(`--exclude: unknown ticker${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: never a member of the index in ${indexDir.dir}`);
      const sectors = new Set([...universe.sectors.values()].map((s) => s.sector));
      const excludedSectors = (o.excludeSector ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
      const badSector = excludedSectors.filter((s) => !sectors.has(s));
      if (badSector.length > 0) throw new InputError(`--exclude-sector: unknown sector ${badSector.join(', ')}; known: ${[...sectors].sort().join(', ')}`);
      const members = membersOn(universe, date);
      if (members.length === 0) throw new InputError(`no index members on ${formatDay(date)} in ${indexDir.dir}`);
      const stocks = loadIndexPrices(indexDir.dir, members);
      const bench = loadPriceBook(priceDir.dir, { symbols: [o.benchmark] });
      const problems = [...stocks.issues, ...bench.issues];
      if (problems.length > 0) throw new InputError(problems.map(describeIssue).join('\n'));
      const benchSeries = bench.book.series.get(symbol(o.benchmark.toUpperCase())) as PriceSeries;
      if (closeOnOrBefore(benchSeries, date) === undefined) throw new InputError(`no prices on ${formatDay(date)}: ${o.benchmark.toUpperCase()} in ${priceDir.dir} has no close on or within a week before that date`);
      const book = { series: new Map<Symbol, PriceSeries>([...stocks.book.series, ...bench.book.series]), ambiguous: new Map() };
      const priced = members.filter((s) => {
        const series = book.series.get(s);
        return series !== undefined && closeOnOrBefore(series, date) !== undefined;
      });
      if (priced.length === 0) throw new InputError(`no prices on ${formatDay(date)}: none of the ${members.length} members has a close in ${indexDir.dir}/prices`);
      const w = returnWindow(book, symbol(o.benchmark.toUpperCase()), priced, date, window, (s) => trustedFrom(universe, s, date));
      if (!w.ok) throw new InputError(w.message);
      const model = estimateRiskModel(w.window, { ...DEFAULT_RISK_OPTIONS, factors });
      const solver = await loadQpSolver();
      const sector = (s: Symbol) => sectorOf(universe, s);
      const built = buildPortfolio(
        model,
        {
          maxWeight,
          ...(names !== undefined ? { names } : {}),
          ...(maxSector !== undefined ? { maxSectorWeight: maxSector } : {}),
          excludeSymbols: excluded.map(symbol).filter((s) => model.index.has(s)),
          excludeSectors: excludedSectors,
        },
        sector,
        solver,
      );
      if (!built.ok) throw new InputError(built.message);
      const equal = new Float64Array(model.symbols.length).fill(1 / model.symbols.length);
      const holdings = model.symbols
        .map((s, i) => ({ symbol: s, sector: sector(s) ?? '-', weight: built.weights[i] as number }))
        .filter((h) => h.weight > 1e-6)
        .sort((a, b) => b.weight - a.weight);
      const summary = {
        date: formatDay(date),
        benchmark: o.benchmark.toUpperCase(),
        members: members.length,
        candidates: model.symbols.length,
        left_out: w.window.excluded.length + (members.length - priced.length),
        names: built.names,
        tracking_error: built.trackingError,
        equal_weight_tracking_error: trackingError(model, equal),
        solver: solver.name,
      };
      if (format === 'json') {
        io.out(json({ ...summary, holdings: holdings.map((h) => ({ ...h, weight: Number(h.weight.toFixed(6)) })) }));
        return;
      }
      io.out(
        `${summary.date}: ${summary.names} of ${summary.members} members of the index (${summary.candidates} with ${window} days of returns) tracking ${summary.benchmark}\n` +
          `ex-ante tracking error ${pct(summary.tracking_error)} (equal weights on the same ${summary.candidates} names: ${pct(summary.equal_weight_tracking_error)}); ${summary.solver}\n`,
      );
      io.out(table(['symbol', 'sector', 'weight'], holdings.map((h) => [h.symbol, h.sector, pct(h.weight)])));
    });
  direct
    .command('harvest')
    .description("a household's proposed orders for a date with its direct-index accounts harvested stock by stock, and what each harvest did to tracking error")
    .requiredOption('-i, --input <file>', 'household case (the format of lotsmith harvest)')
    .requiredOption('--account <ids>', 'comma-separated accounts held as a direct index')
    .requiredOption('-d, --date <date>', 'decision date, YYYY-MM-DD')
    .option('--index <dir>', 'index directory (default: $LOTSMITH_INDEX, then ../shared/data/sp500)')
    .option('--prices <dir>', 'ETF price directory holding the benchmark (default: $LOTSMITH_PRICES, then ../shared/data/prices)')
    .option('--universe <file>', 'ETF universe file (default: data/universe.json)')
    .option('--benchmark <ticker>', 'the index fund tracked', 'SPY')
    .option('--max-weight <fraction>', 'largest weight of one stock', String(DEFAULT_DIRECT.construction.maxWeight))
    .option('--max-sector <fraction>', 'largest weight of one GICS sector')
    .option('--exclude <tickers>', 'comma-separated tickers never to hold')
    .option('--exclude-sector <sectors>', 'comma-separated GICS sectors never to hold')
    .option('--te-budget <fraction>', 'largest ex-ante tracking error a harvest may leave', String(DEFAULT_DIRECT.trackingErrorBudget))
    .option('--gain-budget <usd>', "transition: each direct account's yearly net realized-gain budget, in dollars")
    .option('--target-te <fraction>', 'transition: stop selling once tracking error is at or below this')
    .option('--window <days>', 'trading days of returns the risk model is estimated on', '252')
    .option('--factors <n>', 'statistical factors in the risk model', String(DEFAULT_RISK_OPTIONS.factors))
    .option('-f, --format <format>', 'table | json', 'table')
    .action(async (o: HarvestOptions) => {
      const format = formatOption(o.format, ['table', 'json'] as const, 'table');
      const date = dayOption('date', o.date);
      if (date === undefined) throw new UsageError('--date is required');
      const accounts = list(o.account).map(accountId);
      if (accounts.length === 0) throw new UsageError('--account: name at least one account');
      const gain = o.gainBudget === undefined ? undefined : exact('usd', o.gainBudget);
      if (gain !== undefined && (!gain.ok || gain.value < 0)) throw new UsageError(`--gain-budget: expected dollars, got "${o.gainBudget}"`);
      const targetTe = o.targetTe === undefined ? undefined : fraction('target-te', o.targetTe);
      const maxSector = o.maxSector === undefined ? undefined : fraction('max-sector', o.maxSector);
      const config = {
        ...DEFAULT_DIRECT,
        trackingErrorBudget: fraction('te-budget', o.teBudget),
        construction: {
          maxWeight: fraction('max-weight', o.maxWeight),
          ...(maxSector !== undefined ? { maxSectorWeight: maxSector } : {}),
          excludeSymbols: list(o.exclude).map((t) => symbol(t.toUpperCase())),
          excludeSectors: list(o.excludeSector),
        },
        ...(gain?.ok === true ? { transition: { yearlyGainBudget: gain.value, ...(targetTe !== undefined ? { targetTrackingError: targetTe } : {}) } } : {}),
      };
      const window = count('window', o.window, 20);
      const factors = count('factors', o.factors, 1);
      const indexDir = resolveIndexDir({ flag: o.index, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
      if (!indexDir.ok) throw new InputError(indexDir.message);
      const priceDir = resolvePriceDir({ flag: o.prices, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
      if (!priceDir.ok) throw new InputError(priceDir.message);
      const loaded = loadCase(o.input);
      if (!loaded.ok) return setExit(reportIssues(io, loaded.issues));
      const universe = loadUniverse(o.universe);
      if (!universe.ok) return setExit(reportIssues(io, universe.issues));
      const inputs = decodeHarvestInputs(loaded.value, universe.value);
      if (!inputs.ok) return setExit(reportIssues(io, inputs.issues));
      const result = await directHarvest(
        {
          market: priceDirectoryMarket(priceDir.dir, join(indexDir.dir, 'prices')),
          tax: taxTableFiles(),
          universe: universe.value,
          index: indexDirectorySource(indexDir.dir, priceDir.dir),
          solver: await loadQpSolver({ timeLimitSeconds: 30 }),
        },
        {
          household: loaded.value.household,
          events: loaded.value.events,
          setup: { profile: inputs.value.profile.profile, stateDeductible: inputs.value.profile.stateDeductible, targets: inputs.value.targets, config: inputs.value.config },
          date,
          accounts,
          direct: config,
          benchmark: symbol(o.benchmark.toUpperCase()),
          window,
          risk: { ...DEFAULT_RISK_OPTIONS, factors },
        },
      );
      if (!result.ok) return setExit(reportIssues(io, result.issues.map((i) => (i.at.file === undefined && i.at.field === undefined ? { ...i, at: { ...i.at, file: o.input } } : i))));
      for (const note of result.value.daily.notes) io.err(`lotsmith: note: ${note}\n`);
      io.out(format === 'json' ? directHarvestJson(result.value) : directHarvestTable(result.value));
    });
}
