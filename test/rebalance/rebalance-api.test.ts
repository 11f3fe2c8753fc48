// Runbook 004's policy API through its public surfaces: real HTTP on loopback against a real
// SQLite file, and the `tickwork rebalance` CLI on the same file. run_key reuse, pending -> ready,
// moves, cancel of a queued run, view_snapshot_mismatch, allowlist and kill switch, /api/time,
// shadow runs, the gates CLI's exit codes, the automatic rollback with its incident note, and
// the runbook's dashboard queries.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import path from 'node:path';
import { startServer } from '../../server/server.js';
import { Store } from '../../runtime/store/store.js';
import { syntheticCity } from '../../actors/rebalance/domain/city/synthetic-city.js';
import { PolicyStore } from '../../actors/rebalance/store/policy-store.js';
import { PACKS, cliSync, http, lastJsonLine, rawRequest, tempDir, waitFor } from '../helpers.js';
import { REBALANCE_QUERIES } from './rebalance-queries.js';

type Server = Awaited<ReturnType<typeof startServer>>;

/** Start a server with these environment variables (the policy service reads them at start). */
async function serverWith(env: Record<string, string>, dbPath: string): Promise<Server> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await startServer({ packs: PACKS, host: '127.0.0.1', port: 0, dbPath, token: undefined });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const BOTH = {
  POLICY_AVAILABLE_VERSIONS: 'rebal.greedy.v1,rebal.global.v1',
  POLICY_DEFAULT_VERSION: 'rebal.greedy.v1',
  NETWORK_DEGRADE_LEVEL: '2',
};
const dbPath = path.join(tempDir(), 'policy.db');
let server: Server;

test.before(async () => {
  // A 3,000-station system whose global run takes long enough to keep a second run queued.
  const store = new Store(dbPath, PACKS.migrationSets());
  new PolicyStore(store.tables('rebalance')).saveSystem({
    ...syntheticCity({ stations: 3000, seed: 1 }),
    systemId: 'big',
  });
  // Two runs from long ago: the finished one is past the retention (30 days), the pending one is still owed.
  const old = `INSERT INTO policy_runs (run_id, system_id, sv, policy_version, t_bucket, status, created_at) VALUES (?, 'big', 1, 'rebal.greedy.v1', 0, ?, '2020-01-01 00:00:00')`;
  store.tables('test').prepare(old).run('ancient-ready', 'ready');
  store
    .tables('test')
    .prepare(
      `INSERT INTO policy_moves (run_id, seq, from_station, to_station, bikes) VALUES ('ancient-ready', 0, 'S1', 'S2', 3)`,
    )
    .run();
  store.tables('test').prepare(old).run('ancient-pending', 'pending');
  store.close();
  server = await serverWith(
    { ...BOTH, ROLLOUT_STAGE: 'public', POLICY_ALLOWLIST: 'greedy-town=rebal.greedy.v1' },
    dbPath,
  );
});
test.after(async () => {
  await server.close('test done');
});

const get = (p: string) => http('GET', `${server.url}${p}`);
const run = (q: string) => get(`/api/policy/run?v=1&${q}`);
const ready = (key: string) =>
  waitFor(`run ${key} ready`, async () => {
    const s = await get(`/api/policy/status?v=1&run_key=${encodeURIComponent(key)}`);
    return s.body.status !== 'pending' && s.body;
  });

test("GET /api/policy/run stays a GET but another site's page cannot create runs with it; repeats create nothing; a client's new runs are capped a minute", async () => {
  const db = path.join(tempDir(), 'cross-site.db');
  const other = await serverWith({ ...BOTH, POLICY_CREATES_PER_CLIENT_MIN: '3' }, db);
  const runs = () => {
    const file = new Database(db, { readonly: true });
    try {
      return (file.prepare('SELECT COUNT(*) AS n FROM policy_runs WHERE shadow = 0').get() as { n: number }).n;
    } finally {
      file.close();
    }
  };
  const url = (i: number) =>
    `${other.url}/api/policy/run?v=1&system_id=demo&sv=1&policy_version=rebal.greedy.v1&T_bucket=${1715065200 + i * 900}`;
  try {
    // An image tag on another site: no Origin, but the browser says where the request comes from.
    const imageTag = await rawRequest(url(0), 'GET', { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'image' });
    assert.equal(
      [imageTag.status, imageTag.body.error?.code, imageTag.body.error?.path],
      [403, 'TW_ERR_FORBIDDEN', 'sec-fetch-site'],
    );
    const linked = await rawRequest(url(0), 'GET', { referer: 'https://evil.example/page' });
    assert.equal([linked.status, linked.body.error?.path], [403, 'referer']);
    assert.is(runs(), 0, 'nothing created cross-site');

    // The dashboard's own page, and curl (no marks at all), go through; repeats of a key create nothing.
    const own = await rawRequest(url(0), 'GET', {
      'sec-fetch-site': 'same-origin',
      referer: `${other.url}/admin/rebalance`,
    });
    assert.is(own.status, 200, own.text);
    for (let i = 0; i < 5; i++) assert.is((await http('GET', url(0))).body.run_key, own.body.run_key);
    assert.is(runs(), 1);

    // Three new runs a minute per client (POLICY_CREATES_PER_CLIENT_MIN=3): the fourth is refused, repeats still answer.
    for (const i of [1, 2]) assert.is((await http('GET', url(i))).status, 200);
    const flooded = await rawRequest(url(3), 'GET', {});
    assert.equal([flooded.status, flooded.body.error?.code], [429, 'rate_limited']);
    assert.ok(Number(flooded.headers['retry-after']) > 0, 'Retry-After says when');
    assert.is((await http('GET', url(0))).status, 200, 'a repeat is not a creation');
    assert.is(runs(), 3);
  } finally {
    await other.close('test done');
  }
});

