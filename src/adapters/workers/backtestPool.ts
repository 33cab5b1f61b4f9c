/**
 * Runs a prepared backtest's population across worker threads (contiguous slices, one per
 * worker) or, with one worker, in this thread; reports progress per finished account. The runs
 * come back in population order, so the results do not depend on the number of workers.
 */
import { Worker } from 'node:worker_threads';
import type { AccountRun } from '../../core/backtest/simulation.js';
import { simulateSlice } from '../../core/backtest/backtest.js';
import type { Setup, SetupRequest } from './backtestSetup.js';
import type { WorkerRequest } from './backtestWorker.js';

export type Progress = (accounts: number, accountDays: number) => void;

type Message = { kind: 'account'; accountDays: number } | { kind: 'done'; runs: AccountRun[] } | { kind: 'failed'; message: string };

const WORKER = new URL('./backtestWorker.js', import.meta.url);

export async function runPopulation(setup: Setup, request: SetupRequest, workers: number, progress: Progress): Promise<AccountRun[]> {
  const total = setup.prepared.accounts.length;
  const n = Math.max(1, Math.min(workers, total));
  if (n === 1) return simulateSlice(setup.prepared, 0, total, (run) => progress(1, run.runs.reduce((s, r) => s + r.days + 1, 0)));
  const size = Math.ceil(total / n);
  const slices = Array.from({ length: n }, (_, k) => [k * size, Math.min(total, (k + 1) * size)] as const).filter(([a, b]) => a < b);
  const parts = await Promise.all(slices.map(([from, to]) => runWorker({ ...request, from, to }, progress)));
  return parts.flat();
}

function runWorker(request: WorkerRequest, progress: Progress): Promise<AccountRun[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: request });
    worker.on('message', (m: Message) => {
      if (m.kind === 'account') progress(1, m.accountDays);
      else if (m.kind === 'done') {
        resolve(m.runs);
        void worker.terminate();
      } else {
        reject(new Error(m.message));
        void worker.terminate();
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`backtest worker stopped with exit code ${code}`));
    });
  });
}
