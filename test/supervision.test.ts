// Supervision: each actor kind declares what happens when its behaviour throws.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runIt, scenario } from './helpers.js';

const crasherRun = (kind: string) =>
  runIt(scenario({ pack: 'probe', tickMs: 100, partitions: 2, duration: { simMinutes: 1 }, policies: { 'probe.actors': [{ kind }] } }), { workers: 1 }, {}, (run) => {
    run.submit({ kind: 'message', to: 0, body: 'a' });
    run.submit({ kind: 'message', to: 0, body: 'boom' });
    run.submit({ kind: 'message', to: 0, body: 'b' });
  });

test('restart: the actor gets fresh state and keeps receiving', async () => {
  const { summary, events } = await crasherRun('crasher-restart');
  assert.is(summary.status, 'completed');
  assert.is(summary.actorFailures, 1);
  // 'a' counts 1, boom restarts from zero, 'b' counts 1 again.
  assert.equal(events.map((e) => (e.data as { count: number }).count), [1, 1]);
  assert.ok(events.every((e) => e.actorId === 0));
});

test('stop: the actor is removed and later mail is dead-lettered', async () => {
  const { summary, events } = await crasherRun('crasher-stop');
  assert.is(summary.status, 'completed');
  assert.is(summary.actorFailures, 1);
  assert.equal(events.map((e) => (e.data as { count: number }).count), [1]);
  assert.is(summary.counters['runtime.dead_letters'], 1);
});

test('escalate: the run fails, naming the actor', async () => {
  const { summary } = await crasherRun('crasher-escalate');
  assert.is(summary.status, 'failed');
  assert.not.ok(summary.passed);
  assert.match(summary.error ?? '', /actor 0 \(crasher-escalate\)/);
});

test('a hung actor fails the run at the tick watchdog, naming the actor and its kind; the pool serves the next run', async () => {
  const sc = scenario({ pack: 'probe', tickMs: 100, partitions: 2, duration: { simMinutes: 1 }, tickWatchdogSec: 0.5, policies: { 'probe.actors': [{ kind: 'recorder' }, { kind: 'spinner' }] } });
  const { summary } = await runIt(sc, { workers: 2 }, {}, (run) => run.submit({ kind: 'message', to: 1, body: 'spin' }));
  assert.is(summary.status, 'failed');
  assert.is(summary.passed, false);
  assert.match(summary.error ?? '', /ran past the 500 ms watchdog in worker 1: actor 1 \(kind spinner\) was being stepped/);
  // The looping thread was ended, not handed to the next run.
  const next = await runIt(sc, { workers: 2 });
  assert.is(next.summary.status, 'completed');
});

test.run();
