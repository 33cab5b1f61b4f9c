/**
 * `lotsmith bench scan --households N [--rounds R] [--format table|json]`: the daily scan benchmark
 * (see src/bench/scanBench.ts) from the command line. With --format json the last line is
 * {"lots", "seconds", "lotsPerSecond", "kernelLotsPerSecond", "ratio", "ratioMin", "ratioMax",
 * "cpuRatio", "peakRssMb", "peakBytesPerLot"}: medians over the rounds, the ratio's spread, and the
 * median ratio of CPU times.
 * `lotsmith bench backtest [--accounts N] [--workers W] [--reference] [--phases]`: the backtest's
 * throughput (src/bench/backtestBench.ts); with --format json the last line is
 * {"accountDays", "seconds", "accountDaysPerSecond", "workers"}.
 * `lotsmith bench direct [--accounts N] [--days D] [--index DIR]`: the direct index's daily decision
 * (src/bench/directBench.ts); with --format json the last line is
 * {"accounts", "lots", "msPerAccountDay", "solveMs"}.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { benchDate, closesOn, runDailyBench } from '../../bench/dailyBench.js';
import { measureBacktest, phaseRows } from '../../bench/backtestBench.js';
import { formatDay } from '../../core/kernel/calendar.js';
import { runScanBench, SCAN_DATE } from '../../bench/scanBench.js';
import { loadUniverse } from '../files/universeFile.js';
import { loadPriceBook, PACKAGE_ROOT, resolvePriceDir } from '../files/priceDirectory.js';
import { DIRECT_BENCH_START, loadDirectBenchData, runDirectBench, type DayTimes } from '../../bench/directBench.js';
import { loadFederalTable } from '../files/taxTablesFile.js';
import { INDEX_ENV, resolveIndexDir, SAMPLE_INDEX } from '../files/indexDirectory.js';
import { loadQpSolver } from '../solver/highsQp.js';
import { reportIssues } from './caseCommands.js';
import { UsageError, type CliIo } from './io.js';
import { formatOption } from './options.js';

export function registerBenchCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('bench')
    .description('benchmarks; `bench scan`: the daily harvest decision over N households of ~40 lots; `bench backtest`: account-days per second over 12 years')
    .argument('<suite>', 'scan | daily | backtest | direct')
    .option('--households <n>', 'number of households (default: 1,000,000 for scan, 100,000 for daily)')
    .option('--accounts <n>', 'backtest: simulated accounts, each under every strategy (default 16); direct: accounts of ~500 stocks x 20 lots, one decision each (default 100)')
    .option('--lots <n>', 'direct: lots per account, at least 20 per stock (default 10,000)')
    .option('--days <n>', 'direct: trading days one account lives through from 2020-09-01 (default 20)')
    .option('--index <dir>', 'direct: the index directory (default: $LOTSMITH_INDEX, ../shared/data/sp500, else the 32-stock fixture)')
    .option('--reference', 'backtest: the reference day loop (the state rebuilt every day) instead of the fast one; one thread')
    .option('--phases', 'backtest: time the phases (screen, decide, fills, verify); one thread')
    .option('--verify', 'backtest: re-book every simulated history with the ledger, as `lotsmith backtest` does by default')
    .option('--prices <dir>', 'price directory (default: $LOTSMITH_PRICES or ../shared/data/prices)')
    .option('--db <url>', 'daily: a PostgreSQL server; the benchmark creates and drops a database of its own on it')
    .option('--data <dir>', 'daily: an empty directory for the embedded PGlite book (default: a temporary one)')
    .option('--workers <n>', 'daily on PostgreSQL: worker processes; backtest: worker threads', '1')
    .option('--rounds <n>', 'scan: timed repetitions of the kernel and the full decision (at least 5)', '7')
    .option('-f, --format <format>', 'table | json', 'table')
    .action(async (suite: string, o: BenchOptions) => {
      if (suite === 'daily') return setExit(await dailyBench(io, o));
      if (suite === 'backtest') return setExit(await backtestBench(io, o));
      if (suite === 'direct') return setExit(await directBench(io, o));
      if (suite !== 'scan') throw new UsageError(`bench: unknown suite "${suite}" (scan, daily, backtest, direct; the other suites run with npm run bench)`);
      const format = formatOption(o.format, ['table', 'json'] as const, 'table');
      const households = Number(o.households ?? '1000000');
      if (!Number.isInteger(households) || households < 1) throw new UsageError(`--households: "${o.households}" is not a positive integer`);
      const rounds = Number(o.rounds);
      if (!Number.isInteger(rounds) || rounds < 5) throw new UsageError(`--rounds: "${o.rounds}" is not an integer of at least 5`);
      const dir = resolvePriceDir({ flag: o.prices, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
      if (!dir.ok) {
        io.err(`lotsmith: ${dir.message}\n`);
        return setExit(1);
      }
      const universe = loadUniverse();
      if (!universe.ok) return setExit(reportIssues(io, universe.issues));
      const symbols = universe.value.classes.flatMap((c) => c.securities.map((s) => s.symbol as string));
      const prices = loadPriceBook(dir.dir, { symbols });
      const f = runScanBench(households, prices.book, universe.value, rounds);
      const line = {
        lots: f.lots,
        seconds: f.seconds,
        lotsPerSecond: Math.round(f.lotsPerSecond),
        kernelLotsPerSecond: Math.round(f.kernelLotsPerSecond),
        ratio: Number(f.ratio.toFixed(3)),
        ratioMin: Number(f.ratios.min.toFixed(3)),
        ratioMax: Number(f.ratios.max.toFixed(3)),
        cpuRatio: Number(f.cpuRatios.median.toFixed(3)),
        peakRssMb: f.peakRssMb,
        peakBytesPerLot: Math.round(f.peakBytesPerLot),
      };
      const m = (x: number): string => (x / 1e6).toFixed(1);
      if (format === 'json') {
        io.out(`${JSON.stringify({ ...line, rounds: f.rounds, full: f.full, kernel: f.kernel, arrayBytesPerLot: f.arrayBytesPerLot, candidates: f.candidates, harvests: f.harvests, setupSeconds: f.setupSeconds, tables: f.tables, date: SCAN_DATE })}\n`);
        io.out(`${JSON.stringify(line)}\n`);
      } else {
        io.out(
          [
            `Daily scan, ${households.toLocaleString('en-US')} households, ${f.lots.toLocaleString('en-US')} lots, closes of ${SCAN_DATE}`,
            `${f.rounds} rounds, each timing the kernel and the full decision back to back; min / median / max:`,
            `full decision: ${m(f.full.min)} / ${m(f.full.median)} / ${m(f.full.max)} M lots/s (median ${(f.seconds * 1000).toFixed(0)} ms; ${f.candidates.toLocaleString('en-US')} candidates, ${f.evaluated.toLocaleString('en-US')} evaluated in full, ${f.harvests.toLocaleString('en-US')} harvests)`,
            `bare kernel:   ${m(f.kernel.min)} / ${m(f.kernel.median)} / ${m(f.kernel.max)} M lots/s`,
            `ratio:         ${f.ratios.min.toFixed(2)} / ${f.ratios.median.toFixed(2)} / ${f.ratios.max.toFixed(2)} (target >= 0.5); of CPU times ${f.cpuRatios.min.toFixed(2)} / ${f.cpuRatios.median.toFixed(2)} / ${f.cpuRatios.max.toFixed(2)}`,
            `memory: peak RSS ${f.peakRssMb} MB, ${Math.round(f.peakBytesPerLot)} bytes per lot above the process before the lots (target <= 100; the arrays: ${f.arrayBytesPerLot})`,
            `setup (columns + ${f.tables} stopping tables): ${f.setupSeconds.toFixed(1)} s`,
          ].join('\n') + '\n',
        );
      }
    });
}

interface BenchOptions {
  households?: string;
  accounts?: string;
  days?: string;
  lots?: string;
  index?: string;
  reference?: boolean;
  phases?: boolean;
  verify?: boolean;
  prices?: string;
  db?: string;
  data?: string;
  workers: string;
  rounds: string;
  format: string;
}

/** `lotsmith bench backtest`: account-days per second of the backtest (src/bench/backtestBench.ts). */
async function backtestBench(io: CliIo, o: BenchOptions): Promise<number> {
  const format = formatOption(o.format, ['table', 'json'] as const, 'table');
  const accounts = Number(o.accounts ?? '16');
  const workers = Number(o.workers);
  if (!Number.isInteger(accounts) || accounts < 1) throw new UsageError(`--accounts: "${o.accounts}" is not a positive integer`);
  if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers: "${o.workers}" is not a positive integer`);
  if (workers > 1 && (o.reference === true || o.phases === true)) throw new UsageError('--reference and --phases run in one thread: leave out --workers');
  const dir = resolvePriceDir({ flag: o.prices, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
  if (!dir.ok) {
    io.err(`lotsmith: ${dir.message}\n`);
    return 1;
  }
  const m = await measureBacktest({ pricesDir: dir.dir, accounts, workers, reference: o.reference === true, phases: o.phases === true, verify: o.verify === true });
  const line = { accountDays: m.accountDays, seconds: Number(m.seconds.toFixed(3)), accountDaysPerSecond: Math.round(m.accountDaysPerSecond), workers: m.workers };
  if (format === 'json') {
    const phases = m.phases === undefined ? {} : { phasesMs: Object.fromEntries(Object.entries(m.phases).map(([k, v]) => [k, Math.round(v)])) };
    io.out(`${JSON.stringify({ ...line, cpuSeconds: Number(m.cpuSeconds.toFixed(3)), accounts, strategies: m.strategies, loop: o.reference === true ? 'reference' : 'fast', verify: o.verify === true, ...phases })}\n`);
    io.out(`${JSON.stringify(line)}\n`);
  } else {
    const rows = phaseRows(m);
    io.out(
      `Backtest, ${accounts.toLocaleString('en-US')} accounts x 12 years x ${m.strategies} strategies (${o.reference === true ? 'reference' : 'fast'} day loop, ${m.workers} worker${m.workers === 1 ? '' : 's'})\n` +
        `${Math.round(m.accountDaysPerSecond).toLocaleString('en-US')} account-days/s (${m.accountDays.toLocaleString('en-US')} account-days in ${m.seconds.toFixed(1)} s; ${Math.round(m.accountDays / m.cpuSeconds).toLocaleString('en-US')} per CPU-second)\n` +
        rows.map(([k, v]) => `${k.padEnd(28)} ${v}\n`).join(''),
    );
  }
  return 0;
}

/** `lotsmith bench daily`: the whole daily run over a generated book (src/bench/dailyBench.ts). */
async function dailyBench(io: CliIo, o: BenchOptions): Promise<number> {
  const format = formatOption(o.format, ['table', 'json'] as const, 'table');
  const households = Number(o.households ?? '100000');
  const workers = Number(o.workers);
  if (!Number.isInteger(households) || households < 1) throw new UsageError(`--households: "${o.households}" is not a positive integer`);
  if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers: "${o.workers}" is not a positive integer`);
  if (o.db !== undefined && o.data !== undefined) throw new UsageError('give --db or --data, not both');
  const dir = resolvePriceDir({ flag: o.prices, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
  if (!dir.ok) {
    io.err(`lotsmith: ${dir.message}\n`);
    return 1;
  }
  const universe = loadUniverse();
  if (!universe.ok) return reportIssues(io, universe.issues);
  const prices = loadPriceBook(dir.dir, { symbols: universe.value.classes.flatMap((c) => c.securities.map((s) => s.symbol as string)) });
  const date = benchDate(prices.book);
  const closes = closesOn(prices.book, universe.value, date);
  const f = await runDailyBench({ households, date, closes, universe: universe.value, server: o.db, ...(o.data !== undefined ? { dataDir: resolve(io.cwd, o.data) } : {}), workers });
  const line = { households: f.households, lots: f.lots, seconds: Number(f.seconds.toFixed(3)), householdsPerSecond: Math.round(f.householdsPerSecond), readSeconds: Number(f.readSeconds.toFixed(3)), ratio: Number(f.ratio.toFixed(3)), peakRssMb: f.peakRssMb };
  if (format === 'json') {
    io.out(`${JSON.stringify({ ...line, workers: f.workers, decided: f.decided, proposals: f.proposals, setupSeconds: Number(f.setupSeconds.toFixed(1)), date: formatDay(date) })}\n`);
    io.out(`${JSON.stringify(line)}\n`);
  } else {
    io.out(
      `Daily run over ${f.households.toLocaleString('en-US')} households, ${f.lots.toLocaleString('en-US')} lots, closes of ${formatDay(date)} (${o.db !== undefined ? `PostgreSQL, ${f.workers} worker${f.workers === 1 ? '' : 's'}` : 'PGlite, in-process'})\n` +
        `whole run ${f.seconds.toFixed(1)} s: ${Math.round(f.householdsPerSecond).toLocaleString('en-US')} households/s; bare read ${f.readSeconds.toFixed(1)} s; ratio ${f.ratio.toFixed(2)} (target >= 0.3); ${f.decided} decided, ${f.proposals} proposals; peak RSS ${f.peakRssMb} MB\n`,
    );
  }
  return 0;
}

/** `lotsmith bench direct`: the direct index's daily decision per account-day (src/bench/directBench.ts). */
async function directBench(io: CliIo, o: BenchOptions): Promise<number> {
  const format = formatOption(o.format, ['table', 'json'] as const, 'table');
  const accounts = Number(o.accounts ?? '100');
  const days = Number(o.days ?? '20');
  if (!Number.isInteger(accounts) || accounts < 1) throw new UsageError(`--accounts: "${o.accounts}" is not a positive integer`);
  if (!Number.isInteger(days) || days < 1) throw new UsageError(`--days: "${o.days}" is not a positive integer`);
  const lotsPerAccount = Number(o.lots ?? '10000');
  if (!Number.isInteger(lotsPerAccount) || lotsPerAccount < 1) throw new UsageError(`--lots: "${o.lots}" is not a positive integer`);
  const dir = resolvePriceDir({ flag: o.prices, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
  if (!dir.ok) {
    io.err(`lotsmith: ${dir.message}\n`);
    return 1;
  }
  const found = resolveIndexDir({ flag: o.index, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
  if (!found.ok && (o.index !== undefined || (io.env[INDEX_ENV] ?? '') !== '')) {
    io.err(`lotsmith: ${found.message}\n`);
    return 1;
  }
  const indexDir = found.ok ? found.dir : SAMPLE_INDEX;
  const federal = loadFederalTable(2025);
  if (!federal.ok) return reportIssues(io, federal.issues);
  const etfs = loadUniverse();
  if (!etfs.ok) return reportIssues(io, etfs.issues);
  const data = loadDirectBenchData(indexDir, dir.dir);
  // The sleeve's time limit is the daily policy's (a cycling solve skips the day's trade); one
  // construction solve over every name may take longer.
  const solver = await loadQpSolver({ timeLimitSeconds: 5 });
  const constructionSolver = await loadQpSolver({ timeLimitSeconds: 120 });
  const f = runDirectBench({ ...data, universe: etfs.value, federal: federal.value, solver, constructionSolver, accounts, days, start: DIRECT_BENCH_START, lotsPerStock: 20, lotsPerAccount, maxStocks: 500, accountValue: 10_000_000 });
  const r2 = (x: number): number => Number(x.toFixed(2));
  const line = { accounts: f.accounts, lots: f.lots, msPerAccountDay: r2(f.many.all.meanMs), solveMs: r2(f.solveMs) };
  const times = (t: DayTimes) => ({ count: t.count, meanMs: r2(t.meanMs), medianMs: r2(t.medianMs), maxMs: r2(t.maxMs) });
  if (format === 'json') {
    io.out(
      `${JSON.stringify({
        ...line,
        index: indexDir,
        stocks: f.stocks,
        lotsPerAccount: f.lotsPerAccount,
        window: f.window,
        days: { from: formatDay(f.firstDay), through: formatDay(f.lastDay) },
        quiet: times(f.many.quiet),
        harvest: times(f.many.harvest),
        single: { all: times(f.single.all), quiet: times(f.single.quiet), harvest: times(f.single.harvest), harvestedStocks: f.single.harvestedStocks },
        trackingError: Number(f.trackingError.toFixed(5)),
        seconds: r2(f.many.seconds),
        setupSeconds: r2(f.setupSeconds),
        solver: solver.name,
      })}\n`,
    );
    io.out(`${JSON.stringify(line)}\n`);
  } else {
    const row = (label: string, t: DayTimes): string => `${label.padEnd(34)} ${t.count === 0 ? 'none' : `${t.meanMs.toFixed(1)} ms mean, ${t.medianMs.toFixed(1)} median, ${t.maxMs.toFixed(1)} max (${t.count} days)`}\n`;
    io.out(
      `Direct index daily decision: ${f.stocks} stocks x ${Math.round(f.lotsPerAccount / Math.max(1, f.stocks))} lots = ${f.lotsPerAccount.toLocaleString('en-US')} lots per account; index ${indexDir}; ${formatDay(f.firstDay)} .. ${formatDay(f.lastDay)}; risk model over ${f.window} days\n` +
        `one account through ${f.single.all.count} days (${f.single.harvestedStocks} stocks harvested):\n` +
        row('  without a harvest', f.single.quiet) +
        row('  with a harvest (re-optimization)', f.single.harvest) +
        `${f.accounts.toLocaleString('en-US')} accounts, one day each (${f.lots.toLocaleString('en-US')} lots; ${f.many.seconds.toFixed(1)} s with booking):\n` +
        row('  every account-day', f.many.all) +
        row('  without a harvest', f.many.quiet) +
        row('  with a harvest (re-optimization)', f.many.harvest) +
        `construction solve over ${f.stocks} names: ${f.solveMs.toFixed(0)} ms (${solver.name}; ex-ante TE ${(f.trackingError * 100).toFixed(2)} %)\n` +
        `target <= 20 ms per account-day: ${f.many.all.meanMs <= 20 ? 'met' : 'not met'}\n`,
    );
  }
  return 0;
}
