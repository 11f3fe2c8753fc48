// Where trucks may carry bikes: from each station to its k nearest stations (both ways). The
// decision is made over these arcs by both policies, so the LP stays linear in the city's size
// (k arcs per station, not n) and "optimal" means optimal over the same choices greedy has.
// Nearest by a uniform grid, so building the arcs is O(n k), not O(n^2).
import type { Arc, Station } from './problem.js';

export function nearestArcs(stations: readonly Station[], k: number): Arc[] {
  const n = stations.length;
  if (n < 2) return [];
  const xs = stations.map((s) => s.x);
  const ys = stations.map((s) => s.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // About 2 stations per cell.
  const side = Math.max(1, Math.ceil(Math.sqrt(n / 2)));
  const cellW = Math.max((maxX - minX) / side, 1e-9);
  const cellH = Math.max((maxY - minY) / side, 1e-9);
  const cellOf = (x: number, y: number) => [
    Math.min(side - 1, Math.floor((x - minX) / cellW)),
    Math.min(side - 1, Math.floor((y - minY) / cellH)),
  ];
  const grid = new Map<number, number[]>();
  stations.forEach((s, i) => {
    const [cx, cy] = cellOf(s.x, s.y);
    const key = cx * side + cy;
    (grid.get(key) ?? grid.set(key, []).get(key)!).push(i);
  });
  const want = Math.min(k, n - 1);
  const pairs = new Set<number>();
  const arcs: Arc[] = [];
  const add = (from: number, to: number, km: number) => {
    const key = from * n + to;
    if (pairs.has(key)) return;
    pairs.add(key);
    arcs.push({ from, to, km });
  };
  stations.forEach((s, i) => {
    const [cx, cy] = cellOf(s.x, s.y);
    // Widen the ring of cells until it holds enough candidates, then one ring more: a nearer
    // station can sit just outside the ring that filled up.
    let found: { j: number; km: number }[] = [];
    for (let r = 1, extra = -1; extra < 1; r++) {
      found = [];
      for (let gx = cx - r; gx <= cx + r; gx++) {
        for (let gy = cy - r; gy <= cy + r; gy++) {
          for (const j of grid.get(gx * side + gy) ?? [])
            if (j !== i && gx >= 0 && gy >= 0 && gx < side && gy < side)
              found.push({ j, km: Math.hypot(stations[j].x - s.x, stations[j].y - s.y) });
        }
      }
      if (found.length >= want || r > side) extra++;
    }
    found.sort((a, b) => a.km - b.km || a.j - b.j);
    for (const { j, km } of found.slice(0, want)) {
      const rounded = Math.round(km * 1000) / 1000;
      add(i, j, rounded);
      add(j, i, rounded);
    }
  });
  return arcs.sort((a, b) => a.from - b.from || a.to - b.to);
}
