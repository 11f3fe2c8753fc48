// `tickwork rebalance <verb>`: the rollout from a terminal, on the same store the server uses.
// `gates` is made for CI: exit 0 pass, 1 fail, 4 inconclusive (too few runs to judge); a refusal
// is one line on stderr and exit 2.
import { readFileSync, writeFileSync } from 'node:fs';
import {
  EXIT,
  type PackCatalogue,
  type PackCommand,
  parseDurationMs,
  parseFlags,
  resolveDbPath,
  Store,
  usageError,
} from '../../../runtime/sdk.js';
import type { City } from '../domain/city/city.js';
import { importCity } from '../domain/city/city-import.js';
import { STAGES, type Stage } from '../domain/rollout/rollout-gates.js';
import { storedGateReport } from '../domain/rollout/stored-gates.js';
import { PolicyStore } from '../store/policy-store.js';

/** `gates` exit codes: distinct, so CI can tell "not yet" from "no". */
export const GATE_EXIT = { pass: EXIT.ok, fail: EXIT.failed, inconclusive: 4 } as const;

const DB_FLAG = { db: { type: 'string' }, json: { type: 'boolean' } } as const;
const DB_HELP = `  --db PATH   SQLite store (default: $TICKWORK_DB or ./data/tickwork.db)
  --json      print JSON instead of text`;

function help(usage: string, what: string, extra = ''): number {
  console.log(`Usage: tickwork rebalance ${usage}\n\n${what}\n\nOptions:\n${extra}${DB_HELP}`);
  return EXIT.ok;
}

async function withStore<T>(
  packs: PackCatalogue,
  db: string | undefined,
  work: (store: PolicyStore) => T | Promise<T>,
): Promise<T> {
  const store = new Store(resolveDbPath(db), packs.migrationSets());
  try {
    return await work(new PolicyStore(store.tables('rebalance')));
  } finally {
    store.close();
  }
}

function readJson(file: string): unknown {
  try {
    // A byte-order mark is what some editors and exporters put first; it is not part of the JSON.
    return JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw usageError(`${file}: ${(err as Error).message}`, 'file');
  }
}

/** A city file a person can read and diff: one station per line. */
function cityJson(city: City): string {
  const { stations, ...head } = city;
  return `${JSON.stringify(head).slice(0, -1)},"stations":[\n${stations.map((s) => JSON.stringify(s)).join(',\n')}\n]}\n`;
}

const gatesCommand: PackCommand = {
  summary: 'judge a rollout stage over the last 15 minutes of policy runs (exit 0 pass, 1 fail, 4 inconclusive)',
  async run(argv, { packs }) {
    const { values } = parseFlags(argv, {
      ...DB_FLAG,
      stage: { type: 'string' },
      window: { type: 'string' },
      'min-samples': { type: 'string' },
      system: { type: 'string' },
    });
    if (values.help) {
      return help(
        'gates --stage shadow|internal|public [options]',
        "Evaluates the runbook's thresholds (timeout_rate, fallback_rate, objective_delta_ratio) over the global-policy runs\n(served or shadow) the policy API stored in the window. A verdict needs --min-samples runs; fewer is inconclusive.\nExit codes: 0 pass, 1 fail, 4 inconclusive, 2 bad usage.",
        '  --stage S          shadow, internal or public (required)\n  --window D         window, e.g. 15m, 1h (default 15m)\n  --min-samples N    global runs needed for a verdict (default 20)\n  --system ID        only this system_id\n',
      );
    }
    if (!values.stage || !(STAGES as readonly string[]).includes(values.stage))
      throw usageError(
        `--stage must be one of ${STAGES.join(', ')}${values.stage ? ` (got '${values.stage}')` : ''}`,
        'stage',
      );
    const windowMs = parseDurationMs(values.window ?? '15m');
    if (windowMs === undefined || windowMs < 1000)
      throw usageError(`--window must look like 15m or 1h (got '${values.window}')`, 'window');
    const minSamples = Number(values['min-samples'] ?? 20);
    if (!Number.isInteger(minSamples) || minSamples < 1)
      throw usageError(
        `--min-samples must be a whole number of at least 1 (got '${values['min-samples']}')`,
        'min-samples',
      );
    return withStore(packs, values.db, (store) => {
      const report = storedGateReport(store, values.stage as Stage, {
        windowSec: windowMs / 1000,
        minSamples,
        ...(values.system ? { systemId: values.system } : {}),
      });
      if (values.json) console.log(JSON.stringify(report));
      else {
        const m = report.metrics;
        const show = (x: number | null) => (x === null ? 'n/a' : String(Math.round(x * 10_000) / 10_000));
        console.log(
          `${report.stage} gates: ${report.verdict.toUpperCase()} over ${report.samples} global-policy runs in the last ${values.window ?? '15m'}`,
        );
        console.log(
          `  timeout_rate ${show(m.timeout_rate)}  fallback_rate ${show(m.fallback_rate)}  objective_delta_ratio ${show(m.objective_delta_ratio)}`,
        );
        for (const reason of report.reasons) console.log(`  - ${reason}`);
      }
      return GATE_EXIT[report.verdict];
    });
  },
};

