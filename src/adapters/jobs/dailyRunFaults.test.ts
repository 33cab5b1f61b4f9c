/**
 * Fault injection for the daily run on the real queue (pg-boss in a fresh PostgreSQL database,
 * loopback only). The proposal set of an uninterrupted run is the reference; then:
 *  - a worker process killed with SIGKILL at a random point (10 trials), its jobs taken over by
 *    another worker once they time out: the same proposals, none twice;
 *  - every connection of the database terminated in the middle of a run: the run completes after
 *    reconnecting, with the same proposals;
 *  - one job delivered twice: one set of proposals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestDailyRun, type DailyRunDeps } from '../../app/dailyRun.js';
import { tenantId } from '../../app/ports.js';
import type { RunRecord } from '../../app/runPorts.js';
import { canonicalJson } from '../../core/kernel/canonicalJson.js';
import { parseDay, type Day } from '../../core/kernel/calendar.js';
import { price } from '../../core/kernel/exact.js';
import { prng } from '../../core/kernel/random.js';
import { symbol } from '../../core/ledger/household.js';
import { UNIVERSE } from '../../core/harvest/testHousehold.test-util.js';
import { generateBook } from '../../bench/generatedBook.js';
import { setupDecoder } from '../files/setupDecoder.js';
import { taxTableFiles } from '../files/taxTableFiles.js';
import { openDatabase, type Database } from '../store/database.js';
import { bookMarket, priceStore } from '../store/priceStore.js';
import { runStore } from '../store/runStore.js';
import { freshPostgres, type TestDatabase } from '../store/testDatabases.test-util.js';
import { bossQueue, DAILY_QUEUE, inProcessQueue, startBoss, workBatches } from './batchQueue.js';

const CLI = join(process.cwd(), 'dist/adapters/cli/main.js');
const TENANT = tenantId('faults');
const DATE = parseDay('2025-04-08') as Day;
const CLOSES = new Map(Object.entries({ VTI: 270, SCHB: 24, VEA: 50, SCHF: 38, VWO: 42, SCHE: 26, VIG: 180, SCHD: 26, VNQ: 85, SCHH: 20, XLE: 85, VDE: 110, BND: 72, AGG: 98, SCHP: 26, TIP: 108, MUB: 105, TFI: 45, ITOT: 120, USRT: 50, VCIT: 80 }).map(([s, c]) => [symbol(s), c]));
const JOB_TIMEOUT = 2;

describe('the daily run on a real queue, under faults', () => {
  let db: TestDatabase;
  let database: Database;
  let boss: PgBoss;
  let deps: DailyRunDeps;
  let reference: string[];

  /** Each proposal of a run, as household and orders, in a canonical text. */
  async function proposalsOf(run: RunRecord): Promise<string[]> {
    const page = await deps.runs.tenant(TENANT).proposals({ runDate: DATE }, { limit: 10_000 });
    return page.items.filter((p) => p.runId === run.id).map((p) => `${p.household} ${canonicalJson(p.lines.map((l) => l.order))}`).sort();
  }

  async function runWith(queueOnly: boolean): Promise<RunRecord> {
    const r = await requestDailyRun({ ...deps, queue: queueOnly ? bossQueue(boss, { jobTimeoutSeconds: JOB_TIMEOUT }) : inProcessQueue(deps) }, { tenant: TENANT, date: DATE, replace: true, batchSize: 4 });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r.value.run;
  }

  async function done(run: RunRecord, timeoutMs = 120_000): Promise<RunRecord> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const now = await deps.runs.tenant(TENANT).run(run.id);
      if (now?.status === 'done') return now;
      if (Date.now() > until) throw new Error(`run ${run.id} not done: ${JSON.stringify(now?.totals)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    db = await freshPostgres();
    database = await openDatabase(db.target, { poolSize: 6 });
    await generateBook(database, { tenant: TENANT, households: 48, lotsPerHousehold: 20, lossShare: 0.1, date: DATE, closes: CLOSES, universe: UNIVERSE, seed: 3 });
    await priceStore(database).put([...CLOSES].map(([s, c]) => ({ symbol: s, date: DATE, close: price(String(c)), dividend: price('0'), split: '1' })));
    deps = { runs: runStore(database), market: bookMarket(database), tax: taxTableFiles(), universe: UNIVERSE, setups: setupDecoder };
    boss = await startBoss(database.url as string, { maintenanceSeconds: 1, jobTimeoutSeconds: JOB_TIMEOUT });
    reference = await proposalsOf(await runWith(false));
    expect(reference.length).toBeGreaterThan(5);
  }, 120_000);
  afterAll(async () => {
    await boss?.stop({ graceful: false });
    await database?.close();
    await db?.drop();
  });

  it('gives the same proposals, none twice, when a worker is killed at a random point (10 trials)', { timeout: 600_000 }, async () => {
    const rand = prng(42);
    for (let trial = 0; trial < 10; trial++) {
      const victim = await worker(database.url as string);
      const run = await runWith(true);
      await new Promise((r) => setTimeout(r, Math.round(rand() * 1500)));
      victim.kill('SIGKILL');
      const rescuer = await worker(database.url as string);
      try {
        await done(run);
      } finally {
        rescuer.kill('SIGTERM');
      }
      expect(await proposalsOf(run)).toEqual(reference);
    }
  });

  it('completes after every connection to the database is cut in the middle of a run', { timeout: 300_000 }, async () => {
    const working = await workBatches(boss, deps, 1);
    const run = await runWith(true);
    const admin = new pg.Client({ connectionString: (db.target as { url: string }).url });
    await admin.connect();
    for (;;) {
      const now = await deps.runs.tenant(TENANT).run(run.id);
      if ((now?.totals.batchesDone ?? 0) >= 2) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const cut = await admin.query<{ n: number }>('select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    await admin.end();
    expect(cut.rows[0]?.n).toBeGreaterThan(0);
    const finished = await done(run);
    await working.stop();
    expect(finished.totals.batchesDone).toBe(finished.batches);
    expect(await proposalsOf(run)).toEqual(reference);
  });

  it('writes one set of proposals when every job is delivered twice', { timeout: 300_000 }, async () => {
    const run = await runWith(false);
    const again = await deps.runs.tenant(TENANT).startRun(DATE, 'twice', 4, false);
    const jobs = [...Array(again.run.batches).keys()].flatMap((batch) => [0, 1].map(() => ({ name: DAILY_QUEUE, data: { tenant: TENANT, runId: again.run.id, batch } })));
    await boss.insert(jobs);
    const working = await workBatches(boss, deps, 2);
    await done(again.run);
    await working.stop();
    expect(await proposalsOf(again.run)).toEqual(await proposalsOf(run));
  });
});

function worker(url: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'worker', '--db', url, '--job-timeout', String(JOB_TIMEOUT), '--maintenance', '1'], { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env['PATH'] } });
    child.stderr?.on('data', (d: Buffer) => {
      if (d.toString().includes('worker ready')) resolve(child);
    });
    child.on('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal})`)));
  });
}
