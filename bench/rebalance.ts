// Bench 10: rebalancing policies. For synthetic cities of 100, 1,000, 2,000 and 5,000 stations
// (8 nearest neighbours each way, a morning-rush bucket), seeds 1..SEEDS, with the move budget
// not binding (trucks could move every bike) and binding (a fifth of the stations' worth of bikes):
// solve time p50/p95 of greedy (the baseline) and of the global LP (HiGHS), and the objective
// (objective.ts) of greedy over the global optimum. Goal: global solves 2,000 stations under 1 s p95.
import { highs } from '../actors/rebalance/domain/optimiser/global-lp.js';
import { runPolicy } from '../actors/rebalance/domain/optimiser/policies.js';
import { syntheticProblem } from '../actors/rebalance/domain/optimiser/synthetic-city.js';
import { percentileOf, printTable } from './harness.js';

const SEEDS = Number(process.env.BENCH_SEEDS ?? 7);
const now = () => performance.now();

await highs(); // load the WebAssembly module before the clock starts
await runPolicy('rebal.global.v1', syntheticProblem({ stations: 300, seed: 0, moveBudget: Infinity }), 10_000, now); // and warm it
const rows: Record<string, string>[] = [];
for (const stations of [100, 1000, 2000, 5000]) {
  for (const binding of [false, true]) {
    const greedyMs: number[] = [];
    const globalMs: number[] = [];
    const gaps: number[] = [];
    let fallbacks = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const problem = syntheticProblem({ stations, seed, moveBudget: binding ? stations / 5 : Infinity });
      const greedy = await runPolicy('rebal.greedy.v1', problem, 0, now);
      const global = await runPolicy('rebal.global.v1', problem, 10_000, now);
      if (global.fallback) fallbacks++;
      greedyMs.push(greedy.solveMs);
      globalMs.push(global.solveMs);
      gaps.push(greedy.objective.total / global.objective.total - 1);
    }
    rows.push({
      stations: String(stations),
      'move budget': binding ? `${stations / 5} bikes (binds)` : 'every bike (does not bind)',
      'greedy ms p50 / p95 (baseline)': `${percentileOf(greedyMs, 50).toFixed(1)} / ${percentileOf(greedyMs, 95).toFixed(1)}`,
      'global ms p50 / p95': `${percentileOf(globalMs, 50).toFixed(0)} / ${percentileOf(globalMs, 95).toFixed(0)}`,
      'time ratio p50': (percentileOf(globalMs, 50) / percentileOf(greedyMs, 50)).toFixed(0),
      'greedy above optimum, min-max': `${(Math.min(...gaps) * 100).toFixed(2)}-${(Math.max(...gaps) * 100).toFixed(2)}%`,
      fallbacks: String(fallbacks),
    });
  }
}
printTable(`Bench 10: rebalancing, greedy vs the global LP (HiGHS), seeds 1..${SEEDS} per row`, rows);
