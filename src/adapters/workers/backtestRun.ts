/**
 * One backtest from setup to report input: the population run on worker threads, summarized, with
 * the paper's illustrations and the run's facts. `lotsmith backtest` and the API's backtest jobs
 * both call it, then render (files, or the results JSON).
 */
import { accountRows } from '../../core/backtest/metrics.js';
import { summarize } from '../../core/backtest/backtest.js';
import { depositsExample, scenarioTwoExample } from '../../core/backtest/paperExamples.js';
import type { Result } from '../../core/kernel/errors.js';
import { DEFAULT_TAX_YEAR, loadFederalTable } from '../files/taxInput.js';
import type { ReportInput } from '../render/backtestReport.js';
import { runPopulation, type Progress } from './backtestPool.js';
import type { Setup, SetupRequest } from './backtestSetup.js';

export async function runBacktest(setup: Setup, request: SetupRequest, options: { readonly workers: number; readonly progress: Progress; readonly config: string; readonly now: () => Date }): Promise<Result<ReportInput>> {
  const { prepared, config } = setup;
  const started = options.now().getTime();
  const runs = await runPopulation(setup, request, options.workers, options.progress);
  const seconds = (options.now().getTime() - started) / 1000;
  const results = summarize(prepared, runs);
  const federal = loadFederalTable(DEFAULT_TAX_YEAR);
  if (!federal.ok) return federal;
  return {
    ok: true,
    value: {
      results,
      accounts: accountRows({ data: prepared.ctx.data, strategies: prepared.spec.strategies, accounts: runs, profiles: prepared.spec.profiles }),
      examples: { deposits: depositsExample(federal.value), scenarioTwo: scenarioTwoExample(federal.value) },
      run: {
        pricesDir: request.pricesDir,
        config: options.config,
        seconds,
        workers: Math.min(options.workers, prepared.accounts.length),
        accountDaysPerSecond: seconds > 0 ? results.accountDays / seconds : 0,
        generatedAt: options.now().toISOString(),
      },
      focusStrategy: config.focusStrategy,
    },
  };
}