test('config and time answer as the runbook says; a fresh store has the demo system', async () => {
  const c = await get('/api/policy/config?v=1');
  assert.equal(
    [c.status, c.body.available_versions, c.body.default_version, c.body.kill_switch],
    [200, ['rebal.greedy.v1', 'rebal.global.v1'], 'rebal.greedy.v1', false],
  );
  const t = await get('/api/time');
  assert.is(t.body.network.degrade_level, 2);
  assert.is(t.body.T_bucket % 900, 0);
  const systems = await get('/api/policy/systems');
  assert.equal(
    systems.body.data.map((s: { system_id: string; sv: number }) => [s.system_id, s.sv]),
    [
      ['big', 1],
      ['demo', 1],
    ],
  );
  const bad = await get('/api/policy/config?v=2');
  assert.equal([bad.status, bad.body.error.code, bad.body.error.path], [400, 'TW_ERR_VALIDATION', 'v']);
});

test('GET /api/policy/run: a deterministic run_key, pending then ready, the same run for the same request; moves resolve', async () => {
  const first = await run('system_id=demo&sv=1&policy_version=rebal.global.v1&T_bucket=1715065200');
  assert.is(first.status, 200, JSON.stringify(first.body));
  assert.match(first.body.run_key, /^rebal\.global\.v1:1715065200:[0-9a-f]{16}$/);
  assert.ok(['pending', 'ready'].includes(first.body.status));
  const done = await ready(first.body.run_key);
  assert.is(done.status, 'ready', JSON.stringify(done));
  const again = await run('system_id=demo&sv=1&policy_version=rebal.global.v1&T_bucket=1715065200');
  assert.equal([again.body.run_key, again.body.status], [first.body.run_key, 'ready']);
  const moves = await get(
    `/api/policy/moves?v=1&system_id=demo&sv=1&policy_version=rebal.global.v1&T_bucket=1715065200`,
  );
  assert.is(moves.body.run_key, first.body.run_key);
  assert.ok(moves.body.moves.length > 0, 'a rush-hour bucket (Tuesday 07:00 UTC) needs moves');
  assert.is(moves.body.move_count, moves.body.moves.length);
  assert.ok(moves.body.objective <= moves.body.greedy_objective, 'global is never worse than greedy when it finishes');
  const m = moves.body.moves[0];
  assert.ok(typeof m.from_station === 'string' && m.from_station.startsWith('S') && m.bikes > 0);
});

test('refusals: stale snapshot (view_snapshot_mismatch), version not allowed, unknown system and run, bad parameters', async () => {
  const next = await http('POST', `${server.url}/api/policy/systems/demo/snapshots`, { bikes: new Array(300).fill(5) });
  assert.equal([next.status, next.body.data.sv], [201, 2]);
  const stale = await run('system_id=demo&sv=1&policy_version=rebal.greedy.v1&T_bucket=900');
  assert.equal(
    [stale.status, stale.body.error.code, stale.body.error.current_sv, stale.body.error.path],
    [409, 'view_snapshot_mismatch', 2, 'sv'],
  );
  const notAllowed = await run('system_id=greedy-town&sv=1&policy_version=rebal.global.v1&T_bucket=900');
  assert.equal(
    [notAllowed.status, notAllowed.body.error.code],
    [404, 'unknown_system'],
    'an unknown system is refused before its allowlist',
  );
  const unknownVersion = await run('system_id=demo&sv=2&policy_version=rebal.magic.v9&T_bucket=900');
  assert.equal([unknownVersion.status, unknownVersion.body.error.code], [403, 'policy_version_not_allowed']);
  const noRun = await get('/api/policy/status?v=1&run_key=nope');
  assert.equal([noRun.status, noRun.body.error.code], [404, 'unknown_run']);
  const badSv = await run('system_id=demo&sv=zero&policy_version=rebal.greedy.v1&T_bucket=900');
  assert.equal([badSv.status, badSv.body.error.path], [400, 'sv']);
  const badBikes = await http('POST', `${server.url}/api/policy/systems/demo/snapshots`, { bikes: [1, 2] });
  assert.equal([badBikes.status, badBikes.body.error.path], [400, 'bikes']);
});

