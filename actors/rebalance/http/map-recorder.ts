// What the map page draws for a simulation: station positions from the run's city, and per
// bucket the stations' levels and the moves served (the dispatcher's `snapshot` and `moves`
// events). Kept while the server hosts the run, bounded per run and in runs.
import type { HostedRun, RunRegistry } from '../../../runtime/sdk.js';
import { loadCity } from '../domain/city/city-source.js';
import { citySourceSchema } from '../domain/city/city-source.js';
import { SIM_POLICY_DEFAULTS } from '../sim/policies.js';

/** Frames kept per run: four sim days of 15-minute buckets. */
const MAX_FRAMES = 384;
const MAX_RUNS = 20;

export interface MapFrame {
  bucket: number;
  simMs: number;
  levels: number[];
  /** [from station index, to station index, bikes] */
  moves: [number, number, number][];
}

export interface RunMap {
  runId: string;
  /** Hour of the week sim time 0 is (the city's clock starts there). */
  startHour: number;
  stations: { id: string; name: string; x: number; y: number; capacity: number }[];
  frames: MapFrame[];
}

export class MapRecorder {
  private readonly maps = new Map<string, RunMap>();

  constructor(runs: RunRegistry) {
    runs.lifecycle.on('started', (h) => this.track(h));
  }

  get(runId: string): RunMap | undefined {
    return this.maps.get(runId);
  }

  private track(h: HostedRun): void {
    if (h.run.options.scenario.pack !== 'rebalance') return;
    const { options } = h.run;
    const source = citySourceSchema.safeParse(
      options.policies.city ?? options.scenario.policies.city ?? SIM_POLICY_DEFAULTS.city,
    );
    if (!source.success) return;
    const city = loadCity(source.data);
    const startHour = Number(
      options.policies.startHour ?? options.scenario.policies.startHour ?? SIM_POLICY_DEFAULTS.startHour,
    );
    const map: RunMap = {
      runId: h.run.id,
      startHour,
      stations: city.stations.map(({ id, name, x, y, capacity }) => ({ id, name, x, y, capacity })),
      frames: [],
    };
    this.maps.set(h.run.id, map);
    while (this.maps.size > MAX_RUNS) this.maps.delete(this.maps.keys().next().value!);
    h.run.bus.on('event', (e) => {
      if (e.type === 'snapshot') {
        const d = e.data as { bucket: number; levels: number[] };
        map.frames.push({ bucket: d.bucket, simMs: e.simMs, levels: d.levels, moves: [] });
        if (map.frames.length > MAX_FRAMES) map.frames.shift();
      } else if (e.type === 'moves') {
        map.frames.at(-1)?.moves.push(...(e.data as { moves: [number, number, number][] }).moves);
      }
    });
  }
}
