/**
 * `lotsmith bench scan --households N [--format table|json]`: the daily scan benchmark (see
 * src/bench/scanBench.ts) from the command line. With --format json the last line is
 * {"lots", "seconds", "lotsPerSecond", "kernelLotsPerSecond", "ratio", "peakRssMb"}.
 */
import type { Command } from 'commander';
import { runScanBench, SCAN_DATE } from '../../bench/scanBench.js';
import { loadUniverse } from '../files/universeFile.js';
import { loadPriceBook, PACKAGE_ROOT, resolvePriceDir } from '../files/priceDirectory.js';
import { reportIssues } from './caseCommands.js';
import { UsageError, type CliIo } from './io.js';
import { formatOption } from './options.js';

export function registerBenchCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('bench')
    .description('benchmarks; `bench scan`: the daily harvest decision over N households of ~40 lots')
    .argument('<suite>', 'scan')
    .option('--households <n>', 'number of households', '1000000')
    .option('--prices <dir>', 'price directory (default: $LOTSMITH_PRICES or ../shared/data/prices)')
    .option('-f, --format <format>', 'table | json', 'table')
    .action((suite: string, o: { households: string; prices?: string; format: string }) => {
      if (suite !== 'scan') throw new UsageError(`bench: unknown suite "${suite}" (scan; the ledger suites run with npm run bench)`);
      const format = formatOption(o.format, ['table', 'json'] as const, 'table');
      const households = Number(o.households);
      if (!Number.isInteger(households) || households < 1) throw new UsageError(`--households: "${o.households}" is not a positive integer`);
      const dir = resolvePriceDir({ flag: o.prices, env: io.env, cwd: io.cwd, packageRoot: PACKAGE_ROOT });
      if (!dir.ok) {
        io.err(`lotsmith: ${dir.message}\n`);
        return setExit(1);
      }
      const universe = loadUniverse();
      if (!universe.ok) return setExit(reportIssues(io, universe.issues));
      const symbols = universe.value.classes.flatMap((c) => c.securities.map((s) => s.symbol as string));
      const prices = loadPriceBook(dir.dir, { symbols });
      const f = runScanBench(households, prices.book, universe.value);
      const line = { lots: f.lots, seconds: f.seconds, lotsPerSecond: Math.round(f.lotsPerSecond), kernelLotsPerSecond: Math.round(f.kernelLotsPerSecond), ratio: Number(f.ratio.toFixed(3)), peakRssMb: f.peakRssMb };
      if (format === 'json') {
        io.out(`${JSON.stringify({ ...line, candidates: f.candidates, harvests: f.harvests, setupSeconds: f.setupSeconds, tables: f.tables, date: SCAN_DATE })}\n`);
        io.out(`${JSON.stringify(line)}\n`);
      } else {
        io.out(
          [
            `Daily scan, ${households.toLocaleString('en-US')} households, ${f.lots.toLocaleString('en-US')} lots, closes of ${SCAN_DATE}`,
            `full decision: ${(f.seconds * 1000).toFixed(0)} ms, ${(f.lotsPerSecond / 1e6).toFixed(1)} M lots/s (${f.candidates.toLocaleString('en-US')} candidates, ${f.harvests.toLocaleString('en-US')} harvests)`,
            `bare kernel:   ${(f.kernelLotsPerSecond / 1e6).toFixed(1)} M lots/s; ratio ${f.ratio.toFixed(2)} (target >= 0.5)`,
            `setup (columns + ${f.tables} stopping tables): ${f.setupSeconds.toFixed(1)} s; peak RSS ${f.peakRssMb} MB`,
          ].join('\n') + '\n',
        );
      }
    });
}
