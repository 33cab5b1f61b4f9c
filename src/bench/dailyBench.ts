/**
 * The daily run's benchmark: a generated book of N households × ~40 lots (taxable, IRA and spouse
 * accounts, ~5 % of lots at a loss) in a fresh database, then, in the same run,
 *  - the bare read: every open lot out of the database into rows (the physical floor of a design
 *    that reads the book each day), and
 *  - the whole daily run (read, screen, decide, write proposals), worked by `workers` worker
 *    processes on PostgreSQL (pg-boss), or in this process on PGlite.
 * Reports households/s, lots/s, the ratio readSeconds / seconds, and peak memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { requestDailyRun, type DailyRunDeps } from '../app/dailyRun.js';
import type { RunRecord } from '../app/runPorts.js';
import { price } from '../core/kernel/exact.js';
import type { Day } from '../core/kernel/calendar.js';
import type { Symbol } from '../core/ledger/household.js';
import type { Universe } from '../core/securities/universe.js';
import { closeOnOrBefore, indexOnOrBefore, type PriceBook } from '../core/market/prices.js';
import { setupDecoder } from '../adapters/files/setupDecoder.js';
import { taxTableFiles } from '../adapters/files/taxTableFiles.js';
import { bossQueue, inProcessQueue, startBoss } from '../adapters/jobs/batchQueue.js';
import { openDatabase, type Database, type StoreTarget } from '../adapters/store/database.js';
import { bookMarket, priceStore } from '../adapters/store/priceStore.js';
import { runStore } from '../adapters/store/runStore.js';
import { scratchDatabase } from '../adapters/store/scratchDatabase.js';
import { generateBook } from './generatedBook.js';
import { peakRssMb } from './harness.js';

const CLI = fileURLToPath(new URL('../adapters/cli/main.js', import.meta.url));

export interface DailyBenchResult {
  readonly households: number;
  readonly lots: number;
  readonly seconds: number;
  readonly householdsPerSecond: number;
  readonly readSeconds: number;
  readonly ratio: number;
  readonly peakRssMb: number;
  readonly workers: number;
  readonly decided: number;
  readonly proposals: number;
  readonly setupSeconds: number;
}

export interface DailyBenchSpec {
  readonly households: number;
  readonly date: Day;
  readonly closes: ReadonlyMap<Symbol, number>;
  readonly universe: Universe;
  /** PostgreSQL server URL (a fresh database is created on it), or undefined for PGlite. */
  readonly server: string | undefined;
  /** PGlite: the book's directory (default: a temporary one, removed afterwards). */
  readonly dataDir?: string;
  readonly workers: number;
}

export async function runDailyBench(spec: DailyBenchSpec): Promise<DailyBenchResult> {
  const scratch = await scratchTarget(spec.server, spec.dataDir);
  const database = await openDatabase(scratch.target);
  const children: ChildProcess[] = [];
  try {
    const started = performance.now();
    const generated = await generateBook(database, { households: spec.households, lotsPerHousehold: 40, lossShare: 0.05, date: spec.date, closes: spec.closes, universe: spec.universe, seed: 7 });
    await priceStore(database).put([...spec.closes].map(([symbol, close]) => ({ symbol, date: spec.date, close: price(close.toFixed(2)), dividend: price('0'), split: '1' })));
    await database.db.execute(sql`analyze`);
    const setupSeconds = (performance.now() - started) / 1000;
    const readSeconds = await bareRead(database, generated.tenant);
    const deps: DailyRunDeps = { runs: runStore(database), market: bookMarket(database), tax: taxTableFiles(), universe: spec.universe, setups: setupDecoder };
    let run: RunRecord;
    const t0 = performance.now();
    if (database.url === undefined) {
      const r = await requestDailyRun({ ...deps, queue: inProcessQueue(deps) }, { tenant: generated.tenant, date: spec.date, batchSize: 500 });
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      run = r.value.run;
    } else {
      const boss = await startBoss(database.url);
      for (let w = 0; w < spec.workers; w++) children.push(await worker(database.url));
      const r = await requestDailyRun({ ...deps, queue: bossQueue(boss) }, { tenant: generated.tenant, date: spec.date, batchSize: 500 });
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      run = await waitFor(deps, generated.tenant, r.value.run);
      await boss.stop({ graceful: false });
    }
    const seconds = (performance.now() - t0) / 1000;
    return {
      households: generated.households,
      lots: generated.lots,
      seconds,
      householdsPerSecond: generated.households / seconds,
      readSeconds,
      ratio: readSeconds / seconds,
      peakRssMb: peakRssMb(),
      workers: database.url === undefined ? 1 : spec.workers,
      decided: run.totals.decided,
      proposals: run.totals.proposals,
      setupSeconds,
    };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await database.close();
    await scratch.drop();
  }
}

/** Every open lot of the tenant out of the database, through the same driver. */
async function bareRead(database: Database, tenant: string): Promise<number> {
  const t0 = performance.now();
  const rows = (await database.db.execute(sql`select household_id, account_id, symbol, lot_id, shares, basis, acquired, held_from, purchase, replacement from open_lots where tenant_id = ${tenant}`)) as unknown as { rows: unknown[] };
  if (rows.rows.length === 0) throw new Error('no lots read');
  return (performance.now() - t0) / 1000;
}

/** A `lotsmith worker` process, ready when it says so. */
function worker(url: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'worker', '--db', url], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (d: Buffer) => {
      if (d.toString().includes('worker ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

async function waitFor(deps: DailyRunDeps, tenant: string, run: RunRecord): Promise<RunRecord> {
  for (;;) {
    const now = await deps.runs.tenant(tenant as never).run(run.id);
    if (now?.status === 'done') return now;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function scratchTarget(server: string | undefined, dataDir: string | undefined): Promise<{ target: StoreTarget; drop(): Promise<void> }> {
  if (server === undefined) {
    if (dataDir !== undefined) return { target: { kind: 'pglite', dir: dataDir }, drop: async () => undefined };
    const dir = mkdtempSync(join(tmpdir(), 'lotsmith-daily-bench-'));
    return { target: { kind: 'pglite', dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const db = await scratchDatabase(server, 'lotsmith_bench');
  return { target: { kind: 'postgres', url: db.url }, drop: db.drop };
}

/** 2024-12-18 (the scan benchmark's day) when the prices have it, else the last day of the data. */
export function benchDate(book: PriceBook): Day {
  const wanted = 20_075 as Day;
  let last = 0;
  for (const s of book.series.values()) {
    if (s.days.length > 0) last = Math.max(last, s.days[s.days.length - 1] as number);
    if (indexOnOrBefore(s.days, wanted) >= 0 && wanted <= (s.days[s.days.length - 1] as number)) return wanted;
  }
  return last as Day;
}

/** The closes of `date` (split-adjusted to the data's end, as the generated lots are bought in them) of the universe's funds. */
export function closesOn(book: PriceBook, universe: Universe, date: Day): Map<Symbol, number> {
  const out = new Map<Symbol, number>();
  for (const c of universe.classes) {
    for (const s of c.securities) {
      const series = book.series.get(s.symbol);
      const close = series === undefined ? undefined : closeOnOrBefore(series, date)?.value;
      if (close !== undefined && Number.isFinite(close)) out.set(s.symbol, close);
    }
  }
  return out;
}
