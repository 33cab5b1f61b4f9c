/**
 * A direct-index backtest from files: the config (with its overrides), the index directory, the
 * ETF price directory (benchmark and comparator funds) and the solver, prepared by the core and run
 * account by account in this thread, timed. Problems come back as issues naming file and field.
 */
import { describeIssue, issue, type Issue, type Result } from '../../core/kernel/errors.js';
import type { Symbol } from '../../core/ledger/household.js';
import type { PriceSeries } from '../../core/market/prices.js';
import { StoppingTables } from '../../core/harvest/stopping/opportunityCost.js';
import type { Population } from '../../core/backtest/accounts.js';
import { prepareDirectBacktest, runDirectAccount, summarizeDirect, type DirectAccountResult, type DirectBacktestResults, type PreparedDirectBacktest } from '../../core/direct/directBacktest.js';
import { checkAgainstIndex, loadDirectBacktestConfig, type DirectBacktestConfig, type DirectBacktestOverrides } from '../files/directBacktestConfig.js';
import { loadIndexPrices, loadIndexUniverse } from '../files/indexDirectory.js';
import { loadPriceBook } from '../files/priceDirectory.js';
import { loadQpSolver } from '../solver/highsQp.js';

export interface DirectBacktestRequest {
  readonly indexDir: string;
  readonly pricesDir: string;
  readonly configFile?: string | undefined;
  readonly overrides: DirectBacktestOverrides;
  readonly onAccount?: (done: number, total: number) => void;
}

export interface DirectBacktestOutcome {
  readonly config: DirectBacktestConfig;
  readonly results: DirectBacktestResults;
  readonly accounts: readonly DirectAccountResult[];
  readonly seconds: { readonly setup: number; readonly run: number };
}

export interface PreparedFromFiles {
  readonly config: DirectBacktestConfig;
  readonly prepared: PreparedDirectBacktest;
}

/** The config, the index and price directories and the solver, prepared by the core; `population` may replace the config's. */
export async function prepareFromFiles(r: Omit<DirectBacktestRequest, 'onAccount'>, population?: (c: DirectBacktestConfig) => Population): Promise<Result<PreparedFromFiles>> {
  const config = loadDirectBacktestConfig(r.configFile, r.overrides);
  if (!config.ok) return config;
  const c = config.value;
  const loaded = loadIndexUniverse(r.indexDir);
  if (loaded.universe === undefined) return { ok: false, issues: loaded.issues };
  const unknown = checkAgainstIndex(c, loaded.universe);
  if (unknown.length > 0) return { ok: false, issues: unknown };
  const stocks = loadIndexPrices(r.indexDir);
  // The comparator's class and the classes a mixed allocation holds beside the direct index.
  const funds = c.universe.classes.filter((x) => x.id === c.etfClass || c.targets?.has(x.id) === true).flatMap((x) => x.securities.map((s) => s.symbol));
  const etf = loadPriceBook(r.pricesDir, { symbols: [c.benchmark, ...funds] });
  const problems: Issue[] = [...stocks.issues, ...etf.issues];
  if (problems.length > 0) return { ok: false, issues: problems };
  const missing = [c.benchmark, ...funds].filter((s) => !etf.book.series.has(s));
  if (missing.length > 0) return { ok: false, issues: [issue('NOT_FOUND', `no prices for ${missing.join(', ')} (the benchmark and the ETF funds)`, { file: r.pricesDir, field: missing.includes(c.benchmark) ? 'benchmark' : c.targets === undefined ? 'etf.assetClass' : 'targets' })] };
  const book = { series: new Map<Symbol, PriceSeries>([...stocks.book.series, ...etf.book.series]), ambiguous: new Map() };
  const solver = await loadQpSolver({ timeLimitSeconds: c.solverTimeLimitSeconds });
  const prepared = prepareDirectBacktest(
    {
      index: loaded.universe,
      book,
      benchmark: c.benchmark,
      universe: c.universe,
      etfClass: c.etfClass,
      ...(c.targets !== undefined ? { targets: c.targets } : {}),
      population: population?.(c) ?? c.population,
      profiles: c.profiles,
      config: c.config,
      feeRate: c.feeRate,
      taxFlows: c.taxFlows,
      discountRate: c.discountRate,
      ...(c.from !== undefined ? { from: c.from } : {}),
      ...(c.to !== undefined ? { to: c.to } : {}),
      direct: c.direct,
      model: c.model,
      verify: c.verify,
    },
    solver,
    new StoppingTables(),
  );
  if (!prepared.ok) return { ok: false, issues: prepared.issues.map((i) => ({ ...i, at: { ...i.at, file: i.at.file ?? c.file } })) };
  return { ok: true, value: { config: c, prepared: prepared.value } };
}

export async function runDirectBacktest(r: DirectBacktestRequest): Promise<Result<DirectBacktestOutcome>> {
  const t0 = performance.now();
  const ready = await prepareFromFiles(r);
  if (!ready.ok) return ready;
  const { config: c, prepared } = ready.value;
  const setup = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const accounts: DirectAccountResult[] = [];
  for (const spec of prepared.accounts) {
    accounts.push(runDirectAccount(prepared, spec));
    r.onAccount?.(accounts.length, prepared.accounts.length);
  }
  const results = summarizeDirect(prepared, accounts);
  return { ok: true, value: { config: c, results, accounts, seconds: { setup, run: (performance.now() - t1) / 1000 } } };
}

export const describeIssues = (issues: readonly Issue[]): string => issues.map(describeIssue).join('\n');
