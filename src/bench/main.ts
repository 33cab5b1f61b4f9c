/**
 * `npm run bench [-- suite ...] [--quick]`: runs the benchmark suites and prints their figures.
 * Suites: ledger, scan, backtest, import, daily, http (`--seconds N` per route, default 30), direct (`--accounts N`, default 100; the index from $LOTSMITH_INDEX, ../shared/data/sp500, else the repo's 32-stock fixture); and yield-gap (not run by default: minutes). Prices come from --prices, $LOTSMITH_PRICES or ../shared/data/prices.
 */
import { loadPriceBook, PACKAGE_ROOT, resolvePriceDir } from '../adapters/files/priceDirectory.js';
import { loadUniverse } from '../adapters/files/universeFile.js';
import { runLedgerBench } from './ledgerBench.js';
import { runScanBench, SCAN_DATE } from './scanBench.js';
import { runBacktestBench } from './backtestBench.js';
import { fmt, report } from './harness.js';
import { closesOn, runDailyBench } from './dailyBench.js';
import { runImportBench } from './importBench.js';
import { runHttpBench } from './httpBench.js';
import { runYieldGap } from './yieldGap.js';
import { formatDay, parseDay, type Day } from '../core/kernel/calendar.js';
import { DIRECT_BENCH_START, loadDirectBenchData, runDirectBench, type DayTimes } from './directBench.js';
import { resolveIndexDir, SAMPLE_INDEX } from '../adapters/files/indexDirectory.js';
import { loadFederalTable } from '../adapters/files/taxTablesFile.js';
import { loadQpSolver } from '../adapters/solver/highsQp.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const flagAt = args.indexOf('--prices');
const secondsAt = args.indexOf('--seconds');
const accountsAt = args.indexOf('--accounts');
const suites = args.filter((a, i) => !a.startsWith('--') && ![flagAt, secondsAt, accountsAt].some((at) => at >= 0 && i === at + 1));
const want = (s: string): boolean => suites.length === 0 || suites.includes(s);

const dir = resolvePriceDir({ flag: flagAt >= 0 ? args[flagAt + 1] : undefined, env: process.env, cwd: process.cwd(), packageRoot: PACKAGE_ROOT });
if (!dir.ok) {
  process.stderr.write(`${dir.message}\n`);
  process.exit(1);
}
const { book: prices, issues } = loadPriceBook(dir.dir);
if (issues.length > 0) process.stderr.write(`warning: ${issues.length} price file problems (first: ${issues[0]?.message})\n`);
process.stdout.write(`Lotsmith benchmarks — Node ${process.version}, prices from ${dir.dir}\n`);

if (want('ledger')) runLedgerBench(prices, quick);

if (want('scan')) {
  const universe = loadUniverse();
  if (!universe.ok) throw new Error(JSON.stringify(universe.issues));
  // Two sizes, smaller first (peak memory only grows), to show the rate does not depend on size.
  const sizes = quick ? [25_000, 100_000] : [250_000, 1_000_000];
  const rows: [string, string][] = [];
  const m = (x: number): string => fmt(x / 1e6, 1);
  for (const n of sizes) {
    const f = runScanBench(n, prices, universe.value);
    rows.push([
      `${fmt(n)} households, ${fmt(f.lots)} lots`,
      `full ${m(f.full.min)} / ${m(f.full.median)} / ${m(f.full.max)} M lots/s; kernel ${m(f.kernel.min)} / ${m(f.kernel.median)} / ${m(f.kernel.max)} M lots/s; ratio ${f.ratios.min.toFixed(2)} / ${f.ratios.median.toFixed(2)} / ${f.ratios.max.toFixed(2)} (min / median / max of ${f.rounds}), of CPU times ${f.cpuRatios.min.toFixed(2)} / ${f.cpuRatios.median.toFixed(2)} / ${f.cpuRatios.max.toFixed(2)}; ${fmt(f.candidates)} candidates (${fmt(f.evaluated)} evaluated in full), ${fmt(f.harvests)} harvests; peak RSS ${fmt(f.peakRssMb)} MB, ${fmt(f.peakBytesPerLot)} B/lot; setup ${f.setupSeconds.toFixed(1)} s`,
    ]);
  }
  report(`Daily harvest scan (columnar, closes of ${SCAN_DATE}; ~40 lots per household, a third of households with an IRA; ~5 % of lots at a loss)`, rows);
}

