/**
 * Backtests submitted over the API, as jobs kept in the book (backtest_jobs): queued, running with
 * its progress (accounts done of the total), then done with the report's results JSON, or failed
 * with the reason. One runs at a time in this process (a backtest takes the machine's cores). A
 * job queued or running when the process stopped is run again at the next start: its config and
 * prices are files and the run is deterministic, so nothing is lost or doubled.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { TenantId } from '../../app/ports.js';
import { issue, type Result } from '../../core/kernel/errors.js';
import { decodeBacktestConfig } from '../files/backtestConfig.js';
import { resultsJson } from '../render/backtestReport.js';
import type { Database } from '../store/database.js';
import * as t from '../store/schema.js';
import { runBacktest } from '../workers/backtestRun.js';
import { setupBacktest, type SetupRequest } from '../workers/backtestSetup.js';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface BacktestJobView {
  readonly id: string;
  readonly status: JobStatus;
  readonly progress: { readonly done: number; readonly total: number } | null;
  readonly error: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

export interface BacktestJobs {
  submit(tenant: TenantId, config: Record<string, unknown>): Promise<Result<BacktestJobView>>;
  get(tenant: TenantId, id: string): Promise<BacktestJobView | undefined>;
  /** The report of a done job; undefined when there is no such job, null while it is not done. */
  report(tenant: TenantId, id: string): Promise<unknown>;
  /** Resolves when the jobs queued so far are finished. */
  idle(): Promise<void>;
}

type Row = typeof t.backtestJobs.$inferSelect;
const view = (r: Row): BacktestJobView => ({
  id: r.id,
  status: r.status as JobStatus,
  progress: (r.progress as BacktestJobView['progress']) ?? null,
  error: r.error ?? null,
  createdAt: r.createdAt,
  finishedAt: r.finishedAt ?? null,
});

export function backtestJobs(database: Database, options: { readonly pricesDir: string | undefined; readonly workers: number }): BacktestJobs {
  const db = database.db;
  let tail: Promise<void> = Promise.resolve();
  const update = (tenant: string, id: string, set: Partial<typeof t.backtestJobs.$inferInsert>) =>
    db.update(t.backtestJobs).set(set).where(and(eq(t.backtestJobs.tenantId, tenant), eq(t.backtestJobs.id, id)));

  const work = async (tenant: string, id: string, config: unknown): Promise<void> => {
    const dir = mkdtempSync(join(tmpdir(), 'lotsmith-backtest-'));
    try {
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify(config));
      const request: SetupRequest = { pricesDir: options.pricesDir as string, configFile: file, overrides: {} };
      const setup = setupBacktest(request);
      if (!setup.ok) {
        await update(tenant, id, { status: 'failed', error: setup.issues.map((i) => i.message).join('; '), finishedAt: sql`now()` as unknown as string });
        return;
      }
      const total = setup.value.prepared.accounts.length;
      let done = 0;
      let saved = 0;
      await update(tenant, id, { status: 'running', progress: { done: 0, total } });
      const report = await runBacktest(setup.value, request, {
        workers: options.workers,
        config: 'submitted over the API',
        now: () => new Date(),
        progress: (n) => {
          done += n;
          if (done - saved >= Math.max(1, total / 20) || done === total) {
            saved = done;
            void update(tenant, id, { progress: { done, total } });
          }
        },
      });
      if (!report.ok) {
        await update(tenant, id, { status: 'failed', error: report.issues.map((i) => i.message).join('; '), finishedAt: sql`now()` as unknown as string });
        return;
      }
      await update(tenant, id, { status: 'done', progress: { done: total, total }, report: resultsJson(report.value), finishedAt: sql`now()` as unknown as string });
    } catch (err) {
      await update(tenant, id, { status: 'failed', error: err instanceof Error ? err.message : String(err), finishedAt: sql`now()` as unknown as string });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const enqueue = (tenant: string, id: string, config: unknown): void => {
    tail = tail.then(() => work(tenant, id, config));
  };

  // Jobs a stopped process left behind run again.
  const resumed = db
    .select()
    .from(t.backtestJobs)
    .where(inArray(t.backtestJobs.status, ['queued', 'running']))
    .then((rows) => {
      if (options.pricesDir === undefined) return;
      for (const r of rows) enqueue(r.tenantId, r.id, r.config);
    });
  tail = resumed.then(() => undefined, () => undefined);

  return {
    async submit(tenant, config) {
      if (options.pricesDir === undefined) {
        return { ok: false, issues: [issue('NO_CLOSES', 'the server has no price directory for backtests: start it with --prices DIR or $LOTSMITH_PRICES', { field: 'config' })] };
      }
      const decoded = decodeBacktestConfig(config, 'config');
      if (!decoded.ok) return { ok: false, issues: decoded.issues.map((i) => ({ ...i, at: { field: `config.${i.at.field ?? ''}`.replace(/\.$/, '') } })) };
      const id = randomUUID();
      const [row] = await db.insert(t.backtestJobs).values({ tenantId: tenant, id, status: 'queued', config }).returning();
      enqueue(tenant, id, config);
      return { ok: true, value: view(row as Row) };
    },
    async get(tenant, id) {
      const [row] = await db.select().from(t.backtestJobs).where(and(eq(t.backtestJobs.tenantId, tenant), eq(t.backtestJobs.id, id)));
      return row === undefined ? undefined : view(row);
    },
    async report(tenant, id) {
      const [row] = await db.select({ status: t.backtestJobs.status, report: t.backtestJobs.report }).from(t.backtestJobs).where(and(eq(t.backtestJobs.tenantId, tenant), eq(t.backtestJobs.id, id)));
      if (row === undefined) return undefined;
      return row.status === 'done' ? row.report : null;
    },
    idle: () => tail,
  };
}
