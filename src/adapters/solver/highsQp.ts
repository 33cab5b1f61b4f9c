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

export async function loadQpSolver(): Promise<QpSolver> {
  loaded ??= loadHighs();
  const highs = await loaded;
  return { name: `HiGHS ${highs.version.major}.${highs.version.minor}.${highs.version.patch}`, solve: (p) => solveWith(highs, p) };
}

function finite(values: Float64Array, infinity: number): Float64Array {
  return values.map((v) => (v === Infinity ? infinity : v === -Infinity ? -infinity : v));
}

function solveWith(highs: Highs, p: QpProblem): QpResult {
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
    model.options.set({ output_flag: false, time_limit: 2 });
    model.run();
    const status = model.getModelStatus();
    const codes = highs.constants.modelStatus;
    if (status === codes.optimal) return { status: 'optimal', x: Float64Array.from(model.getSolution().colValue), objective: model.getObjectiveValue() };
    if (status === codes.infeasible || status === codes.unboundedOrInfeasible) return { status: 'infeasible' };
    return { status: 'failed', message: `HiGHS ended with model status ${status}` };
  } finally {
    model.dispose();
  }
}
