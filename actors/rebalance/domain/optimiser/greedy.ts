// rebal.greedy.v1: repeated best single move. Each round takes the arc whose one-bike move gains
// most (unmet riders saved at both ends, weighted, minus the carrying cost) and moves as many
// bikes along it as keep that same gain, until no move gains or the budget is spent. Fast and never worse than doing
// nothing (it only takes moves that gain), but
// blind to combinations: the global policy finds those.
import type { Move, RebalanceProblem } from './problem.js';

/** Unmet riders added by taking one bike away (a bike short for pickups, a dock freed for dropoffs). */
function removeCost(capacity: number, bikes: number, pickups: number, dropoffs: number): number {
  return (bikes <= pickups ? 1 : 0) - (capacity - bikes < dropoffs ? 1 : 0);
}

/** Unmet riders added by bringing one bike (one more pickup served, one dock fewer). */
function addCost(capacity: number, bikes: number, pickups: number, dropoffs: number): number {
  return -(bikes < pickups ? 1 : 0) + (capacity - bikes <= dropoffs ? 1 : 0);
}

/** How many bikes can leave before `removeCost` changes: until bikes reach the next threshold. */
function removeRun(capacity: number, bikes: number, pickups: number, dropoffs: number): number {
  let run = bikes;
  if (bikes > pickups) run = Math.min(run, bikes - pickups);
  if (bikes > capacity - dropoffs) run = Math.min(run, bikes - (capacity - dropoffs));
  return Math.max(1, run);
}

function addRun(capacity: number, bikes: number, pickups: number, dropoffs: number): number {
  let run = capacity - bikes;
  if (bikes < pickups) run = Math.min(run, pickups - bikes);
  if (capacity - bikes > dropoffs) run = Math.min(run, capacity - bikes - dropoffs);
  return Math.max(1, run);
}

export function greedyMoves(problem: RebalanceProblem): Move[] {
  const { stations, demand, arcs, unmetWeight, costPerBikeKm } = problem;
  const bikes = stations.map((s) => s.bikes);
  const gainOf = (a: number): number => {
    const { from, to, km } = arcs[a];
    if (bikes[from] === 0 || bikes[to] === stations[to].capacity) return 0;
    const f = stations[from];
    const t = stations[to];
    const unmetChange =
      removeCost(f.capacity, bikes[from], demand.pickups[from], demand.dropoffs[from]) +
      addCost(t.capacity, bikes[to], demand.pickups[to], demand.dropoffs[to]);
    return -unmetWeight * unmetChange - costPerBikeKm * km;
  };
  // Only the arcs touching the two stations of a move change their gain: a heap of gains with
  // stale entries skipped (each arc's version counts the changes since it was pushed).
  const touching: number[][] = stations.map(() => []);
  arcs.forEach((a, i) => {
    touching[a.from].push(i);
    touching[a.to].push(i);
  });
  const version = new Int32Array(arcs.length);
  const heap = new GainHeap();
  for (let a = 0; a < arcs.length; a++) {
    const g = gainOf(a);
    if (g > 0) heap.push(g, a, 0);
  }
  const moved = new Map<number, Move>();
  let budget = problem.moveBudget;
  while (budget > 0) {
    const top = heap.pop();
    if (!top) break;
    if (top.version !== version[top.arc]) continue;
    const { from, to } = arcs[top.arc];
    const f = stations[from];
    const t = stations[to];
    const batch = Math.min(
      budget,
      removeRun(f.capacity, bikes[from], demand.pickups[from], demand.dropoffs[from]),
      addRun(t.capacity, bikes[to], demand.pickups[to], demand.dropoffs[to]),
    );
    bikes[from] -= batch;
    bikes[to] += batch;
    budget -= batch;
    const m = moved.get(top.arc) ?? { from, to, bikes: 0 };
    m.bikes += batch;
    moved.set(top.arc, m);
    for (const station of [from, to]) {
      for (const a of touching[station]) {
        version[a]++;
        const g = gainOf(a);
        if (g > 0) heap.push(g, a, version[a]);
      }
    }
  }
  return [...moved.values()].sort((x, y) => x.from - y.from || x.to - y.to);
}

/** A max-heap of (gain, arc); equal gains pop the lower arc first, so the result is a function of the problem alone. */
class GainHeap {
  private gains: number[] = [];
  private arcs: number[] = [];
  private versions: number[] = [];

  push(gain: number, arc: number, version: number): void {
    this.gains.push(gain);
    this.arcs.push(arc);
    this.versions.push(version);
    let i = this.gains.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { arc: number; version: number } | undefined {
    if (this.gains.length === 0) return undefined;
    const top = { arc: this.arcs[0], version: this.versions[0] };
    const last = this.gains.length - 1;
    this.swap(0, last);
    this.gains.pop();
    this.arcs.pop();
    this.versions.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < this.gains.length && this.before(l, best)) best = l;
      if (r < this.gains.length && this.before(r, best)) best = r;
      if (best === i) break;
      this.swap(i, best);
      i = best;
    }
    return top;
  }

  private before(a: number, b: number): boolean {
    return this.gains[a] > this.gains[b] || (this.gains[a] === this.gains[b] && this.arcs[a] < this.arcs[b]);
  }

  private swap(a: number, b: number): void {
    [this.gains[a], this.gains[b]] = [this.gains[b], this.gains[a]];
    [this.arcs[a], this.arcs[b]] = [this.arcs[b], this.arcs[a]];
    [this.versions[a], this.versions[b]] = [this.versions[b], this.versions[a]];
  }
}
