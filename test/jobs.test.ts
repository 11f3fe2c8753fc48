// Pack jobs: stateless work on the job pool, asked for by actors as `job:<name>` effects. Results
// come back as logged inputs (a replay needs no pool), and a job over its budget is ended and
// answers `timeout` while the run and the pool carry on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { PackCatalogue } from '../runtime/packs/pack-catalogue.js';
import { parseScenario } from '../runtime/scenario/scenario-loader.js';
import { Store } from '../runtime/store/store.js';
import { PACKS, runIt, tempDir } from './helpers.js';

const jobsModule = new URL('../actors/probe/io/jobs.js', import.meta.url).href;
const packs = new PackCatalogue([
  {
    ...PACKS.get('probe'),
    io: {
      jobs: {
        square: { worker: { url: jobsModule, export: 'square' }, budgetMs: 10_000 },
        spin: { worker: { url: jobsModule, export: 'spin' }, budgetMs: 200 },
      },
    },
  },
]);

const callers = (effect: string, calls: number) =>
  parseScenario(packs, {
    name: effect.replace(':', '-'),
    pack: 'probe',
    tickMs: 100,
    partitions: 2,
    duration: { simMinutes: 1 },
    policies: { 'probe.actors': [{ kind: 'effect-caller', args: { url: '', effect, calls, everyMs: 1000 } }] },
  });

const results = (events: { type: string; data: unknown }[]) =>
  events
    .filter((e) => e.type === 'effect-result')
    .map((e) => e.data as { effectId: string; ok: boolean; value: any })
    .sort((a, b) => Number(a.effectId.split(':')[1]) - Number(b.effectId.split(':')[1]));

test('a job runs in a pool thread, its result is logged, and a replay reproduces the run without the pool', async () => {
  const store = new Store(path.join(tempDir(), 'jobs.db'));
  const live = await runIt(callers('job:square', 4), { workers: 1 }, { packs, store });
  assert.equal(
    results(live.events).map((r) => [r.ok, r.value]),
    [0, 1, 2, 3].map((n) => [true, { square: n * n, inPool: true }]),
  );
  const logged = store.inputs(live.summary.runId);
  assert.is(logged.filter((i) => i.kind === 'effect-result').length, 4);
  // A catalogue whose job cannot run: the replay must take every result from the log.
  const broken = new PackCatalogue([
    {
      ...PACKS.get('probe'),
      io: { jobs: { square: { worker: { url: jobsModule, export: 'missing' }, budgetMs: 10 } } },
    },
  ]);
  const replay = await runIt(
    callers('job:square', 4),
    { workers: 2 },
    {
      packs: broken,
      mode: 'replay',
      inputs: logged.map((l) => ({ seq: l.seq, tickMs: l.tickMs, input: l.payload as never })),
    },
  );
  assert.is(replay.summary.digest, live.summary.digest);
  store.close();
});

test('a job over its budget answers timeout; the run completes and the pool still serves', async () => {
  const spun = await runIt(callers('job:spin', 2), { workers: 0 }, { packs });
  assert.is(spun.summary.status, 'completed');
  assert.equal(
    results(spun.events).map((r) => [r.ok, r.value]),
    [
      [false, { error: 'timeout' }],
      [false, { error: 'timeout' }],
    ],
  );
  const after = await runIt(callers('job:square', 1), { workers: 0 }, { packs });
  assert.equal(
    results(after.events).map((r) => r.value),
    [{ square: 0, inPool: true }],
  );
});

test('a deterministic job (resultAfterMs) is applied exactly that long after its request, however slow the pool: same run, same digest', async () => {
  const timed = (worker: string, workers: number) => {
    const catalogue = new PackCatalogue([
      {
        ...PACKS.get('probe'),
        io: {
          jobs: { square: { worker: { url: jobsModule, export: worker }, budgetMs: 10_000, resultAfterMs: 2500 } },
        },
      },
    ]);
    return runIt(callers('job:square', 4), { workers }, { packs: catalogue });
  };
  const fast = await timed('square', 0);
  const slow = await timed('slowSquare', 2);
  const at = (events: { type: string; simMs?: number; data: unknown }[]) =>
    events.filter((e) => e.type === 'effect-result').map((e) => e.simMs);
  assert.equal(
    results(slow.events).map((r) => r.value),
    [0, 1, 2, 3].map((n) => ({ square: n * n, inPool: true })),
  );
  // Requests at 0, 1, 2 and 3 s after the first; each result 2.5 s later, whether it took 0 or 300 ms.
  const first = at(fast.events)[0]!;
  assert.ok(first >= 2500, `first result at ${first} ms`);
  assert.equal(at(fast.events), [first, first + 1000, first + 2000, first + 3000]);
  assert.equal(at(slow.events), at(fast.events));
  assert.is(slow.summary.digest, fast.summary.digest);
});

test.run();
