// A seeded synthetic city for tests and benchmarks: stations scattered around a few hot spots on
// a square of `sizeKm`, a rush-hour bucket where residential stations lose bikes and the centre
// fills up, so rebalancing has real work. Same seed, same city.
import { streamRng } from '../../../../runtime/sdk.js';
import { nearestArcs } from './arcs.js';
import type { RebalanceProblem, Station } from './problem.js';

export interface CityShape {
  stations: number;
  seed: number;
  /** Bikes the trucks may move in the bucket; `Infinity` for no binding budget. */
  moveBudget: number;
  neighbours?: number;
  sizeKm?: number;
}

export function syntheticProblem(shape: CityShape): RebalanceProblem {
  const rng = streamRng(shape.seed, 0);
  const size = shape.sizeKm ?? Math.sqrt(shape.stations) * 0.4;
  const centre = { x: size / 2, y: size / 2 };
  const stations: Station[] = [];
  const pickups: number[] = [];
  const dropoffs: number[] = [];
  for (let i = 0; i < shape.stations; i++) {
    const x = rng.float() * size;
    const y = rng.float() * size;
    const capacity = rng.int(10, 40);
    const bikes = rng.int(0, capacity);
    // Morning rush: riders leave the edges for the centre.
    const central = 1 - Math.min(1, Math.hypot(x - centre.x, y - centre.y) / (size / 2));
    pickups.push(Math.round(rng.int(0, 12) * (1 - central)));
    dropoffs.push(Math.round(rng.int(0, 12) * central));
    stations.push({ x, y, capacity, bikes });
  }
  return {
    stations,
    demand: { pickups, dropoffs },
    arcs: nearestArcs(stations, shape.neighbours ?? 8),
    moveBudget: Number.isFinite(shape.moveBudget) ? shape.moveBudget : stations.reduce((s, x) => s + x.bikes, 0),
    unmetWeight: 10,
    costPerBikeKm: 1,
  };
}
