// The memory_growth gate judges a leak by its trend per sim day, not by the machine's share: a run
// that leaks fails it; the same run without the leak passes. Its own file: the leak it provokes
// stays in this process until it exits.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runIt, scenario } from './helpers.js';

const soakLike = (actors: unknown[]) =>
  scenario({
    pack: 'probe',
    tickMs: 60_000,
    partitions: 1,
    duration: { simHours: 48 },
    metricsIntervalMin: 30,
    invariants: ['memory_growth'],
    policies: { 'probe.actors': actors },
  });

test('no leak: memory_growth passes, judged once at the end with a trend per sim day', async () => {
  // The same actor waking as often, allocating nothing: only the leak differs.
  const { summary } = await runIt(soakLike([{ kind: 'leaker', args: { kb: 0, everyMs: 15 * 60_000 } }]), {
    workers: 0,
  });
  const gate = summary.invariants.find((i) => i.id === 'memory_growth')!;
  assert.is(gate.verdict, 'pass', JSON.stringify(gate));
  assert.is(gate.evaluations, 1);
  assert.ok(gate.observed! < 64, `trend ${gate.observed} MB per sim day`);
});

test('a leak of 4 MiB every 15 sim minutes (384 MiB per sim day) fails memory_growth and the run', async () => {
  const { summary } = await runIt(soakLike([{ kind: 'leaker', args: { kb: 4096, everyMs: 15 * 60_000 } }]), {
    workers: 0,
  });
  const gate = summary.invariants.find((i) => i.id === 'memory_growth')!;
  assert.is(gate.verdict, 'fail', JSON.stringify(gate));
  assert.ok(gate.observed! > 100, `trend ${gate.observed} MB per sim day`);
  assert.is(summary.passed, false);
});

test.run();
