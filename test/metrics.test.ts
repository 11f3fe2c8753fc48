// Metric recording: the hot-path bucket tally must give exactly the histogram that recording
// every value into HDR gives, whatever the values.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import {
  createHistogram,
  encodeHistogram,
  initFastHistograms,
  recordInto,
  statistics,
} from '../runtime/metrics/histogram.js';
import { BucketTally } from '../runtime/metrics/bucket-tally.js';
import { MetricRecorder } from '../runtime/metrics/metric-recorder.js';
import { PACKS, runIt, scenario } from './helpers.js';

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

test("a pack's catalogue leaves as real Prometheus histograms in seconds and labelled counters, matching the HDR source", async () => {
  const { renderPackMetrics } = await import('../server/pack-metrics.js');
  const { loadScenario } = await import('../runtime/scenario/scenario-loader.js');
  const base = loadScenario(PACKS, 'baseline');
  const sc = { ...base, duration: { simHours: 2 }, policies: { ...base.policies, customerSpawnRate: 0.5 } };
  const { run, summary } = await runIt(sc, { seed: 3, workers: 0 });
  const text = renderPackMetrics(PACKS, [run]);
  const sample = (line: string) =>
    Number(new RegExp(`^${line.replace(/[{}".+]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);

  assert.match(text, /# TYPE simcity_api_request_duration_seconds histogram/);
  const search = summary.metrics['api.search.latency_ms'];
  assert.ok(search.count > 100, 'the run made searches');
  assert.is(sample('simcity_api_request_duration_seconds_count{endpoint="search"}'), search.count);
  assert.is(sample('simcity_api_request_duration_seconds_bucket{endpoint="search",le="+Inf"}'), search.count);
  // Buckets are cumulative and, at the p50 boundary, hold at least half the calls.
  const bounds = [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10];
  const cumulative = bounds.map((le) =>
    sample(`simcity_api_request_duration_seconds_bucket{endpoint="search",le="${le}"}`),
  );
  assert.ok(
    cumulative.every((n, i) => i === 0 || n >= cumulative[i - 1]),
    `cumulative: ${cumulative}`,
  );
  const p50Bucket = bounds.findIndex((le) => le >= search.p50 / 1000);
  assert.ok(cumulative[p50Bucket] >= search.count / 2, 'the bucket above p50 holds half the calls');
  const sumS = sample('simcity_api_request_duration_seconds_sum{endpoint="search"}');
  assert.ok(Math.abs(sumS - (search.mean * search.count) / 1000) <= 0.02 * sumS, `sum ${sumS} s vs mean x count`);
  // Labelled counters, with every listed cause present at zero or more.
  for (const cause of ['overload', 'timeout', 'rls_denied', 'rate_limited', 'internal']) {
    assert.is(sample(`simcity_api_errors_total{cause="${cause}"}`), summary.counters[`api.errors.${cause}`] ?? 0);
  }
  assert.is(sample('simcity_api_requests_total'), summary.counters['api.requests']);
  // Endpoints that saw no call are exported at zero.
  assert.ok(text.includes('simcity_api_request_duration_seconds_count{endpoint="cancel"}'));
});

test('counts made after the last interval boundary reach the summary when every actor goes idle early', async () => {
  // A CRM simulation done in its first 20 minutes, with hourly intervals: the partitions' counts
  // are collected only on a collecting tick, so the run's last tick must be one.
  const sc = scenario({
    pack: 'crm',
    tickMs: 50,
    partitions: 2,
    duration: { simHours: 3 },
    metricsIntervalMin: 60,
    policies: { windowHours: 0.25, totalRecords: 200, distribution: 'uniform', secondaryDelayMs: [1000, 60_000] },
  });
  const { summary } = await runIt(sc, { seed: 4, workers: 1 });
  const c = summary.counters;
  assert.ok(c['crm.created'] > 200, 'records and activities were created');
  assert.is(c['crm.generated'], c['crm.created'] + (c['crm.dlq'] ?? 0) + (c['crm.skipped'] ?? 0));
});

test.run();