if (want('backtest')) await runBacktestBench(dir.dir, quick);

if (suites.includes('yield-gap')) runYieldGap(dir.dir, quick);

if (want('import')) await runImportBench(prices, process.env['LOTSMITH_BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test');

if (want('http')) {
  const seconds = secondsAt >= 0 ? Number(args[secondsAt + 1]) : 30;
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`--seconds: "${args[secondsAt + 1] ?? ''}" is not a positive number`);
  await runHttpBench({ server: process.env['LOTSMITH_BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test', pricesDir: dir.dir, seconds, connections: 10, clients: quick ? 40 : 200 });
}

if (want('daily')) {
  const universe = loadUniverse();
  if (!universe.ok) throw new Error(JSON.stringify(universe.issues));
  const date = parseDay(SCAN_DATE) as Day;
  const closes = closesOn(prices, universe.value, date);
  const server = process.env['LOTSMITH_BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const n = quick ? 10_000 : 100_000;
  const rows: [string, string][] = [];
  for (const [label, target, workers] of [
    ['PostgreSQL, 1 worker', server, 1],
    ['PostgreSQL, 2 workers', server, 2],
    ['PGlite (in-process)', undefined, 1],
  ] as const) {
    const f = await runDailyBench({ households: n, date, closes, universe: universe.value, server: target, workers });
    rows.push([
      `${label}: ${fmt(f.households)} households, ${fmt(f.lots)} lots`,
      `run ${f.seconds.toFixed(1)} s = ${fmt(f.householdsPerSecond)} households/s, ${fmt(f.lots / f.seconds)} lots/s; bare read ${f.readSeconds.toFixed(1)} s; ratio ${f.ratio.toFixed(2)}; ${fmt(f.decided)} decided, ${fmt(f.proposals)} proposals; setup ${f.setupSeconds.toFixed(0)} s; peak RSS ${fmt(f.peakRssMb)} MB`,
    ]);
  }
  report(`Daily run over a generated book (closes of ${SCAN_DATE}; ~40 lots per household, ~5 % at a loss; 500 households per job)`, rows);
}

if (want('direct')) {
  const accounts = accountsAt >= 0 ? Number(args[accountsAt + 1]) : quick ? 10 : 100;
  if (!Number.isInteger(accounts) || accounts < 1) throw new Error(`--accounts: "${args[accountsAt + 1] ?? ''}" is not a positive integer`);
  const found = resolveIndexDir({ env: process.env, cwd: process.cwd(), packageRoot: PACKAGE_ROOT });
  const indexDir = found.ok ? found.dir : SAMPLE_INDEX;
  const universe = loadUniverse();
  if (!universe.ok) throw new Error(JSON.stringify(universe.issues));
  const federal = loadFederalTable(2025);
  if (!federal.ok) throw new Error(JSON.stringify(federal.issues));
  const solver = await loadQpSolver({ timeLimitSeconds: 5 });
  const constructionSolver = await loadQpSolver({ timeLimitSeconds: 120 });
  const f = runDirectBench({ ...loadDirectBenchData(indexDir, dir.dir), universe: universe.value, federal: federal.value, solver, constructionSolver, accounts, days: 20, start: DIRECT_BENCH_START, lotsPerStock: 20, lotsPerAccount: 10_000, maxStocks: 500, accountValue: 10_000_000 });
  const t = (x: DayTimes): string => (x.count === 0 ? 'none' : `${fmt(x.meanMs, 1)} ms mean, ${fmt(x.medianMs, 1)} median, ${fmt(x.maxMs, 1)} max over ${fmt(x.count)}`);
  report(`Direct index daily decision (${f.stocks} stocks, ${fmt(f.lotsPerAccount)} lots per account, ${indexDir}, ${formatDay(f.firstDay)} .. ${formatDay(f.lastDay)}; target <= 20 ms per account-day)`, [
    ['one account, 20 days: without a harvest', t(f.single.quiet)],
    ['one account, 20 days: with a harvest', `${t(f.single.harvest)} (${fmt(f.single.harvestedStocks)} stocks harvested)`],
    [`${fmt(f.accounts)} accounts, one day each`, `${t(f.many.all)}; without a harvest ${t(f.many.quiet)}; with ${t(f.many.harvest)}`],
    [`construction solve, ${f.stocks} names`, `${fmt(f.solveMs)} ms (${solver.name})`],
  ]);
}