test('POST /api/policy/cancel: a queued run is canceled and its queue entry says so; a finished one is left alone', async () => {
  const slow = await run('system_id=big&sv=1&policy_version=rebal.global.v1&T_bucket=1715068800');
  const queued = await run('system_id=big&sv=1&policy_version=rebal.greedy.v1&T_bucket=1715068800');
  assert.is(queued.body.status, 'pending');
  const status = await get(`/api/policy/status?v=1&run_key=${encodeURIComponent(queued.body.run_key)}`);
  assert.ok(status.body.queue.position >= 1, JSON.stringify(status.body));
  // The runbook's form: parameters in the query (system_id defaults to POLICY_SYSTEM_ID, here the key names it).
  const cancel = await http(
    'POST',
    `${server.url}/api/policy/cancel?v=1&run_key=${encodeURIComponent(queued.body.run_key)}`,
  );
  assert.equal([cancel.status, cancel.body.outcome, cancel.body.status], [200, 'canceled', 'canceled']);
  assert.is((await ready(slow.body.run_key)).status, 'ready');
  const after = await get(`/api/policy/moves?v=1&run_key=${encodeURIComponent(queued.body.run_key)}`);
  assert.equal([after.body.status, after.body.moves, after.body.error_reason], ['canceled', [], 'canceled']);
  const late = await http(
    'POST',
    `${server.url}/api/policy/cancel?v=1&run_key=${encodeURIComponent(slow.body.run_key)}`,
  );
  assert.equal([late.body.outcome, late.body.status], ['not_pending', 'ready']);
});

test('kill switch: the config collapses to greedy at once, global is refused, running simulations are steered; off restores', async () => {
  const sim = await http('POST', `${server.url}/api/runs`, { scenario: 'rebalance/day', seed: 1, pace: 1, workers: 0 });
  assert.is(sim.status, 201, JSON.stringify(sim.body));
  const on = await http('POST', `${server.url}/api/policy/kill-switch`, { on: true });
  assert.equal(on.body.data.config.available, ['rebal.greedy.v1']);
  assert.equal((await get('/api/policy/config?v=1')).body.available_versions, ['rebal.greedy.v1']);
  const refused = await run('system_id=demo&sv=2&policy_version=rebal.global.v1&T_bucket=1800');
  assert.equal([refused.status, refused.body.error.code], [403, 'policy_version_not_allowed']);
  const runId = sim.body.runId;
  // The switch reaches the run as a live policy in its input log (what the dispatcher obeys is tested in
  // rebalance-sim).
  await waitFor('the kill switch in the run', async () => {
    const r = await get(`/api/runs/${runId}/inputs`);
    return JSON.stringify(r.body.data).includes('"availableVersions":["rebal.greedy.v1"]');
  });
  await http('POST', `${server.url}/api/runs/${runId}/stop`, {});
  await http('POST', `${server.url}/api/policy/kill-switch`, { on: false });
  assert.equal((await get('/api/policy/config?v=1')).body.available_versions, ['rebal.greedy.v1', 'rebal.global.v1']);
});

test('gates CLI over the stored runs: pass with enough healthy global runs (exit 0), inconclusive without (exit 4); dashboard queries answer', async () => {
  const keys: string[] = [];
  for (let i = 0; i < 20; i++)
    keys.push(
      (await run(`system_id=demo&sv=2&policy_version=rebal.global.v1&T_bucket=${1715065200 + i * 900}`)).body.run_key,
    );
  for (const k of keys) assert.is((await ready(k)).status, 'ready');
  const pass = cliSync(['rebalance', 'gates', '--stage', 'public', '--json', '--db', dbPath]);
  const report = lastJsonLine(pass.stdout);
  assert.is(pass.code, 0, pass.stdout + pass.stderr);
  assert.equal([report.verdict, report.metrics.timeout_rate, report.metrics.fallback_rate], ['pass', 0, 0]);
  assert.ok(report.samples >= 21 && report.metrics.objective_delta_ratio >= 0, JSON.stringify(report));
  const few = cliSync(['rebalance', 'gates', '--stage', 'shadow', '--system', 'big', '--db', dbPath]);
  assert.is(few.code, 4, few.stdout);
  assert.match(few.stdout, /shadow gates: INCONCLUSIVE over 1 global-policy runs/);
  const usage = cliSync(['rebalance', 'gates', '--stage', 'canary', '--db', dbPath]);
  assert.is(usage.code, 2);
  assert.match(usage.stderr, /--stage must be one of shadow, internal, public/);

  const db = new Database(dbPath, { readonly: true });
  const timeouts = db.prepare(REBALANCE_QUERIES.timeouts).all() as {
    policy_version: string;
    total_runs: number;
    failed_runs: number;
  }[];
  assert.equal(
    timeouts.map((r) => [r.policy_version, r.failed_runs]),
    [
      ['rebal.global.v1', 0],
      ['rebal.greedy.v1', 0],
    ],
  );
  assert.ok(timeouts[0].total_runs >= 22);
  const noOps = db.prepare(REBALANCE_QUERIES.noOps).all() as {
    policy_version: string;
    runs: number;
    no_op_runs: number;
    avg_move_count: number;
  }[];
  assert.ok(noOps[0].avg_move_count > 0 && noOps[0].no_op_runs < noOps[0].runs, JSON.stringify(noOps));
  db.close();
});

