// The rebalance simulation (`tickwork run rebalance`) through its runs: which policy each rollout
// stage serves, the kill switch taking effect mid-run, the solver-timeout drill rolling back by
// itself with an incident note, no bike lost, and a city imported from Citi Bike-format trips and
// a GBFS station list (the shipped sample city is exactly that import).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadScenario } from '../../runtime/scenario/scenario-loader.js';
import { PACKS, cliSync, lastJsonLine, runIt, scenario, tempDir } from '../helpers.js';

const SMALL = { city: { synthetic: { stations: 150, seed: 3 } }, districtSide: 3, startHour: 7 };
const morning = (policies: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  scenario({
    pack: 'rebalance',
    tickMs: 1000,
    partitions: 2,
    duration: { simMinutes: 60 },
    policies: { ...SMALL, ...policies },
    invariants: ['bikes_conserved'],
    ...extra,
  });

const counters = (summary: { counters: Record<string, number> }) => (name: string) =>
  summary.counters[`rebalance.${name}`] ?? 0;

test('each stage serves what the runbook says: shadow greedy only, internal a share, public global; both policies run every time', async () => {
  const served: Record<string, [number, number]> = {};
  for (const stage of ['shadow', 'internal', 'public']) {
    const { summary } = await runIt(morning({ stage, internalShare: 0.5 }), { seed: 4, workers: 0 });
    const c = counters(summary);
    assert.ok(summary.passed, `${stage}: ${JSON.stringify(summary.invariants)}`);
    assert.is(c('global_runs'), c('greedy_runs'), `${stage}: the global policy runs beside greedy`);
    served[stage] = [c('served_global'), c('global_runs')];
  }
  const [runs] = [served.shadow[1]];
  assert.ok(runs >= 9 * 4, `4 buckets x 9 districts, got ${runs}`);
  assert.is(served.shadow[0], 0);
  assert.is(served.public[0], runs);
  assert.ok(served.internal[0] > 0 && served.internal[0] < runs, `internal served ${served.internal[0]} of ${runs}`);
});

test('the kill switch mid-run: no global run after it, greedy keeps rebalancing, no bike lost', async () => {
  const sc = morning({ stage: 'public' }, { events: [{ type: 'KILL_SWITCH', triggerAt: 20, duration: 60 }] });
  const { summary } = await runIt(sc, { seed: 4, workers: 1 });
  const c = counters(summary);
  assert.ok(summary.passed);
  // Buckets at 0 and 15 minutes ran both policies; those at 30 and 45 only greedy.
  assert.is(c('global_runs'), c('greedy_runs') / 2);
  assert.ok(c('moves_planned') > 0);
  assert.is(summary.gauges['rebalance.bikes_unaccounted'], 0);
  // Greedy only from the start (POLICY_AVAILABLE_VERSIONS=rebal.greedy.v1 as a policy): the gates have nothing to
  // judge.
  const { summary: greedyOnly } = await runIt(
    morning({ availableVersions: ['rebal.greedy.v1'] }, { invariants: ['shadow_timeout_rate'] }),
    { seed: 4, workers: 0 },
  );
  assert.is(counters(greedyOnly)('global_runs'), 0);
  assert.is(greedyOnly.invariants[0].verdict, 'not-evaluated');
  assert.not.ok(greedyOnly.passed, 'an unjudged critical gate is not a pass');
});

test('solver_timeout drill: global runs time out, two failing windows roll back to greedy by themselves, with an incident note', async () => {
  const sc = loadScenario(PACKS, 'rebalance/solver_timeout');
  const { summary, events } = await runIt(sc, { seed: 1, workers: 2 });
  assert.ok(summary.passed, JSON.stringify(summary.invariants));
  const verdict = Object.fromEntries(summary.invariants.map((i) => [i.id, i.verdict]));
  assert.equal(verdict, {
    public_timeout_rate: 'fail',
    public_fallback_rate: 'fail',
    rollback_applied: 'pass',
    bikes_conserved: 'pass',
  });
  const incidents = events
    .filter((e) => e.type === 'rollout_incident')
    .map((e) => e.data as { stage: string; triggers: string[]; firstObservedAtMs: number; action: string });
  assert.is(incidents.length, 1);
  assert.is(incidents[0].stage, 'public');
  assert.match(incidents[0].triggers.join(' '), /timeout_rate .* is above the public limit 0\.03/);
  // The slowdown starts at sim minute 60; its first window ends at 75, the second at 90: rollback then.
  assert.is(incidents[0].firstObservedAtMs, 60 * 60_000);
  assert.equal(summary.kpis?.rollback, { applied: true, atSimMin: 90 });
  const windows = events
    .filter((e) => e.type === 'gate_window')
    .map((e) => e.data as { endsAtMs: number; verdict: string });
  assert.ok(
    windows.filter((w) => w.endsAtMs > 90 * 60_000).every((w) => w.verdict === 'inconclusive'),
    'after the rollback no global run: no verdict',
  );
});

test('tickwork rebalance import: the sample trips and station list make the shipped sample city; bad files are refused in one line', () => {
  const dir = tempDir();
  const out = path.join(dir, 'city.json');
  const samples = path.join('samples', 'rebalance');
  const ok = cliSync([
    'rebalance',
    'import',
    path.join(samples, 'trips.csv'),
    path.join(samples, 'station_information.json'),
    '--system-id',
    'sample',
    '--name',
    'sample: 24 stations in lower Manhattan, one week of trips',
    '--out',
    out,
    '--json',
    '--db',
    path.join(dir, 'i.db'),
  ]);
  assert.is(ok.code, 0, ok.stderr);
  assert.equal(lastJsonLine(ok.stdout), {
    system_id: 'sample',
    sv: 1,
    stations: 24,
    trips: 984,
    skipped: 0,
    weekdays: 5,
    weekendDays: 2,
    firstDay: '2024-05-06',
    lastDay: '2024-05-12',
    defaultedCapacity: 0,
  });
  assert.is(
    readFileSync(out, 'utf8'),
    readFileSync(path.join('scenarios', 'rebalance', 'cities', 'sample.json'), 'utf8'),
  );

  const trips = path.join(dir, 'trips.csv');
  writeFileSync(
    trips,
    'started_at,start_station_id,end_station_id\n2024-05-06 08:00:00,5000.100,nowhere\n2024-05-06 08:10:00,5000.100,5007.110\n',
  );
  const partial = cliSync([
    'rebalance',
    'import',
    trips,
    path.join(samples, 'station_information.json'),
    '--json',
    '--db',
    path.join(dir, 'i.db'),
  ]);
  assert.equal([partial.code, lastJsonLine(partial.stdout).trips, lastJsonLine(partial.stdout).skipped], [0, 1, 1]);
  writeFileSync(trips, 'when,from,to\n1,2,3\n');
  const bad = cliSync([
    'rebalance',
    'import',
    trips,
    path.join(samples, 'station_information.json'),
    '--db',
    path.join(dir, 'i.db'),
  ]);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /not a trip file: needs columns started_at, start_station_id and end_station_id/);
  const notGbfs = cliSync([
    'rebalance',
    'import',
    path.join(samples, 'trips.csv'),
    trips,
    '--db',
    path.join(dir, 'i.db'),
  ]);
  assert.is(notGbfs.code, 2);

  // The audit's cases: each exits 2 with one line naming the file (and the row and field where
  // there is one), never a stack trace or a validation dump.
  const db = ['--db', path.join(dir, 'i.db')];
  const oneLine = (r: { code: number | null; stderr: string }, pattern: RegExp, what: string) => {
    assert.is(r.code, 2, `${what}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.is(lines.length, 1, `${what}: one line, got ${r.stderr}`);
    assert.match(lines[0], pattern, what);
  };
  const stationsFile = path.join(samples, 'station_information.json');
  const missing = path.join(dir, 'no-such-trips.csv');
  oneLine(
    cliSync(['rebalance', 'import', missing, stationsFile, ...db]),
    /no-such-trips\.csv: cannot read: ENOENT/,
    'missing trip file',
  );
  writeFileSync(
    trips,
    'started_at,start_station_id,end_station_id\n2024-05-06 08:00:00,5000.100,5007.110\n2024-05-06 25:10:00,5000.100,5007.110\n',
  );
  oneLine(
    cliSync(['rebalance', 'import', trips, stationsFile, ...db]),
    /trips\.csv: row 3, started_at: hour 25/,
    'hour 25',
  );
  const many = path.join(dir, 'many.json');
  const station = (i: number) => ({
    station_id: `s${i}`,
    lat: 40 + (i % 1000) / 10_000,
    lon: -74 + i / 10_000_000,
    capacity: 10,
  });
  writeFileSync(many, JSON.stringify({ data: { stations: Array.from({ length: 200_000 }, (_, i) => station(i)) } }));
  oneLine(
    cliSync(['rebalance', 'import', trips, many, ...db]),
    /many\.json: not a GBFS station_information feed: data\.stations: .*20000/,
    '200k stations',
  );
  // A byte-order mark in front of both files (as some exporters write them) is read past.
  const bomStations = path.join(dir, 'bom-stations.json');
  writeFileSync(bomStations, `\uFEFF${readFileSync(stationsFile, 'utf8')}`);
  writeFileSync(trips, `\uFEFF${readFileSync(path.join(samples, 'trips.csv'), 'utf8')}`);
  const bom = cliSync(['rebalance', 'import', trips, bomStations, '--json', ...db]);
  assert.is(bom.code, 0, bom.stderr);
  assert.is(lastJsonLine(bom.stdout).trips, 984);
});

test.run();