const importCommand: PackCommand = {
  summary: 'build a system from trip CSVs (Citi Bike / Divvy) and a GBFS station list',
  async run(argv, { packs }) {
    const { values, positionals } = parseFlags(argv, {
      ...DB_FLAG,
      'system-id': { type: 'string' },
      name: { type: 'string' },
      status: { type: 'string' },
      out: { type: 'string' },
    });
    if (values.help) {
      return help(
        'import <trips.csv>... <station_information.json> [options]',
        'Reads trip files in the public Citi Bike / Divvy format and a GBFS station_information feed, and stores the system\n(stations on a local km plane, riders per hour per station on weekdays and weekends) with its first snapshot (sv 1,\nor the next one). Its system_id then works with /api/policy/run, and --out writes the city for a scenario\n(scenarios/rebalance/cities/<name>.json, run it with "city": {"file": "<name>"}).',
        '  --system-id ID     system_id (default: imported)\n  --name TEXT        display name\n  --status FILE      GBFS station_status.json for bikes on hand (default: half full)\n  --out FILE         also write the city as JSON\n',
      );
    }
    if (positionals.length < 2)
      throw usageError('import needs at least one trip CSV and a station_information.json', 'file');
    const stationsFile = positionals[positionals.length - 1];
    const systemId = values['system-id'] ?? 'imported';
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(systemId))
      throw usageError(`--system-id: '${systemId}' is not letters, digits, - and _`, 'system-id');
    const report = await importCity({
      systemId,
      name: values.name ?? systemId,
      stationsFile,
      stations: readJson(stationsFile),
      ...(values.status ? { status: readJson(values.status) } : {}),
      tripFiles: positionals.slice(0, -1),
    });
    if (values.out) writeFileSync(values.out, cityJson(report.city));
    return withStore(packs, values.db, (store) => {
      const sv = store.saveSystem(report.city);
      const { city, ...facts } = report;
      if (values.json)
        console.log(JSON.stringify({ system_id: city.systemId, sv, stations: city.stations.length, ...facts }));
      else {
        console.log(
          `imported ${city.systemId}: ${city.stations.length} stations, ${report.trips} trips (${report.skipped} skipped), ${report.firstDay} to ${report.lastDay} (${report.weekdays} weekdays, ${report.weekendDays} weekend days); snapshot sv ${sv}`,
        );
        if (report.defaultedCapacity > 0)
          console.log(`  ${report.defaultedCapacity} stations had no capacity in the feed: assumed 20 docks`);
        if (values.out) console.log(`  city written to ${values.out}`);
      }
      return EXIT.ok;
    });
  },
};

const killSwitchCommand: PackCommand = {
  summary: "the runbook's kill switch: greedy only (on), both policies again (off), or show it",
  async run(argv, { packs }) {
    const { values, positionals } = parseFlags(argv, DB_FLAG);
    if (values.help)
      return help(
        'kill-switch [on|off] [options]',
        '"on" collapses /api/policy/config to rebal.greedy.v1 at once (no restart); "off" restores POLICY_AVAILABLE_VERSIONS.\nA running server steers its running simulations when switched with POST /api/policy/kill-switch.',
      );
    const [state] = positionals;
    if (state !== undefined && state !== 'on' && state !== 'off')
      throw usageError(`kill-switch takes 'on' or 'off' (got '${state}')`, 'state');
    return withStore(packs, values.db, (store) => {
      if (state !== undefined) store.setSetting('kill_switch', state);
      const on = store.setting('kill_switch') === 'on';
      console.log(values.json ? JSON.stringify({ on }) : `kill switch ${on ? 'ON: greedy only' : 'off'}`);
      return EXIT.ok;
    });
  },
};

const incidentsCommand: PackCommand = {
  summary: 'list rollout incident notes (automatic rollbacks)',
  async run(argv, { packs }) {
    const { values } = parseFlags(argv, DB_FLAG);
    if (values.help)
      return help(
        'incidents [options]',
        'The incident notes the automatic rollback filed: stage, trigger metrics, first observed, action.',
      );
    return withStore(packs, values.db, (store) => {
      const notes = store.incidents();
      if (values.json) console.log(JSON.stringify(notes));
      else if (notes.length === 0) console.log('no incidents');
      else
        for (const n of notes)
          console.log(
            `#${n.id} ${n.created_at} stage ${n.stage}: ${JSON.stringify(n.trigger_metrics)}; first observed ${n.first_observed_at}; ${n.action}`,
          );
      return EXIT.ok;
    });
  },
};

export const REBALANCE_COMMANDS: Readonly<Record<string, PackCommand>> = {
  gates: gatesCommand,
  import: importCommand,
  'kill-switch': killSwitchCommand,
  incidents: incidentsCommand,
};
