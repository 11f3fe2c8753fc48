// rebal.global.v1: the bucket's moves as one exact optimisation, a transportation LP over the
// candidate arcs solved by HiGHS (WebAssembly). Columns: the bikes carried on each arc, and each
// station's unmet pickups (u) and unmet dropoffs (v). Rows per station: u >= pickups - bikes',
// v >= dropoffs - free docks', 0 <= bikes' <= capacity (bikes' = bikes + in - out); one row for
// the move budget. Minimises the objective of objective.ts exactly. Integral data gives integral
// optima almost always; when the LP's answer is fractional, it is re-solved with integer flows.
// Past its time budget HiGHS stops and the caller gets `timeout`, not a partial answer.
import highsImport, { type Highs } from 'highs';
import type { Move, RebalanceProblem } from './problem.js';

export type GlobalResult =
  | { status: 'optimal'; moves: Move[]; objective: number; integral: boolean }
  | { status: 'timeout' | 'error'; reason: string };

// The package is CommonJS typed as an ES module: Node's import gives the loader itself, the types
// describe it as `.default`. Take whichever is there.
type Loader = () => Promise<Highs>;
const highsLoader = ((highsImport as unknown as { default?: Loader }).default ?? highsImport) as unknown as Loader;

let loading: Promise<Highs> | undefined;
/** The WebAssembly solver, loaded once per thread. */
export function highs(): Promise<Highs> {
  return (loading ??= highsLoader());
}

const EPS = 1e-6;

export async function globalMoves(problem: RebalanceProblem, timeBudgetMs: number): Promise<GlobalResult> {
  const solver = await highs();
  const model = buildModel(problem, solver.infinity);
  const first = solveWith(solver, model, timeBudgetMs, false);
  if (first.status !== 'optimal') return first;
  if (first.integral) return first;
  return solveWith(solver, model, timeBudgetMs, true);
}

interface LpModel {
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  arcs: RebalanceProblem['arcs'];
}

function buildModel(p: RebalanceProblem, inf: number): LpModel {
  const n = p.stations.length;
  const A = p.arcs.length;
  const numCols = A + 2 * n;
  const numRows = 3 * n + 1;
  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols).fill(inf);
  const rowLower = new Float64Array(numRows);
  const rowUpper = new Float64Array(numRows);
  p.stations.forEach((s, i) => {
    const pick = p.demand.pickups[i];
    const drop = p.demand.dropoffs[i];
    rowLower[i] = pick - s.bikes; // u + in - out >= pickups - bikes
    rowUpper[i] = inf;
    rowLower[n + i] = drop - s.capacity + s.bikes; // v - in + out >= dropoffs - (capacity - bikes)
    rowUpper[n + i] = inf;
    rowLower[2 * n + i] = -s.bikes; // -bikes <= in - out <= capacity - bikes
    rowUpper[2 * n + i] = s.capacity - s.bikes;
  });
  rowLower[3 * n] = -inf;
  rowUpper[3 * n] = p.moveBudget;
  // CSC: 7 entries per arc column, 1 per u or v column, row indices ascending within a column.
  const nnz = 7 * A + 2 * n;
  const starts = new Int32Array(numCols + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  const put = (row: number, value: number) => {
    indices[k] = row;
    values[k++] = value;
  };
  p.arcs.forEach((arc, a) => {
    starts[a] = k;
    colCost[a] = p.costPerBikeKm * arc.km;
    colUpper[a] = p.stations[arc.from].bikes;
    const [lo, hi] = arc.from < arc.to ? [arc.from, arc.to] : [arc.to, arc.from];
    const sign = (station: number) => (station === arc.to ? 1 : -1); // +1 where bikes arrive
    for (const block of [0, n, 2 * n]) {
      for (const station of [lo, hi]) put(block + station, block === n ? -sign(station) : sign(station));
    }
    put(3 * n, 1);
  });
  for (let i = 0; i < n; i++) {
    starts[A + i] = k;
    colCost[A + i] = p.unmetWeight;
    put(i, 1);
  }
  for (let i = 0; i < n; i++) {
    starts[A + n + i] = k;
    colCost[A + n + i] = p.unmetWeight;
    put(n + i, 1);
  }
  starts[numCols] = k;
  return { numCols, numRows, colCost, colLower, colUpper, rowLower, rowUpper, starts, indices, values, arcs: p.arcs };
}

function solveWith(solver: Highs, m: LpModel, timeBudgetMs: number, integerFlows: boolean): GlobalResult {
  const model = solver.createModel();
  try {
    model.options.set({ time_limit: timeBudgetMs / 1000, output_flag: false });
    model.passModel({
      numCols: m.numCols,
      numRows: m.numRows,
      colCost: m.colCost,
      colLower: m.colLower,
      colUpper: m.colUpper,
      rowLower: m.rowLower,
      rowUpper: m.rowUpper,
      matrix: {
        format: 'csc',
        numRows: m.numRows,
        numCols: m.numCols,
        starts: m.starts,
        indices: m.indices,
        values: m.values,
      },
      ...(integerFlows
        ? { integrality: Int32Array.from({ length: m.numCols }, (_, j) => (j < m.arcs.length ? 1 : 0)) }
        : {}),
    });
    const run = model.run();
    if (run.modelStatus === solver.constants.modelStatus.timeLimit)
      return { status: 'timeout', reason: `HiGHS stopped at its ${timeBudgetMs} ms budget` };
    if (run.modelStatus !== solver.constants.modelStatus.optimal)
      return { status: 'error', reason: `HiGHS model status ${run.modelStatus}` };
    const x = model.getSolution().colValue;
    const moves: Move[] = [];
    let integral = true;
    m.arcs.forEach((arc, a) => {
      const bikes = Math.round(x[a]);
      if (Math.abs(x[a] - bikes) > EPS) integral = false;
      if (bikes > 0) moves.push({ from: arc.from, to: arc.to, bikes });
    });
    return { status: 'optimal', moves, objective: model.getObjectiveValue(), integral };
  } catch (err) {
    return { status: 'error', reason: (err as Error).message };
  } finally {
    model.dispose();
  }
}
