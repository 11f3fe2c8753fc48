// A partition host runs a set of partitions for one run: inline on the main thread
// (workers = 0) or inside a worker thread. It is the same code either way, which is what makes
// the digest independent of the worker count.
import '../jit-budget.js';
import type { PackModel } from '../packs/pack-model.js';
import { loadPackModel } from '../packs/load-model.js';
import { MetricRecorder } from '../metrics/metric-recorder.js';
import { initFastHistograms } from '../metrics/histogram.js';
import { Partition } from '../partition/partition.js';
import { partitionOfActor } from '../placement.js';
import { wallNowMs } from '../pacing.js';
import { decodeBatch, encodeBatch } from '../partition/message-batch.js';
import { seal, unseal, type SealedSnapshot } from '../partition/sealed-snapshot.js';
import type { Mail, Message } from '../partition/message.js';
import type {
  ActorInspection,
  HostTickResult,
  LoadResult,
  LoadSpec,
  ParamDelta,
  PartitionTickResult,
  TickTask,
} from '../protocol.js';

export class PartitionHost {
  private partitions: Partition[] = [];
  private readonly params = new Map<string, unknown>();
  private readonly metrics = new MetricRecorder();
  private pack: PackModel | undefined;
  /** Shared with the main thread when the host is a worker: [actor id, kind index] being stepped. */
  private stepProbe: Int32Array<ArrayBufferLike> = new Int32Array(2);
  private hosts = 1;
  private partitionCount = 0;
  /** Partition index -> position in this.partitions. */
  private local = new Map<number, number>();

  async load(spec: LoadSpec): Promise<LoadResult> {
    // A host loads again when a run recovers from a worker's death (every host restores the last
    // checkpoint): let the old partitions go before building the new ones, so the heap does not
    // hold both. (Each run attaches a new host, so a run never sees the previous run's.)
    this.partitions = [];
    this.stepProbe = spec.stepProbe ? new Int32Array(spec.stepProbe) : new Int32Array(2);
    this.stepProbe.fill(-1);
    await initFastHistograms();
    this.pack = await loadPackModel(spec.pack);
    const pack = this.pack;
    this.hosts = spec.hosts;
    this.partitionCount = spec.partitions;
    this.local = new Map(spec.indices.map((index, i) => [index, i]));
    this.params.clear();
    this.applyParams(spec.params);
    this.metrics.discard();
    this.partitions = spec.indices.map(
      (index) =>
        new Partition({
          index,
          partitions: spec.partitions,
          tickMs: spec.tickMs,
          seed: spec.seed,
          kinds: pack.kinds,
          reporters: pack.reporters ?? [],
          params: this.params,
          metrics: this.metrics,
          stepProbe: this.stepProbe,
        }),
    );
    this.partitions.forEach((p, i) => {
      const snap = spec.snapshots?.[i];
      if (snap) p.restore(unseal(snap));
      else p.setup((ctx) => pack.setup(ctx));
    });
    return {
      nextDue: this.partitions.map((p) => p.nextDue()),
      actorCount: this.partitions.reduce((n, p) => n + p.actorCount, 0),
    };
  }

  tick(task: TickTask): HostTickResult {
    this.applyParams(task.params);
    this.deliver(task.inbound);
    for (const p of this.partitions) p.checkMailboxLimit();
    const results: PartitionTickResult[] = [];
    // Outbound batches for other hosts, by host: encoded straight from these, not concatenated.
    // Only a host in a worker has other hosts (inline, every partition is local), so mail that
    // leaves a host always crosses a thread and is always encoded.
    const remote: Message[][][] = Array.from({ length: this.hosts }, () => []);
    for (const p of this.partitions) {
      const started = wallNowMs();
      const out = p.tick(task.t);
      const execUs = (wallNowMs() - started) * 1000;
      let sent = 0;
      if (out.steps > 0) {
        const outbound = out.outbound;
        for (let dest = 0; dest < outbound.length; dest++) {
          const batch = outbound[dest];
          if (!batch) continue;
          sent += batch.length;
          const local = this.local.get(dest);
          if (local !== undefined) {
            // Mail between partitions of this host stays here: no encoding, no trip through the
            // scheduler. Everything sent at t is due after t, so a partition later in this loop
            // cannot see it this tick, and delivery sorts canonically whatever the arrival order.
            this.partitions[local].deliver(batch);
            outbound[dest] = undefined;
          } else {
            remote[dest % this.hosts].push(batch);
          }
        }
      }
      // Fields by name, not object spread: spreading costs microseconds per partition per tick.
      results.push({
        digestA: out.digestA,
        digestB: out.digestB,
        effects: out.effects,
        events: out.events,
        failures: out.failures,
        steps: out.steps,
        sent,
        deadLetters: out.deadLetters,
        escalated: out.escalated,
        index: p.index,
        nextDue: 0,
        actorCount: p.actorCount,
        gauges: undefined,
        audits: undefined,
        execUs,
      });
      if (out.escalated) break;
    }
    // Due times and measurements once every partition has ticked and local mail has landed.
    for (let i = 0; i < results.length; i++) {
      const p = this.partitions[i];
      const r = results[i];
      r.nextDue = p.nextDue();
      if (task.collect) {
        r.gauges = p.measure();
        r.audits = this.pack!.audits?.map((a) => a.collect(p, task.t));
      }
    }
    this.stepProbe[0] = -1;
    this.stepProbe[1] = -1;
    return {
      partitions: results,
      mail: remote.map((batches) => (batches.length === 0 ? undefined : encodeBatch(batches))),
      metrics: task.collect ? [this.metrics.collect()] : [],
    };
  }

  private deliver(inbound: Mail[]): void {
    // Straight into the owning partition's mailbox: no intermediate array of inbound messages.
    const route = (m: Message) => {
      const i = this.local.get(partitionOfActor(m.to, this.partitionCount));
      if (i === undefined) throw new Error(`message for actor ${m.to} reached a host that does not own its partition`);
      this.partitions[i].deliverOne(m);
    };
    for (const mail of inbound) {
      if (Array.isArray(mail)) {
        for (let k = 0; k < mail.length; k++) route(mail[k]);
      } else {
        decodeBatch(mail, route);
      }
    }
  }

  snapshot(): SealedSnapshot[] {
    return this.partitions.map((p) => seal(p.snapshot()));
  }

  stats(): { partitions: number[]; actors: number } {
    return {
      partitions: this.partitions.map((p) => p.index),
      actors: this.partitions.reduce((n, p) => n + p.actorCount, 0),
    };
  }

  inspect(actorId: number): ActorInspection | undefined {
    for (const p of this.partitions) {
      const found = p.inspect(actorId);
      if (found) return found;
    }
    return undefined;
  }

  private applyParams(deltas: ParamDelta[]): void {
    for (const [name, value] of deltas) {
      if (value === undefined) this.params.delete(name);
      else this.params.set(name, value);
    }
  }
}
