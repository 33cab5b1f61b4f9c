/**
 * Where the harvest rule settles a lot without evaluating it: per cell of a stopping table's
 * lattice (x = ln(value / basis) in an eighth of the step between two nodes), whether every lot
 * in it is harvested, every lot waits, or the rule must be evaluated — for one lock layer, rate ratio ρ, spread κ and
 * required net ε, with zero commissions. The test is the rule's own (`marginRate`, rule.ts); the
 * scan looks a candidate's cell up instead of interpolating the table. It looks it up by
 * value / basis, without a logarithm: `ratioCells` carries the cells over to equal steps of that
 * ratio, a step settled only when every cell it overlaps is settled alike.
 *
 * On each cell the table's waiting value is linear, so on each side of the kink where it crosses
 * the fresh lot's value the margin is ρe^{-x} minus a linear function: convex, with its maximum at
 * an end of the piece and its minimum at an end or where ρe^{-x} equals the slope removed. A cell
 * is "harvest" when that minimum is positive and "wait" when that maximum is not. Beyond the
 * grid's deep end the waiting value is flat and the margin grows as x falls, so lots there are
 * harvested when the margin at the end is positive and evaluated otherwise.
 */
import { marginRate } from '../rule.js';
import type { StoppingTable } from '../stopping/opportunityCost.js';

export const CELL = { evaluate: 0, harvest: 1, wait: 2 } as const;

/**
 * Cells per lattice step: the rule is evaluated only for lots in the cell where its verdict
 * changes, so finer cells leave fewer lots to evaluate (a row stays a few hundred bytes).
 */
export const CELLS_PER_STEP = 8;

/** Cells of the losses of a table (x < 0) plus the one beyond its deep end. */
export function cellCount(t: StoppingTable): number {
  return Math.min(t.nodes - 1, Math.round(-t.x0 / t.dx)) * CELLS_PER_STEP + 1;
}

/** The width of a cell in x. */
export function cellWidth(t: StoppingTable): number {
  return t.dx / CELLS_PER_STEP;
}

/**
 * The verdict of every loss cell: [0] for x below the grid, [1 + c] for x in
 * [x0 + c w, x0 + (c + 1) w), w = `cellWidth`. A lot's cell is `cellOf`.
 */
export function decisionCells(t: StoppingTable, layerIndex: number, rho: number, kappa: number, epsilon: number): Int8Array {
  const base = layerIndex * t.nodes;
  const fresh = t.freshAfterHarvest[layerIndex] as number;
  const margin = (x: number, w: number): number => marginRate(rho, x, kappa, w > fresh ? w - fresh : 0, epsilon);
  const cells = new Int8Array(cellCount(t));
  const width = cellWidth(t);
  for (let c = 0; c + 1 < cells.length; c++) {
    // The waiting value is linear on the lattice step the cell lies in.
    const i = Math.floor(c / CELLS_PER_STEP);
    const xi = t.x0 + i * t.dx;
    const w0 = t.wait[base + i] as number;
    const slope = ((t.wait[base + i + 1] as number) - w0) / t.dx;
    const a0 = t.x0 + c * width;
    const a1 = c % CELLS_PER_STEP === CELLS_PER_STEP - 1 ? t.x0 + (i + 1) * t.dx : a0 + width;
    const waitAt = (x: number): number => w0 + slope * (x - xi);
    const at = (x: number): number => margin(x, waitAt(x));
    const pieces: [number, number, number][] = [];
    const kink = slope !== 0 ? xi + (fresh - w0) / slope : NaN;
    if (kink > a0 && kink < a1) pieces.push([a0, kink, waitAt(a0) > fresh ? slope : 0], [kink, a1, waitAt(a1) > fresh ? slope : 0]);
    else pieces.push([a0, a1, (waitAt(a0) + waitAt(a1)) / 2 > fresh ? slope : 0]);
    let lo = Infinity;
    let hi = -Infinity;
    for (const [a, b, s] of pieces) {
      for (const x of [a, b]) {
        const v = at(x);
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      if (s < 0) {
        const xm = -Math.log(-s / rho);
        if (xm > a && xm < b) lo = Math.min(lo, at(xm));
      }
    }
    cells[c + 1] = lo > 0 ? CELL.harvest : hi <= 0 ? CELL.wait : CELL.evaluate;
  }
  cells[0] = margin(t.x0, t.wait[base] as number) > 0 ? CELL.harvest : CELL.evaluate;
  return cells;
}

/** The index into `decisionCells` of a lot at x (x < 0); clamped to the last cell. */
export function cellOf(x: number, x0: number, inverseWidth: number, count: number): number {
  const pos = (x - x0) * inverseWidth;
  if (!(pos >= 0)) return 0;
  const c = Math.floor(pos) + 1;
  return c < count ? c : count - 1;
}

/**
 * Runs a row keeps: harvest, evaluate, wait for most, and up to six where a long-term lot's rate
 * ratio is rounded on the table's grid (deep losses wait there, shallower ones are harvested).
 */
export const SEGMENTS = 6;

/**
 * `decisionCells` as at most `SEGMENTS` runs of value / basis, for a lookup without a logarithm
 * or a large table: segment j holds ratios below `bounds[j]` (and at or above `bounds[j - 1]`),
 * the last one everything above; `codes[j]` is its verdict. Runs beyond the limit are given up to
 * "evaluate", the narrowest first. The margin is continuous in x, so a harvest run and a wait run
 * never touch: a lot within rounding of a run's edge is in an "evaluate" run or in the settled
 * run whose closed interval the analysis covered.
 */
export function segments(t: StoppingTable, cells: Int8Array): { readonly bounds: Float64Array; readonly codes: Int8Array } {
  const edge = (c: number): number => (c === 0 ? Math.exp(t.x0) : Math.exp(t.x0 + c * cellWidth(t)));
  // Runs of equal verdicts, each with the ratio its last cell ends at.
  let runs: { code: number; upper: number }[] = [];
  for (let c = 0; c < cells.length; c++) {
    const code = cells[c] as number;
    const upper = c === cells.length - 1 ? Infinity : edge(c);
    const last = runs[runs.length - 1];
    if (last !== undefined && last.code === code) last.upper = upper;
    else runs.push({ code, upper });
  }
  while (runs.length > SEGMENTS) {
    let narrowest = -1;
    let span = Infinity;
    runs.forEach((r, i) => {
      const width = r.upper - (i === 0 ? 0 : (runs[i - 1] as { upper: number }).upper);
      if (r.code !== CELL.evaluate && width < span) {
        span = width;
        narrowest = i;
      }
    });
    (runs[narrowest] as { code: number }).code = CELL.evaluate;
    runs = runs.filter((r, i) => {
      const next = runs[i + 1];
      if (next !== undefined && next.code === r.code) return false;
      return true;
    });
  }
  const bounds = new Float64Array(SEGMENTS - 1).fill(Infinity);
  const codes = new Int8Array(SEGMENTS);
  runs.forEach((r, i) => {
    if (i < SEGMENTS - 1) bounds[i] = r.upper;
  });
  for (let j = 0; j < SEGMENTS; j++) codes[j] = (runs[Math.min(j, runs.length - 1)] as { code: number }).code;
  return { bounds, codes };
}
