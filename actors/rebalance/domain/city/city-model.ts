// What a worker derives from a city once and shares between its actors: districts with their
// truck arcs, each rider's destination table per profile hour, travel times. Pure functions of
// the city, so every worker derives the same.
import { nearestArcs } from '../optimiser/arcs.js';
import type { Arc } from '../optimiser/problem.js';
import type { City } from './city.js';
import { gridDistricts } from './districts.js';

/** Riders ride at 12 km/h, trucks drive at 20 km/h; neither takes less than 2 minutes. */
const RIDER_KMH = 12;
const TRUCK_KMH = 20;
const MIN_TRAVEL_MS = 120_000;

export class CityModel {
  readonly districts: number[][];
  /** Arcs per district, over its local station indices. */
  readonly districtArcs: Arc[][];
  private readonly destinations = new Map<number, Float64Array>();

  constructor(
    readonly city: City,
    districtSide: number,
  ) {
    this.districts = gridDistricts(city.stations, districtSide);
    this.districtArcs = this.districts.map((members) =>
      nearestArcs(
        members.map((i) => city.stations[i]),
        6,
      ),
    );
  }

  get size(): number {
    return this.city.stations.length;
  }

  km(a: number, b: number): number {
    const [s, t] = [this.city.stations[a], this.city.stations[b]];
    return Math.hypot(s.x - t.x, s.y - t.y);
  }

  rideMs(a: number, b: number): number {
    return Math.max(MIN_TRAVEL_MS, Math.round((this.km(a, b) / RIDER_KMH) * 3_600_000));
  }

  truckMs(a: number, b: number): number {
    return Math.max(MIN_TRAVEL_MS, Math.round((this.km(a, b) / TRUCK_KMH) * 3_600_000));
  }

  /**
   * Where a rider leaving at profile hour `hour` goes, for a uniform draw `u` in [0, 1): by the stations' dropoff
   * rates.
   */
  destination(hour: number, u: number): number {
    let cumulative = this.destinations.get(hour);
    if (!cumulative) {
      cumulative = new Float64Array(this.size);
      let sum = 0;
      this.city.stations.forEach((s, i) => (cumulative![i] = sum += s.dropoffsPerHour[hour] + 1e-6));
      this.destinations.set(hour, cumulative);
    }
    const target = u * cumulative[cumulative.length - 1];
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    // May be `from` itself: a round trip.
    return lo;
  }
}
