/**
 * The service's ports wired on one open database: the book, the run, prices, keys, tax tables,
 * the universe and the job queue (pg-boss with an in-process worker on PostgreSQL, a background
 * queue in this process on PGlite). `lotsmith serve`, `npm start`, the tests and the benchmark use it.
 */
import { sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import type { Clock, MarketSource } from '../../app/ports.js';
import type { DailyRunDeps } from '../../app/dailyRun.js';
import { dayFromCivil } from '../../core/kernel/calendar.js';
import { setupDecoder } from '../files/setupDecoder.js';
import { taxTableFiles } from '../files/taxTableFiles.js';
import { loadUniverse } from '../files/universeFile.js';
import { availableParallelism } from 'node:os';
import { backtestJobs } from '../jobs/backtestJobs.js';
import { backgroundQueue, bossQueue, startBoss, workBatches } from '../jobs/batchQueue.js';
import { bookStore } from '../store/bookStore.js';
import type { Database } from '../store/database.js';
import { keyStore } from '../store/keyStore.js';
import { bookMarket, priceStore } from '../store/priceStore.js';
import { runStore } from '../store/runStore.js';
import type { ApiDeps } from './context.js';

export const systemClock: Clock = {
  today: () => {
    const now = new Date();
    return dayFromCivil(now.getFullYear(), now.getMonth() + 1, now.getDate());
  },
  now: () => new Date(),
};

/** How long a long-running service trusts the closes it read for a date (closes imported later show up after this). */
const MARKET_TTL_MS = 60_000;

/**
 * The book's closes for a service that runs for days: `bookMarket` keeps each date's closes it
 * has read (a date asked for before its closes were imported would stay without them), so it is
 * replaced by a fresh one every `ttlMs`.
 */
function refreshedMarket(database: Database, ttlMs: number): MarketSource {
  let market = bookMarket(database);
  let since = Date.now();
  return {
    marketOn(date, symbols) {
      if (Date.now() - since > ttlMs) {
        market = bookMarket(database);
        since = Date.now();
      }
      return market.marketOn(date, symbols);
    },
  };
}

export interface Service {
  readonly deps: ApiDeps;
  /** Resolves when the jobs queued so far are done (in-process queue; PostgreSQL: at once). */
  idle(): Promise<void>;
  /** Stops taking jobs (lets the running one finish); the database is the caller's to close. */
  stop(): Promise<void>;
}

export interface ServiceOptions {
  /** On PostgreSQL, queue the run's batches on pg-boss and work them in this process (default true). */
  readonly boss?: boolean;
  readonly onJobError?: (err: unknown) => void;
  /** Price directory backtest jobs run on; without one, submitting a backtest is refused. */
  readonly pricesDir?: string | undefined;
  /**
   * Worker threads per backtest job. Two or more keep the simulation off the server's event loop;
   * one runs it in this thread (tests, which run from source).
   */
  readonly backtestWorkers?: number;
}

export async function openService(database: Database, options: ServiceOptions = {}): Promise<Service> {
  const universe = loadUniverse();
  if (!universe.ok) throw new Error(`the universe file does not load: ${universe.issues.map((i) => i.message).join('; ')}`);
  const runDeps: DailyRunDeps = { runs: runStore(database), market: refreshedMarket(database, MARKET_TTL_MS), tax: taxTableFiles(), universe: universe.value, setups: setupDecoder };
  let boss: PgBoss | undefined;
  let worker: { stop(): Promise<void> } | undefined;
  let queue: ApiDeps['queue'];
  let idle: () => Promise<void> = async () => undefined;
  if (database.url !== undefined && options.boss !== false) {
    boss = await startBoss(database.url);
    worker = await workBatches(boss, runDeps, 1);
    queue = bossQueue(boss);
  } else {
    const background = backgroundQueue(runDeps, options.onJobError ?? ((err) => console.error('lotsmith: a run batch failed:', err)));
    queue = background;
    idle = background.idle;
  }
  const deps: ApiDeps = {
    ...runDeps,
    book: bookStore(database),
    prices: priceStore(database),
    keys: keyStore(database),
    queue,
    clock: systemClock,
    backtests: backtestJobs(database, { pricesDir: options.pricesDir, workers: options.backtestWorkers ?? Math.max(2, availableParallelism()) }),
    ping: async () => {
      await database.db.execute(sql`select 1`);
      return true;
    },
  };
  return {
    deps,
    idle,
    async stop() {
      await idle();
      await deps.backtests.idle();
      await worker?.stop();
      await boss?.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
