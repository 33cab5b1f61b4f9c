/**
 * Everything a backtest needs, loaded from files the same way in the main thread and in every
 * worker — the config (with its command-line overrides), the universe, the tax tables and the
 * prices — and prepared by the core. Each worker repeats it rather than receiving the data: the
 * inputs are files, the preparation is deterministic (the population comes from the config's
 * seed), so every thread sees the same accounts in the same order.
 */
import { describeIssue, type Issue, type Result } from '../../core/kernel/errors.js';
import { prepareBacktest, type PreparedBacktest } from '../../core/backtest/backtest.js';
import { loadBacktestConfig, type BacktestConfig, type BacktestOverrides } from '../files/backtestConfig.js';
import { loadPriceBook } from '../files/priceDirectory.js';

export interface SetupRequest {
  readonly pricesDir: string;
  readonly configFile?: string | undefined;
  readonly overrides: BacktestOverrides;
}

export interface Setup {
  readonly config: BacktestConfig;
  readonly prepared: PreparedBacktest;
  /** Universe funds without a usable price file: never tradable in the run, which goes on. */
  readonly priceIssues: readonly Issue[];
}

export function setupBacktest(r: SetupRequest): Result<Setup> {
  const config = loadBacktestConfig(r.configFile, r.overrides);
  if (!config.ok) return config;
  const symbols = config.value.spec.universe.classes.flatMap((c) => c.securities.map((s) => s.symbol));
  const prices = loadPriceBook(r.pricesDir, { symbols });
  const prepared = prepareBacktest(config.value.spec, prices.book);
  if (!prepared.ok) return { ok: false, issues: prepared.issues.map((i) => ({ ...i, at: { ...i.at, file: i.at.file ?? config.value.file } })) };
  return { ok: true, value: { config: config.value, prepared: prepared.value, priceIssues: prices.issues } };
}

export const describeIssues = (issues: readonly Issue[]): string => issues.map(describeIssue).join('\n');
