// The rebalancing optimiser (issue 19): greedy never worse than doing nothing, the global LP never
// worse than greedy and equal to the true optimum found by brute force on small cities, a solver
// past its budget falls back to greedy and says so, and the same problem gives the same moves.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { greedyMoves } from '../../actors/rebalance/domain/optimiser/greedy.js';
import { globalMoves } from '../../actors/rebalance/domain/optimiser/global-lp.js';
import { arcKm, objective } from '../../actors/rebalance/domain/optimiser/objective.js';
import { runPolicy } from '../../actors/rebalance/domain/optimiser/policies.js';
import type { Move, RebalanceProblem } from '../../actors/rebalance/domain/optimiser/problem.js';
import { syntheticProblem } from '../../actors/rebalance/domain/optimiser/synthetic-city.js';
import { nearestArcs } from '../../actors/rebalance/domain/optimiser/arcs.js';

const monotonic = () => performance.now();

/** Every integer plan with at most `maxPerArc` bikes per arc: the optimum by enumeration. */
function bruteForceOptimum(p: RebalanceProblem, maxPerArc: number): number {
  const km = arcKm(p);
  let best = Infinity;
  const flows = new Array<number>(p.arcs.length).fill(0);
  const visit = (a: number, used: number) => {
    if (a === p.arcs.length) {
      const moves: Move[] = p.arcs
        .map((arc, i) => ({ from: arc.from, to: arc.to, bikes: flows[i] }))
        .filter((m) => m.bikes > 0);
      const bikes = p.stations.map((s) => s.bikes);
      for (const m of moves) {
        bikes[m.from] -= m.bikes;
        bikes[m.to] += m.bikes;
      }
      if (bikes.every((b, i) => b >= 0 && b <= p.stations[i].capacity))
        best = Math.min(best, objective(p, moves, km).total);
      return;
    }
    for (let f = 0; f <= maxPerArc && used + f <= p.moveBudget; f++) {
      flows[a] = f;
      visit(a + 1, used + f);
    }
    flows[a] = 0;
  };
  visit(0, 0);
  return best;
}

function tinyCity(seed: number): RebalanceProblem {
  // Three stations, every pair an arc both ways; a few bikes and riders, so plans stay enumerable.
  let x = seed * 7919;
  const next = (n: number) => (x = (x * 1103515245 + 12345) % 2147483648) % n;
  const stations = [0, 1, 2].map((i) => {
    const capacity = 2 + next(4);
    return { x: i * 0.7 + next(3) * 0.1, y: next(5) * 0.3, capacity, bikes: next(capacity + 1) };
  });
  return {
    stations,
    demand: { pickups: stations.map(() => next(5)), dropoffs: stations.map(() => next(5)) },
    arcs: nearestArcs(stations, 2),
    moveBudget: 1 + next(5),
    unmetWeight: 3,
    costPerBikeKm: 1,
  };
}

test('on 40 small cities the global LP equals the optimum found by enumeration, and greedy is never better', async () => {
  for (let seed = 1; seed <= 40; seed++) {
    const p = tinyCity(seed);
    const km = arcKm(p);
    const optimum = bruteForceOptimum(p, 5);
    const lp = await globalMoves(p, 5000);
    assert.is(lp.status, 'optimal', `seed ${seed}`);
    if (lp.status !== 'optimal') return;
    assert.ok(
      Math.abs(objective(p, lp.moves, km).total - optimum) < 1e-9,
      `seed ${seed}: LP ${objective(p, lp.moves, km).total} vs optimum ${optimum}`,
    );
    const greedy = objective(p, greedyMoves(p), km).total;
    assert.ok(greedy >= optimum - 1e-9, `seed ${seed}: greedy ${greedy} below the optimum ${optimum}`);
  }
});

test('on synthetic cities greedy beats doing nothing and the global policy beats greedy, budget binding or not', async () => {
  for (const [seed, budget] of [
    [1, Infinity],
    [2, Infinity],
    [3, 60],
    [4, 60],
  ] as const) {
    const p = syntheticProblem({ stations: 300, seed, moveBudget: budget });
    const km = arcKm(p);
    const nothing = objective(p, [], km).total;
    const greedy = objective(p, greedyMoves(p), km).total;
    const global = await runPolicy('rebal.global.v1', p, 10_000, monotonic);
    assert.is(global.fallback, undefined);
    assert.ok(greedy < nothing, `seed ${seed}: greedy ${greedy} vs nothing ${nothing}`);
    assert.ok(
      global.objective.total <= greedy + 1e-9,
      `seed ${seed}: global ${global.objective.total} vs greedy ${greedy}`,
    );
    assert.ok(global.moves.reduce((s, m) => s + m.bikes, 0) <= p.moveBudget, 'within the move budget');
  }
});

test('a global solve past its time budget falls back to greedy and says why', async () => {
  const p = syntheticProblem({ stations: 3000, seed: 5, moveBudget: Infinity });
  const r = await runPolicy('rebal.global.v1', p, 1, monotonic);
  assert.equal(r.fallback?.cause, 'timeout');
  assert.match(r.fallback!.reason, /HiGHS stopped at its 1 ms budget/);
  assert.equal(r.moves, greedyMoves(p), 'the greedy plan is served');
});

test('the same problem gives the same arcs and the same moves', async () => {
  const a = syntheticProblem({ stations: 500, seed: 9, moveBudget: 100 });
  const b = syntheticProblem({ stations: 500, seed: 9, moveBudget: 100 });
  assert.equal(a.arcs, b.arcs);
  assert.equal(greedyMoves(a), greedyMoves(b));
  const [x, y] = [await globalMoves(a, 10_000), await globalMoves(b, 10_000)];
  assert.equal(x, y);
});

test.run();
