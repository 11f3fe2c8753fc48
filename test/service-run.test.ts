// Open-ended service runs: no duration of their own, ended by a stop. Their input log is compacted
// behind the older kept checkpoint and old metric rows are thinned to one an hour, so a run of
// weeks keeps a flat store; a replay starts from the older checkpoint and still matches.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../runtime/store/store.js';
import { resolveRunOptions } from '../runtime/run/run-options.js';
import { reproduceCommand } from '../runtime/run/run-summary.js';
import { formatDurationMs } from '../runtime/scenario/duration.js';
import { cliSync, lastJsonLine, runIt, scenario, tempDir } from './helpers.js';

const HOUR = 3_600_000;

test('a service run compacts its input log and thins old metric rows; its replay from the older checkpoint matches', async () => {
  const db = path.join(tempDir(), 'service.db');
  const store = new Store(db);
  const sc = scenario({
    pack: 'ledger',
    tickMs: 10_000,
    partitions: 4,
    duration: { openEnded: true },
    policies: { accounts: 200, initialBalance: 1000, maxTransfer: 100, transferEveryMs: 60_000, transitMaxMs: 5000 },
    metricsIntervalMin: 10,
    checkpointEveryMin: 60,
  });
  let submitted = 0;
  const { summary } = await runIt(sc, { workers: 2, pace: 'turbo' }, { store }, (run) => {
    run.bus.on('tick', (e) => {
      // One policy change per sim hour, then a stop at 40 sim hours.
      if (e.simMs >= (submitted + 1) * HOUR && submitted < 40) {
        submitted++;
        run.submit(
          submitted === 40
            ? { kind: 'stop', reason: 'service drill over' }
            : { kind: 'policy', policies: { maxTransfer: 50 + (submitted % 5) } },
        );
      }
    });
  });
  assert.is(summary.status, 'stopped');
  assert.ok(summary.simTimeMs >= 40 * HOUR && summary.simTimeMs < 41 * HOUR, `stopped at ${summary.simTimeMs}`);
  store.close();

  const file = new Database(db, { readonly: true });
  const checkpoints = (
    file.prepare('SELECT tick_ms FROM run_checkpoints WHERE run_id = ? ORDER BY tick_ms').all(summary.runId) as {
      tick_ms: number;
    }[]
  ).map((r) => r.tick_ms);
  const inputs = file.prepare('SELECT tick_ms FROM run_inputs WHERE run_id = ? ORDER BY seq').all(summary.runId) as {
    tick_ms: number;
  }[];
  assert.ok(inputs.length > 0 && inputs.length < 5, `kept ${inputs.length} of 40 inputs`);
  assert.ok(
    inputs.every((i) => i.tick_ms > checkpoints[0] - HOUR),
    'only inputs after the compaction point are kept',
  );
  const metricTimes = (
    file
      .prepare(
        "SELECT DISTINCT sim_ms FROM run_metrics WHERE run_id = ? AND name = 'ledger.balance_total' ORDER BY sim_ms",
      )
      .all(summary.runId) as { sim_ms: number }[]
  ).map((r) => r.sim_ms);
  const old = metricTimes.filter((t) => t < summary.simTimeMs - 25 * HOUR);
  const recent = metricTimes.filter((t) => t > summary.simTimeMs - 23 * HOUR);
  assert.ok(old.length > 5 && old.every((t) => t % HOUR === 0), `old rows hourly: ${old.slice(0, 8)}`);
  assert.ok(
    recent.some((t) => t % HOUR !== 0),
    'recent rows at full resolution (10 sim minutes)',
  );
  file.close();

  // By prefix: the replay must still find the run's own inputs.
  const replay = cliSync(['replay', summary.runId.slice(0, 8), '--db', db, '--json']);
  assert.is(replay.code, 0, replay.stderr);
  assert.equal(lastJsonLine(replay.stdout), {
    runId: summary.runId,
    digest: summary.digest,
    expected: summary.digest,
    match: true,
    comparedAt: { status: 'stopped', simMs: summary.simTimeMs, ticks: summary.ticks },
  });
});

test('an open-ended scenario is paced 1:1 by default and says so', () => {
  const sc = scenario({ pack: 'ledger', duration: { openEnded: true } });
  const options = resolveRunOptions('service', sc, { seed: 1 });
  assert.is(options.pace, 1);
  assert.is(formatDurationMs(options.durationMs), 'open-ended');
  assert.not.match(reproduceCommand(options), /--duration/);
  const both = () => scenario({ pack: 'ledger', duration: { openEnded: true, simHours: 2 } });
  assert.throws(both, /give simHours or simMinutes, or openEnded: true/);
});

test.run();
