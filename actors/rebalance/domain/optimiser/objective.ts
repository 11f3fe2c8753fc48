// The one objective, defined once: unmet riders weighted, plus the cost of carrying bikes. A
// station after the moves serves min(bikes, pickups) riders wanting a bike and min(free docks,
// dropoffs) riders wanting a dock; the rest are unmet. Lower is better. Both policies, the
// optimiser's LP and `objective_delta_ratio` use this function.
import type { Move, RebalanceProblem } from './problem.js';

export interface ObjectiveBreakdown {
  unmet: number;
  bikeKm: number;
  total: number;
}

export function bikesAfter(problem: RebalanceProblem, moves: readonly Move[]): number[] {
  const bikes = problem.stations.map((s) => s.bikes);
  for (const m of moves) {
    bikes[m.from] -= m.bikes;
    bikes[m.to] += m.bikes;
  }
  return bikes;
}

export function unmetAt(capacity: number, bikes: number, pickups: number, dropoffs: number): number {
  return Math.max(0, pickups - bikes) + Math.max(0, dropoffs - (capacity - bikes));
}

export function objective(
  problem: RebalanceProblem,
  moves: readonly Move[],
  kmOf: (from: number, to: number) => number,
): ObjectiveBreakdown {
  const bikes = bikesAfter(problem, moves);
  let unmet = 0;
  problem.stations.forEach((s, i) => {
    if (bikes[i] < 0 || bikes[i] > s.capacity)
      throw new RangeError(`station ${i} would hold ${bikes[i]} bikes (capacity ${s.capacity})`);
    unmet += unmetAt(s.capacity, bikes[i], problem.demand.pickups[i], problem.demand.dropoffs[i]);
  });
  const bikeKm = moves.reduce((sum, m) => sum + m.bikes * kmOf(m.from, m.to), 0);
  return { unmet, bikeKm, total: problem.unmetWeight * unmet + problem.costPerBikeKm * bikeKm };
}

/** A lookup of arc lengths, for `objective`. */
export function arcKm(problem: RebalanceProblem): (from: number, to: number) => number {
  const km = new Map<number, number>();
  const n = problem.stations.length;
  for (const a of problem.arcs) km.set(a.from * n + a.to, a.km);
  return (from, to) => {
    const d = km.get(from * n + to);
    if (d === undefined) throw new RangeError(`no arc ${from} -> ${to}`);
    return d;
  };
}
