// A run not told how many workers to use chooses: inline while it measures, workers only when its
// ticks carry enough work and the workers prove faster, and the summary says what and why. The
// choice (and a handover mid-run, either way) never changes the run's digest.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cliSync, lastJsonLine, runIt, smallLedger } from './helpers.js';
import { EXECUTOR_TRIAL, ExecutorChooser } from '../runtime/pool/executor-chooser.js';

const sc = smallLedger();
/** A short trial: decisions at the first metrics-interval ends, whatever the host's speed. */
const quickTrial = { trialWallMs: 0, minTrialTicks: 5, warmupTicks: 2 };

test('a small world settles inline: its ticks hold too little work to pay for a barrier', async () => {
  const inline = await runIt(sc, { seed: 5, workers: 0 });
  const auto = await runIt(sc, { seed: 5, workers: 2, autoWorkers: true, executorTrial: quickTrial });
  assert.is(auto.summary.status, 'completed', auto.summary.error);
  assert.is(auto.summary.digest, inline.summary.digest);
  const choice = auto.summary.executor!;
  assert.is(choice.mode, 'auto');
  assert.is(choice.workers, 0);
  assert.match(choice.reason, /^[\d.]+ µs of work per window, under the 2000 µs/);
  assert.ok(choice.inlineUsPerStep! > 0);
  assert.is(choice.workersUsPerStep, undefined, 'workers were not tried');
});

test('a trial on workers hands the partitions over mid-run and keeps the faster executor; the digest is unchanged', async () => {
  const inline = await runIt(sc, { seed: 6, workers: 0 });
  const fixed = await runIt(sc, { seed: 6, workers: 2 });
  // Any work per tick is enough here: the run moves to 2 workers at an interval end, measures,
  // and stays or moves back inline.
  const auto = await runIt(sc, {
    seed: 6,
    workers: 2,
    autoWorkers: true,
    executorTrial: { ...quickTrial, minWorkPerTickUs: 0 },
  });
  assert.is(auto.summary.status, 'completed', auto.summary.error);
  assert.is(auto.summary.digest, inline.summary.digest);
  assert.is(fixed.summary.digest, inline.summary.digest);
  const choice = auto.summary.executor!;
  assert.is(choice.mode, 'auto');
  assert.ok(choice.inlineUsPerStep! > 0 && choice.workersUsPerStep! > 0, JSON.stringify(choice));
  const faster = choice.workersUsPerStep! < choice.inlineUsPerStep!;
  assert.is(choice.workers, faster ? 2 : 0, JSON.stringify(choice));
  assert.match(choice.reason, faster ? /^[\d.]+x the inline rate/ : /^2 workers ran at [\d.]+x/);
  // Nothing recorded was lost in the handovers: the ledger's books balance in every interval.
  assert.ok(auto.summary.passed);
  assert.equal(auto.summary.counters, inline.summary.counters);
});

test('a settled choice is re-checked: workers are tried again when the work per window grows, and left when it shrinks', () => {
  const chooser = new ExecutorChooser(2, { ...EXECUTOR_TRIAL, trialWallMs: 0, warmupTicks: 0, recheckWallMs: 0 });
  const windows = (n: number, wallUs: number, steps: number, workUs: number) => {
    for (let i = 0; i < n; i++) chooser.observe(wallUs, steps, workUs);
  };
  windows(30, 120, 10, 100); // a small world: 100 µs of work per window
  assert.is(chooser.decide(), 'stay');
  assert.is(chooser.choice.workers, 0);
  windows(30, 150, 12, 120); // grown a little: under the bar
  assert.is(chooser.decide(), 'stay');
  windows(30, 6000, 500, 5000); // the city grew: 5 ms of work per window
  assert.is(chooser.decide(), 'to-workers');
  assert.match(chooser.choice.reason, /^re-checked: work per window grew to 5000 µs; trying 2 workers/);
  windows(30, 3500, 500, 5000); // and the workers beat the inline rate measured just before
  assert.is(chooser.decide(), 'stay');
  assert.equal([chooser.choice.workers, chooser.choice.rechecks], [2, 1]);
  assert.match(chooser.choice.reason, /^[\d.]+x the inline rate/);
  windows(30, 900, 60, 600); // the load fell away: 600 µs per window, under half the bar
  assert.is(chooser.decide(), 'to-inline');
  assert.equal([chooser.choice.workers, chooser.choice.rechecks], [0, 2]);
  assert.match(chooser.choice.reason, /^re-checked: work per window fell to 600 µs/);
  windows(30, 900, 60, 600);
  assert.is(chooser.decide(), 'stay', 'no new trial without new growth');
});

test('re-checks that move the partitions back and forth mid-run leave the digest and counters as inline', async () => {
  const inline = await runIt(sc, { seed: 9, workers: 0 });
  // Every interval end re-checks and, on any growth at all, tries the workers again.
  const auto = await runIt(sc, {
    seed: 9,
    workers: 2,
    autoWorkers: true,
    executorTrial: { ...quickTrial, minWorkPerTickUs: 0, recheckWallMs: 0, retrialGrowth: 0 },
  });
  assert.is(auto.summary.status, 'completed', auto.summary.error);
  assert.is(auto.summary.digest, inline.summary.digest);
  assert.equal(auto.summary.counters, inline.summary.counters);
  const choice = auto.summary.executor!;
  // Workers that stay faster are kept (no re-check moves them); workers that lose are tried again.
  if (choice.workers === 0) assert.ok((choice.rechecks ?? 0) >= 1, JSON.stringify(choice));
});

test('an inspector that asks before the partitions are loaded, or after a run on workers ended, gets no actor, not an error', async () => {
  let early: Promise<unknown> | undefined;
  const { summary, run } = await runIt(sc, { seed: 8, workers: 1 }, {}, (r) => {
    early = r.inspectActor(0);
  });
  assert.is(await early, undefined);
  assert.is(summary.status, 'completed');
  // The worker threads went with the run: after its end there is no actor to read.
  assert.is(await run.inspectActor(0), undefined);
});

test('the inspector answers while the run runs', async () => {
  let asked: Promise<unknown> | undefined;
  await runIt(sc, { seed: 8, workers: 1 }, {}, (r) =>
    r.bus.on('tick', () => {
      asked ??= r.inspectActor(0);
    }),
  );
  assert.is(((await asked) as { kind: string } | undefined)?.kind, 'account');
});

test('a worker count that was asked for is kept and reported as fixed', async () => {
  const { summary } = await runIt(sc, { seed: 7, workers: 1 });
  assert.equal(summary.executor, { mode: 'fixed', workers: 1, reason: 'as asked' });
});

test('the CLI chooses by default and says so; --workers fixes the count', () => {
  const auto = cliSync(['run', 'ledger', '--seed', '3', '--duration', '10m', '--pace', 'turbo', '--json']);
  assert.is(auto.code, 0, auto.stderr);
  assert.match(auto.stderr.split('\n')[0], /workers=auto\(<=\d\)/);
  const summary = lastJsonLine(auto.stdout);
  assert.is((summary.executor as { mode: string }).mode, 'auto');
  assert.not.match(summary.reproduce as string, /--workers/);
  const fixed = cliSync(['run', 'ledger', '--seed', '3', '--duration', '10m', '--pace', 'turbo', '--workers', '0']);
  assert.is(fixed.code, 0, fixed.stderr);
  assert.match(fixed.stdout, /executor inline \(fixed\): as asked/);
});

test.run();
