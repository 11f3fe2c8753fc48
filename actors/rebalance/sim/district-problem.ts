// One district's decision at the start of a bucket: its stations as the dispatcher's snapshot saw
// them, the riders the city's profile expects over the planning horizon, its trucks' budget.
import type { RebalanceProblem } from '../optimiser/problem.js';
import { profileHour } from '../city/city.js';
import type { CityModel } from '../city/city-model.js';

export interface PlanningTerms {
  horizonMin: number;
  moveBudget: number;
  unmetWeight: number;
  costPerBikeKm: number;
}

/** Expected riders at a station over [from, from + horizon), hour by hour of the profile. */
function expected(perHour: readonly number[], fromMs: number, horizonMin: number): number {
  let sum = 0;
  for (let m = 0; m < horizonMin; m += 15) sum += (perHour[profileHour(fromMs + m * 60_000)] * Math.min(15, horizonMin - m)) / 60;
  return Math.round(sum);
}

export function districtProblem(city: CityModel, district: number, levels: readonly number[], atMs: number, terms: PlanningTerms): RebalanceProblem {
  const members = city.districts[district];
  const stations = members.map((i) => ({ x: city.city.stations[i].x, y: city.city.stations[i].y, capacity: city.city.stations[i].capacity, bikes: levels[i] }));
  return {
    stations,
    demand: {
      pickups: members.map((i) => expected(city.city.stations[i].pickupsPerHour, atMs, terms.horizonMin)),
      dropoffs: members.map((i) => expected(city.city.stations[i].dropoffsPerHour, atMs, terms.horizonMin)),
    },
    arcs: city.districtArcs[district],
    moveBudget: terms.moveBudget,
    unmetWeight: terms.unmetWeight,
    costPerBikeKm: terms.costPerBikeKm,
  };
}
