/**
 * A backtest worker thread: sets the backtest up from the same files as the main thread, simulates
 * its slice of the population, reports each account as it finishes (for the progress bar), and
 * sends the runs back. Messages: { kind: 'account', accountDays } ... then { kind: 'done', runs }
 * or { kind: 'failed', message }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { simulateSlice } from '../../core/backtest/backtest.js';
import { describeIssues, setupBacktest, type SetupRequest } from './backtestSetup.js';

export interface WorkerRequest extends SetupRequest {
  readonly from: number;
  readonly to: number;
}

const request = workerData as WorkerRequest;
const port = parentPort;
if (port === null) throw new Error('backtestWorker runs as a worker thread');
const setup = setupBacktest(request);
if (!setup.ok) port.postMessage({ kind: 'failed', message: describeIssues(setup.issues) });
else {
  const runs = simulateSlice(setup.value.prepared, request.from, request.to, (run) => {
    port.postMessage({ kind: 'account', accountDays: run.runs.reduce((s, r) => s + r.days + 1, 0) });
  });
  port.postMessage({ kind: 'done', runs });
}
