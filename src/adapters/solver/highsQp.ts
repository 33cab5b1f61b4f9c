/**
 * The QP port (src/core/direct/qp.ts) on HiGHS (the `highs` npm package: the HiGHS solver of the
 * University of Edinburgh compiled to WebAssembly; convex QP by its active-set method). Loading
 * the WebAssembly module is asynchronous and done once; each solve is synchronous and disposes its
 * native model.
 */
import { createRequire } from 'node:module';
import type { Highs } from 'highs';
import type { QpProblem, QpResult, QpSolver } from '../../core/direct/qp.js';

// highs is a CommonJS module whose typings declare an ES default export: required directly, the
// loader is module.exports itself under both Node and the test runner.
const loadHighs = createRequire(import.meta.url)('highs') as () => Promise<Highs>;

let loaded: Promise<Highs> | undefined;

/**
 * `timeLimitSeconds` bounds one solve: HiGHS 1.15's active-set QP occasionally cycles on a
 * degenerate placement problem (seen on days of the 2020 crash); a solve stopped by the limit, or
 * one HiGHS ends with an error, is reported as failed and the caller skips that harvest or purchase for the day.
 */
export async function loadQpSolver(options: { timeLimitSeconds?: number } = {}): Promise<QpSolver> {
  loaded ??= loadHighs();
  const highs = await loaded;
  const limit = options.timeLimitSeconds ?? 60;
  return { name: `HiGHS ${highs.version.major}.${highs.version.minor}.${highs.version.patch}`, solve: (p) => solveWith(highs, p, limit) };
}

function finite(values: Float64Array, infinity: number): Float64Array {
  return values.map((v) => (v === Infinity ? infinity : v === -Infinity ? -infinity : v));
}

function solveWith(highs: Highs, p: QpProblem, timeLimit: number): QpResult {
  const n = p.numVars;
  const model = highs.createModel({
    numCols: n,
    numRows: p.rowLower.length,
    offset: p.offset,
    colCost: p.linear,
    colLower: finite(p.lower, highs.infinity),
    colUpper: finite(p.upper, highs.infinity),
    rowLower: finite(p.rowLower, highs.infinity),
    rowUpper: finite(p.rowUpper, highs.infinity),
    matrix: { format: 'csr', numRows: p.rowLower.length, numCols: n, starts: p.rows.start, indices: p.rows.index, values: p.rows.value },
    hessian: { format: 'triangular', dimension: n, starts: p.hessian.start, indices: p.hessian.index, values: p.hessian.value },
  });
  try {
    model.options.set({ output_flag: false, time_limit: timeLimit });
    // HiGHS reports some numerical breakdowns of its QP solver (run status -1) by throwing; like a
    // stopped solve, that day's placement is skipped with a note rather than failing the household.
    try {
      model.run();
    } catch (err) {
      return { status: 'failed', message: `HiGHS failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    const status = model.getModelStatus();
    const codes = highs.constants.modelStatus;
    if (status === codes.optimal) return { status: 'optimal', x: Float64Array.from(model.getSolution().colValue), objective: model.getObjectiveValue() };
    if (status === codes.infeasible || status === codes.unboundedOrInfeasible) return { status: 'infeasible' };
    return { status: 'failed', message: status === codes.timeLimit ? `HiGHS stopped at its ${timeLimit} s time limit` : `HiGHS ended with model status ${status}` };
  } finally {
    model.dispose();
  }
}
