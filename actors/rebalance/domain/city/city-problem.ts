// A rebalancing decision (optimiser/problem.ts) from a city: some of its stations at their levels
// in a snapshot, the riders the city's profile expects over the planning horizon, the trucks'
// budget. The simulation asks it per district; the policy API for a whole system.
import type { Arc, RebalanceProblem } from '../optimiser/problem.js';
import { profileHour, type City } from './city.js';

export interface PlanningTerms {
  horizonMin: number;
  moveBudget: number;
  unmetWeight: number;
  costPerBikeKm: number;
}

/** Expected riders at a station over [fromMs, fromMs + horizon) of the city's clock, quarter-hour by quarter-hour. */
function expected(perHour: readonly number[], fromMs: number, horizonMin: number): number {
  let sum = 0;
  for (let m = 0; m < horizonMin; m += 15)
    sum += (perHour[profileHour(fromMs + m * 60_000)] * Math.min(15, horizonMin - m)) / 60;
  return Math.round(sum);
}

/**
 * `members` are city station indices; the problem's stations are numbered as they appear there,
 * and `arcs` use those numbers. `levels` holds bikes by city station index.
 */
export function cityProblem(
  city: City,
  members: readonly number[],
  arcs: readonly Arc[],
  levels: readonly number[],
  clockMs: number,
  terms: PlanningTerms,
): RebalanceProblem {
  return {
    stations: members.map((i) => ({
      x: city.stations[i].x,
      y: city.stations[i].y,
      capacity: city.stations[i].capacity,
      bikes: levels[i],
    })),
    demand: {
      pickups: members.map((i) => expected(city.stations[i].pickupsPerHour, clockMs, terms.horizonMin)),
      dropoffs: members.map((i) => expected(city.stations[i].dropoffsPerHour, clockMs, terms.horizonMin)),
    },
    arcs,
    moveBudget: terms.moveBudget,
    unmetWeight: terms.unmetWeight,
    costPerBikeKm: terms.costPerBikeKm,
  };
}

/** The city's clock for a wall-clock instant: profile time 0 is a Monday 00:00 UTC; the epoch began on a Thursday. */
export function cityClockOfEpochMs(epochMs: number): number {
  return epochMs + 3 * 86_400_000;
}
