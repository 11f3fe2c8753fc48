// /metrics: prom-client text for every run this server hosts. Runtime and pack metrics keep their
// names with dots as underscores under `tickwork_` (api.latency_ms -> tickwork_api_latency_ms);
// counters end in _total; HDR histograms are exported as quantile gauges (p50..p99.9, max);
// every invariant gate of the runbook reports its observed value and whether it passes. Packs'
// own families (their metric catalogues) follow, under the names the pack chose. Series of an
// ended run leave after a grace period.
import client from 'prom-client';
import type { PackCatalogue } from '../runtime/packs/pack-catalogue.js';
import type { RunRegistry } from '../runtime/run/run-registry.js';
import { renderPackMetrics } from './pack-metrics.js';

/** How long an ended run's series stay on /metrics, so a scrape sees its final values. */
export const ENDED_RUN_GRACE_MS = 60_000;

const QUANTILES = [
  ['0.5', 'p50'],
  ['0.9', 'p90'],
  ['0.95', 'p95'],
  ['0.99', 'p99'],
  ['0.999', 'p999'],
  ['1', 'max'],
] as const;
const RUN_LABELS = ['run_id', 'scenario'] as const;

export class PrometheusExporter {
  readonly registry = new client.Registry();
  private readonly families = new Map<string, client.Gauge<string> | client.Counter<string>>();

  constructor(
    private readonly runs: RunRegistry,
    private readonly packs: PackCatalogue,
  ) {
    client.collectDefaultMetrics({ register: this.registry, prefix: 'tickwork_' });
  }

  async render(): Promise<string> {
    this.refresh();
    const exported = this.runs.exported(ENDED_RUN_GRACE_MS).map((h) => h.run);
    return (await this.registry.metrics()) + renderPackMetrics(this.packs, exported);
  }

  private refresh(): void {
    for (const family of this.families.values()) family.reset();
    const byStatus = this.gauge('tickwork_runs', 'runs hosted by this server, by status', ['status']);
    for (const hosted of this.runs.all()) byStatus.inc({ status: hosted.run.status });
    for (const hosted of this.runs.exported(ENDED_RUN_GRACE_MS)) {
      const run = hosted.run;
      const labels = { run_id: run.id, scenario: run.options.scenario.name };
      const s = run.summary();
      this.counter('tickwork_run_ticks', 'ticks executed', RUN_LABELS).inc(labels, s.ticks);
      this.counter('tickwork_run_steps', 'actor steps executed', RUN_LABELS).inc(labels, s.steps);
      this.counter('tickwork_run_messages', 'messages routed', RUN_LABELS).inc(labels, s.messages);
      this.gauge('tickwork_run_sim_seconds', 'simulated time reached', RUN_LABELS).set(labels, s.simTimeMs / 1000);
      this.gauge('tickwork_run_actors', 'live actors', RUN_LABELS).set(labels, s.actors);
      for (const [name, value] of Object.entries(s.counters))
        this.counter(promName(name), `counter ${name}`, RUN_LABELS).inc(labels, value);
      for (const [name, value] of Object.entries(s.gauges))
        this.gauge(promName(name), `gauge ${name}`, RUN_LABELS).set(labels, value);
      for (const [name, summary] of Object.entries(s.metrics)) {
        const g = this.gauge(promName(name), `HDR histogram ${name} (quantiles)`, [...RUN_LABELS, 'quantile']);
        for (const [q, key] of QUANTILES) g.set({ ...labels, quantile: q }, summary[key]);
      }
      const gateLabels = [...RUN_LABELS, 'invariant', 'severity'];
      for (const v of s.invariants) {
        const l = { ...labels, invariant: v.id, severity: v.severity };
        this.gauge('tickwork_invariant_threshold', 'threshold of each invariant gate', gateLabels).set(l, v.threshold);
        if (v.observed !== undefined)
          this.gauge('tickwork_invariant_observed', 'last observed value of each invariant gate', gateLabels).set(
            l,
            v.observed,
          );
        if (v.verdict === 'pass' || v.verdict === 'fail')
          this.gauge('tickwork_invariant_passing', '1 while the gate has never failed, 0 once it has', gateLabels).set(
            l,
            v.verdict === 'pass' ? 1 : 0,
          );
      }
    }
  }

  private gauge(name: string, help: string, labelNames: readonly string[]): client.Gauge<string> {
    return this.family(
      name,
      () => new client.Gauge({ name, help, labelNames, registers: [this.registry] }),
    ) as client.Gauge<string>;
  }

  private counter(name: string, help: string, labelNames: readonly string[]): client.Counter<string> {
    const total = name.endsWith('_total') ? name : `${name}_total`;
    return this.family(
      total,
      () => new client.Counter({ name: total, help, labelNames, registers: [this.registry] }),
    ) as client.Counter<string>;
  }

  private family(name: string, create: () => client.Gauge<string> | client.Counter<string>) {
    let f = this.families.get(name);
    if (!f) {
      f = create();
      this.families.set(name, f);
    }
    return f;
  }
}

function promName(metric: string): string {
  return `tickwork_${metric.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}
