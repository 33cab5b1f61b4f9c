/**
 * The daily run's batches as jobs. On PostgreSQL they go to pg-boss in the same database, and any
 * number of `lotsmith worker` processes (here or on other machines) take them; a job whose worker
 * dies is retried once its time is up. On the embedded PGlite store they run in this process, one
 * after another. Either way a job only calls `runBatch`, which commits a batch once.
 */
import PgBoss from 'pg-boss';
import { runBatch, type BatchJob, type DailyRunDeps } from '../../app/dailyRun.js';
import type { BatchQueue } from '../../app/runPorts.js';

export const DAILY_QUEUE = 'lotsmith-daily-batch';

export interface BossOptions {
  /** A job still active this long after it started is presumed dead and retried. */
  readonly jobTimeoutSeconds?: number;
  /** How often pg-boss looks for such jobs. */
  readonly maintenanceSeconds?: number;
}

export async function startBoss(url: string, options: BossOptions = {}): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    schema: 'pgboss',
    max: 4,
    maintenanceIntervalSeconds: options.maintenanceSeconds ?? 30,
    monitorStateIntervalSeconds: 60,
  });
  boss.on('error', () => undefined);
  await boss.start();
  await boss.createQueue(DAILY_QUEUE, {
    name: DAILY_QUEUE,
    retryLimit: 50,
    retryDelay: 1,
    expireInSeconds: options.jobTimeoutSeconds ?? 300,
  });
  return boss;
}

/** Jobs carry their own time limit, so the process that queues them decides it. */
export function bossQueue(boss: PgBoss, options: BossOptions = {}): BatchQueue {
  return {
    async enqueue(jobs) {
      if (jobs.length === 0) return;
      await boss.insert(
        jobs.map((j) => ({ name: DAILY_QUEUE, data: { ...j }, singletonKey: `${j.runId}:${j.batch}`, expireInSeconds: options.jobTimeoutSeconds ?? 300, retryLimit: 50, retryDelay: 1 })),
      );
    },
  };
}

/** Takes daily-run jobs from the queue until `stop`; `concurrency` jobs at a time. */
export async function workBatches(boss: PgBoss, deps: DailyRunDeps, concurrency = 1): Promise<{ stop(): Promise<void> }> {
  const ids: string[] = [];
  for (let i = 0; i < concurrency; i++) {
    ids.push(
      await boss.work<BatchJob>(DAILY_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
        if (job !== undefined) await runBatch(deps, job.data);
      }),
    );
  }
  return {
    async stop() {
      await boss.offWork(DAILY_QUEUE);
    },
  };
}

/** The embedded store's queue: each job runs at once, in this process. */
export function inProcessQueue(deps: DailyRunDeps): BatchQueue {
  return {
    async enqueue(jobs) {
      for (const j of jobs) await runBatch(deps, j);
    },
  };
}

/**
 * The embedded store's queue for a server: jobs run in this process one after another, after
 * `enqueue` returns, so a request that starts a run answers at once. `idle()` resolves when every
 * queued job is done (tests, and a clean stop).
 */
export function backgroundQueue(deps: DailyRunDeps, onError: (err: unknown) => void): BatchQueue & { idle(): Promise<void> } {
  let tail: Promise<void> = Promise.resolve();
  return {
    async enqueue(jobs) {
      for (const j of jobs) {
        tail = tail.then(() => runBatch(deps, j).then(() => undefined, onError));
      }
    },
    idle: () => tail,
  };
}
