// The city split into districts, each rebalanced by its own truck crew with its own policy run:
// a square grid over the stations' bounding box. Per district the decision stays small enough to
// solve every bucket, and a window of buckets holds enough policy runs for the rollout gates.
import type { CityStation } from './city.js';

/**
 * Global station indices per district, in index order; districts with fewer than 2 stations are left out (nothing to
 * move).
 */
export function gridDistricts(stations: readonly Pick<CityStation, 'x' | 'y'>[], side: number): number[][] {
  const xs = stations.map((s) => s.x);
  const ys = stations.map((s) => s.y);
  const [minX, minY] = [Math.min(...xs), Math.min(...ys)];
  const w = Math.max(Math.max(...xs) - minX, 1e-9) / side;
  const h = Math.max(Math.max(...ys) - minY, 1e-9) / side;
  const cells: number[][] = Array.from({ length: side * side }, () => []);
  stations.forEach((s, i) => {
    const cx = Math.min(side - 1, Math.floor((s.x - minX) / w));
    const cy = Math.min(side - 1, Math.floor((s.y - minY) / h));
    cells[cy * side + cx].push(i);
  });
  return cells.filter((c) => c.length >= 2);
}
