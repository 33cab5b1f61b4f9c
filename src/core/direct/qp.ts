/**
 * The quadratic program portfolio construction needs, and the port a solver implements (the
 * HiGHS adapter: src/adapters/solver/highsQp.ts). The core builds problems and reads answers; it
 * never solves one itself.
 *
 *   minimize   ½ xᵀ H x + cᵀx + offset
 *   subject to rowLower ≤ A x ≤ rowUpper,  lower ≤ x ≤ upper
 *
 * H is symmetric positive semidefinite, given by its lower triangle column by column.
 */
export interface QpProblem {
  readonly numVars: number;
  /** Lower triangle of H, CSC: column j holds rows index[start[j]..start[j+1]) (each ≥ j). */
  readonly hessian: { readonly start: Int32Array; readonly index: Int32Array; readonly value: Float64Array };
  readonly linear: Float64Array;
  readonly offset: number;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Constraint rows, CSR: row r holds columns index[start[r]..start[r+1]) with values. */
  readonly rows: { readonly start: Int32Array; readonly index: Int32Array; readonly value: Float64Array };
  readonly rowLower: Float64Array;
  readonly rowUpper: Float64Array;
}

export type QpResult =
  | { readonly status: 'optimal'; readonly x: Float64Array; readonly objective: number }
  | { readonly status: 'infeasible' }
  | { readonly status: 'failed'; readonly message: string };

export interface QpSolver {
  readonly name: string;
  solve(problem: QpProblem): QpResult;
}
