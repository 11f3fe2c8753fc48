// A seeded synthetic city with a believable day: homes at the edges, work in the centre, a
// morning rush inwards and an evening rush outwards on weekdays, a flatter leisure day at
// weekends, quiet nights. Same seed and size, same city.
import { streamRng } from '../../../../runtime/sdk.js';
import { PROFILE_HOURS, type City, type CityStation } from './city.js';

export interface SyntheticCityShape {
  stations: number;
  seed: number;
  /** Side of the square city in km (default: about 0.4 km per station spacing). */
  sizeKm?: number;
  /** Mean riders per hour per station at the busiest hours (default 4). */
  ridersPerHour?: number;
}

/** How busy an hour is for riders leaving (`out`) a home-like (`centrality` 0) or work-like (1) station. */
function shape(hour: number, centrality: number, out: boolean): number {
  const weekend = hour >= 24;
  const h = hour % 24;
  if (h < 6) return 0.08;
  if (weekend) return h >= 10 && h < 19 ? 0.55 : 0.2;
  const towardsWork = out ? 1 - centrality : centrality;
  if (h === 7 || h === 8) return 0.25 + towardsWork;
  if (h === 17 || h === 18) return 0.25 + (1 - towardsWork);
  return h < 22 ? 0.35 : 0.15;
}

export function syntheticCity(shape_: SyntheticCityShape): City {
  const rng = streamRng(shape_.seed, 1);
  const size = shape_.sizeKm ?? Math.sqrt(shape_.stations) * 0.4;
  const peak = shape_.ridersPerHour ?? 4;
  const stations: CityStation[] = [];
  for (let i = 0; i < shape_.stations; i++) {
    const x = Math.round(rng.float() * size * 1000) / 1000;
    const y = Math.round(rng.float() * size * 1000) / 1000;
    const capacity = rng.int(12, 40);
    const centrality = 1 - Math.min(1, Math.hypot(x - size / 2, y - size / 2) / (size / 2));
    const busy = (0.5 + rng.float()) * peak;
    const pickupsPerHour: number[] = [];
    const dropoffsPerHour: number[] = [];
    for (let h = 0; h < PROFILE_HOURS; h++) {
      pickupsPerHour.push(Math.round(busy * shape(h, centrality, true) * 100) / 100);
      dropoffsPerHour.push(Math.round(busy * shape(h, centrality, false) * 100) / 100);
    }
    stations.push({
      id: `S${i}`,
      name: `Station ${i}`,
      x,
      y,
      capacity,
      bikes: Math.round(capacity / 2),
      pickupsPerHour,
      dropoffsPerHour,
    });
  }
  return {
    systemId: 'synthetic',
    name: `synthetic city of ${shape_.stations} stations (seed ${shape_.seed})`,
    stations,
  };
}
