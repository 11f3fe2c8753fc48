// Metric recording: the hot-path bucket tally must give exactly the histogram that recording
// every value into HDR gives, whatever the values.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { createHistogram, encodeHistogram, initFastHistograms, recordInto, statistics } from '../runtime/metrics/histogram.js';
import { BucketTally } from '../runtime/metrics/bucket-tally.js';
import { MetricRecorder } from '../runtime/metrics/metric-recorder.js';

function values(): number[] {
  const rng = xoroshiro128plus(42);
  const out = [0, -3, 0.4, 0.5, 1, 127, 128, 255, 256, 257, 1023.7, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 5e12];
  for (let i = 0; i < 20_000; i++) {
    // Log-uniform over 1 .. 10^9, plus some small integers: every bucket size gets exercised.
    out.push(Math.floor(10 ** (uniformInt(rng, 0, 9_000_000) / 1_000_000)));
    out.push(uniformInt(rng, 0, 300));
  }
  return out;
}

test('a tallied histogram equals one recorded value by value', async () => {
  await initFastHistograms();
  for (const fast of [false, true]) {
    const direct = createHistogram(fast);
    const tallied = createHistogram(fast);
    const tally = new BucketTally();
    for (const v of values()) {
      recordInto(direct, v);
      if (!tally.record(v)) recordInto(tallied, v);
    }
    tally.drainInto(tallied);
    assert.equal(statistics(tallied), statistics(direct), `fast=${fast}`);
    assert.is(encodeHistogram(tallied), encodeHistogram(direct), `fast=${fast}`);
    direct.destroy();
    tallied.destroy();
  }
});

test('the recorder ships what was observed since the last collection, then starts again', async () => {
  await initFastHistograms();
  const recorder = new MetricRecorder();
  for (let v = 1; v <= 1000; v++) recorder.observe('m', v);
  recorder.count('c', 3);
  const first = recorder.collect();
  assert.equal(first.counters, { c: 3 });
  const reference = createHistogram();
  for (let v = 1; v <= 1000; v++) recordInto(reference, v);
  assert.is(first.histograms.m, encodeHistogram(reference));
  const second = recorder.collect();
  assert.equal(second, { histograms: {}, counters: {} });
});

test.run();
