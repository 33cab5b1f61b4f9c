/**
 * Importing into the book: the ledger benchmark's household of ~1M postings (86 accounts,
 * 2015–2024, weekly contributions, dividends reinvested, monthly partial sells with wash sales) as
 * a CSV case, imported by `lotsmith import` in a fresh process into a fresh PostgreSQL database and
 * into PGlite: parse, book with household wash sales, append the events and write the booked state
 * in one transaction. Then the same import again (every event known: nothing written), and the
 * whole `lotsmith gains` pipeline from the CSV file for reference.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDatabase } from '../adapters/store/scratchDatabase.js';
import { parseDay, type Day } from '../core/kernel/calendar.js';
import type { PriceBook } from '../core/market/prices.js';
import { generateHousehold } from './generatedHousehold.js';
import { fmt, report } from './harness.js';

const CLI = fileURLToPath(new URL('../adapters/cli/main.js', import.meta.url));
const FUNDS = ['VTI', 'VEA', 'VWO', 'VIG', 'VNQ', 'XLE', 'BND', 'TIP'];

function timed(args: readonly string[]): number {
  const t0 = performance.now();
  execFileSync(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  return (performance.now() - t0) / 1000;
}

export async function runImportBench(prices: PriceBook, server: string): Promise<void> {
  const day = (s: string): Day => parseDay(s) as Day;
  const g = generateHousehold(prices, { accounts: 86, funds: FUNDS, from: day('2015-01-01'), to: day('2024-12-31'), contributionsPerWeek: 1, seed: 7 });
  const dir = mkdtempSync(join(tmpdir(), 'lotsmith-import-bench-'));
  writeFileSync(join(dir, 'accounts.csv'), g.accountsCsv);
  writeFileSync(join(dir, 'transactions.csv'), g.transactionsCsv);
  const gainsSeconds = timed(['gains', '--input', dir, '--format', 'json']);
  const scratch = await scratchDatabase(server, 'lotsmith_import_bench');
  const pgliteDir = join(dir, 'book');
  try {
    const rows: [string, string][] = [['household', `${fmt(g.events)} events in one CSV case (the ledger benchmark's ~1M-posting household)`]];
    rows.push(['`lotsmith gains --input` (file path, for reference)', `${gainsSeconds.toFixed(1)} s`]);
    for (const [label, target] of [
      ['PostgreSQL', ['--db', scratch.url]],
      ['PGlite', ['--data', pgliteDir]],
    ] as const) {
      const first = timed(['import', '--household', 'big', dir, ...target]);
      const again = timed(['import', '--household', 'big', dir, ...target]);
      rows.push([`${label}: import + book (fresh process)`, `${first.toFixed(1)} s = ${fmt(g.events / first)} events/s; ${(first / gainsSeconds).toFixed(1)}x the file path`]);
      rows.push([`${label}: the same file again (all known, nothing written)`, `${again.toFixed(1)} s`]);
    }
    report('Import into the book', rows);
  } finally {
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