test('automatic rollback: gates failing for the sustain period turn the kill switch on and file an incident note; shadow runs recorded', async () => {
  const rollbackDb = path.join(tempDir(), 'rollback.db');
  const other = await serverWith(
    {
      ...BOTH,
      ROLLOUT_STAGE: 'shadow',
      ROLLOUT_AUTO_ROLLBACK: '1',
      ROLLOUT_SUSTAIN_MIN: '0',
      ROLLOUT_CHECK_SEC: '1',
      ROLLOUT_MIN_SAMPLES: '5',
      POLICY_GLOBAL_BUDGET_MS: '0',
    },
    rollbackDb,
  );
  try {
    // Shadow stage: each greedy request gets the global policy beside it, which times out at a 0 ms budget.
    const keys: string[] = [];
    for (let i = 0; i < 6; i++)
      keys.push(
        (
          await http(
            'GET',
            `${other.url}/api/policy/run?v=1&system_id=demo&sv=1&policy_version=rebal.greedy.v1&T_bucket=${1715065200 + i * 900}`,
          )
        ).body.run_key,
      );
    const incident = await waitFor(
      'an incident note',
      async () => {
        const r = await http('GET', `${other.url}/api/policy/incidents`);
        return r.body.data[0];
      },
      30_000,
    );
    assert.is(incident.stage, 'shadow');
    assert.is(incident.kill_switch_applied, 1);
    assert.ok(incident.trigger_metrics.timeout_rate > 0.15, JSON.stringify(incident));
    assert.match(incident.trigger_metrics.reasons.join(' '), /timeout_rate .* is above the shadow limit 0\.15/);
    assert.match(incident.first_observed_at, /^\d{4}-\d\d-\d\dT/);
    const config = await http('GET', `${other.url}/api/policy/config?v=1`);
    assert.equal([config.body.kill_switch, config.body.available_versions], [true, ['rebal.greedy.v1']]);
    const served = await http('GET', `${other.url}/api/policy/moves?v=1&run_key=${encodeURIComponent(keys[0])}`);
    assert.equal(
      [served.body.status, served.body.shadow, served.body.policy_version],
      ['ready', false, 'rebal.greedy.v1'],
    );
    const gates = cliSync(['rebalance', 'gates', '--stage', 'shadow', '--min-samples', '5', '--db', rollbackDb]);
    assert.is(gates.code, 1, gates.stdout + gates.stderr);
    assert.match(gates.stdout, /shadow gates: FAIL over \d+ global-policy runs/);
    assert.match(gates.stdout, /- timeout_rate [0-9.]+ is above the shadow limit 0\.15/);
  } finally {
    await other.close('test done');
  }
});

test('finished runs past POLICY_RUNS_RETENTION_DAYS are pruned at start, with their moves; a pending one is kept', async () => {
  assert.is((await get('/api/policy/status?v=1&run_key=ancient-ready')).status, 404);
  const db = new Database(dbPath, { readonly: true });
  assert.equal(db.prepare(`SELECT COUNT(*) AS n FROM policy_moves WHERE run_id = 'ancient-ready'`).get(), { n: 0 });
  db.close();
  assert.is((await get('/api/policy/status?v=1&run_key=ancient-pending')).body.run_key, 'ancient-pending');
});

test('misconfiguration is refused at start, naming the variable', () => {
  const r = cliSync(['serve', '--port', '0', '--db', path.join(tempDir(), 'x.db')], {
    POLICY_AVAILABLE_VERSIONS: 'rebal.greedy.v1',
    POLICY_DEFAULT_VERSION: 'rebal.global.v1',
  });
  assert.is.not(r.code, 0);
  assert.match(r.stderr, /POLICY_DEFAULT_VERSION: 'rebal.global.v1' is not in POLICY_AVAILABLE_VERSIONS/);
});

test.run();
