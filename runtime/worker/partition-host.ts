// A partition host runs a set of partitions for one run: inline on the main thread
// (workers = 0) or inside a worker thread. It is the same code either way, which is what makes
// the digest independent of the worker count.
import '../jit-budget.js';
import type { PackModel } from '../packs/pack-model.js';
import { loadPackModel } from '../packs/load-model.js';
import { type MetricDelta, MetricRecorder } from '../metrics/metric-recorder.js';
import { initFastHistograms } from '../metrics/histogram.js';
import { Partition } from '../partition/partition.js';
import { kindLookaheads } from '../partition/lookahead.js';
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
  /**
   * Each kind's lookahead, shared by this host's partitions and updated in place when policies
   * change, so the send check always matches the windows the scheduler plans from the same params.
   */
  private readonly lookaheads: number[] = [];

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
    this.refreshLookaheads();
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
          lookaheads: this.lookaheads,
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

  /**
   * Run one window (protocol.ts, TickTask): every partition at its first tick, then each tick at
   * which one of them has work, up to `until`. Mail between this host's partitions lands at once;
   * mail for other hosts is held to the window's end (the lookahead makes it due after it).
   */
  tick(task: TickTask): HostTickResult {
    this.applyParams(task.params);
    this.deliver(task.inbound);
    const results: PartitionTickResult[] = [];
    // Outbound batches for other hosts, by host: encoded straight from these, not concatenated.
    // Only a host in a worker has other hosts (inline, every partition is local), so mail that
    // leaves a host always crosses a thread and is always encoded.
    const remote: Message[][][] = Array.from({ length: this.hosts }, () => []);
    /** Each partition's latest result in this window. */
    const latest: (PartitionTickResult | undefined)[] = new Array(this.partitions.length);
    let metrics: MetricDelta[] = [];
    for (let t = task.t, escalated = false; ; ) {
      // After every delivery (from other hosts, then from this host's own partitions), so the
      // failing tick is the same whatever the worker count.
      for (const p of this.partitions) p.checkMailboxLimit();
      for (let i = 0; i < this.partitions.length && !escalated; i++) {
        const p = this.partitions[i];
        if (t !== task.t && p.nextDue() > t) continue;
        const r = this.tickPartition(p, t, remote);
        results.push(r);
        latest[i] = r;
        escalated = r.escalated !== undefined;
      }
      if (t === task.t && task.collect) {
        // Measured once the first tick's local mail has landed, as a tick of its own would be.
        latest.forEach((r, i) => {
          if (!r) return;
          r.gauges = this.partitions[i].measure();
          r.audits = this.pack!.audits?.map((a) => a.collect(this.partitions[i], t));
        });
        metrics = [this.metrics.collect()];
      }
      const next = escalated ? Infinity : this.earliestDue();
      if (next > task.until) break;
      t = next;
    }
    // Due times and sizes as of the window's end, on each partition's last result.
    latest.forEach((r, i) => {
      if (!r) return;
      r.nextDue = this.partitions[i].nextDue();
      r.actorCount = this.partitions[i].actorCount;
    });
    this.stepProbe[0] = -1;
    this.stepProbe[1] = -1;
    return {
      partitions: results,
      mail: remote.map((batches) => (batches.length === 0 ? undefined : encodeBatch(batches))),
      metrics,
    };
  }

  /** The next tick at which one of this host's partitions has work (no array per tick: a window asks every tick). */
  private earliestDue(): number {
    let due = Infinity;
    for (const p of this.partitions) due = Math.min(due, p.nextDue());
    return due;
  }

  /** One partition's tick: local mail delivered here, other hosts' mail put aside for the window's end. */
  private tickPartition(p: Partition, t: number, remote: Message[][][]): PartitionTickResult {
    const started = wallNowMs();
    const out = p.tick(t);
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
    return {
      t,
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
      actorCount: 0,
      gauges: undefined,
      audits: undefined,
      execUs,
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
    if (deltas.length > 0) this.refreshLookaheads();
  }

  private refreshLookaheads(): void {
    if (!this.pack) return;
    const now = kindLookaheads(this.pack.kinds, this.params);
    this.lookaheads.length = 0;
    this.lookaheads.push(...now);
  }
}
