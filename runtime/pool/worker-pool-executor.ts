// Partitions on N worker threads for one run. Piscina owns the threads (creation, replacement after
// a death) and they outlive the run (warm-threads.ts); the pinned balancer attaches each slot to
// its own thread once per run, handing it a dedicated MessagePort; every tick then costs one
// message per worker in each direction.
import { RUN_LIMITS } from '../limits.js';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { WarmThreads } from './warm-threads.js';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { HostInspector } from '../worker/host-inspector.js';
import { unpackTickResult, type HostTickWire } from '../worker/tick-result-wire.js';
import type { SealedSnapshot } from '../partition/sealed-snapshot.js';
import { batchBuffers, type MessageBatch } from '../partition/message-batch.js';
import { TickworkError } from '../errors.js';
import { hostOfActor, partitionsOfHost } from '../placement.js';
import {
  mergeHostResults,
  TickAbortedError,
  TickOverrunError,
  WorkerLostError,
  type PartitionExecutor,
  type PoolTickResult,
  type PoolTickTask,
} from './executor.js';
import type { ActorInspection, HostReply, HostRequest, LoadResult, LoadSpec } from '../protocol.js';

/** Distributive Omit, so each variant of the request union keeps its own fields. */
type RequestBody = HostRequest extends infer R ? (R extends HostRequest ? Omit<R, 'id'> : never) : never;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

class WorkerSlot {
  private nextId = 1;
  private pending = new Map<number, Pending>();
  lost = false;

  constructor(
    readonly slot: number,
    readonly port: MessagePort,
    readonly threadId: number,
    /** The worker's inspector (comlink over its own port). */
    readonly inspector: Comlink.Remote<HostInspector>,
    private readonly control: MessagePort,
  ) {
    port.on('message', (reply: HostReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.value);
      else {
        // A tickwork error keeps its code across the thread boundary (a limit, a pack's defect).
        const { message, stack, code } = reply.error;
        p.reject(Object.assign(code ? new TickworkError(code, message) : new Error(message), { stack }));
      }
    });
    port.on('close', () => this.markLost());
  }

  close(): void {
    this.inspector[Comlink.releaseProxy]();
    this.control.close();
    this.port.close();
  }

  markLost(): void {
    if (this.lost) return;
    this.lost = true;
    for (const p of this.pending.values()) p.reject(new WorkerLostError(this.slot));
    this.pending.clear();
  }

  request<T>(body: RequestBody, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.lost) return Promise.reject(new WorkerLostError(this.slot));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.port.postMessage({ ...body, id } as HostRequest, transfer);
    });
  }
}

export class WorkerPoolExecutor implements PartitionExecutor {
  private readonly threads: WarmThreads;
  private slots: WorkerSlot[] = [];
  private partitions = 0;
  readonly hostCount: number;

  /** Ends the tick in flight with an error (set while one is). */
  private endTickInFlight: ((err: Error) => void) | undefined;

  /** Per slot: [actor id, kind index] its host is stepping, shared with the worker. */
  private readonly probes: SharedArrayBuffer[];

  /** @param watchdogMs how long one tick may take in a worker before the run fails (Infinity: never). */
  constructor(
    readonly workerCount: number,
    private readonly watchdogMs = Infinity,
  ) {
    this.hostCount = workerCount;
    this.threads = WarmThreads.acquire(workerCount);
    this.probes = Array.from({ length: workerCount }, () => new SharedArrayBuffer(8));
  }

  async load(
    spec: Omit<LoadSpec, 'indices' | 'snapshots' | 'hosts'>,
    snapshots: SealedSnapshot[] | undefined,
  ): Promise<LoadResult> {
    this.partitions = spec.partitions;
    await this.attachAll();
    const results = await Promise.all(
      this.slots.map((s) => {
        const indices = partitionsOfHost(s.slot, this.workerCount, spec.partitions);
        return s.request<LoadResult>({
          op: 'load',
          spec: {
            ...spec,
            hosts: this.workerCount,
            indices,
            stepProbe: this.probes[s.slot],
            snapshots: snapshots ? indices.map((i) => snapshots[i]) : undefined,
          },
        });
      }),
    );
    const nextDue: number[] = new Array(spec.partitions);
    this.slots.forEach((s, k) => {
      partitionsOfHost(s.slot, this.workerCount, spec.partitions).forEach(
        (p, j) => (nextDue[p] = results[k].nextDue[j]),
      );
    });
    return { nextDue, actorCount: results.reduce((n, r) => n + r.actorCount, 0) };
  }

  async tick(task: PoolTickTask): Promise<PoolTickResult> {
    const answered = new Set<number>();
    const replies = Promise.all(
      this.slots.map((s) => {
        const inbound = task.inbound[s.slot];
        const transfer: ArrayBuffer[] = [];
        batchBuffers(
          inbound.filter((m): m is MessageBatch => !Array.isArray(m)),
          transfer,
        );
        return s
          .request<HostTickWire>(
            { op: 'tick', task: { t: task.t, until: task.until, inbound, params: task.params, collect: task.collect } },
            transfer,
          )
          .then((wire) => {
            answered.add(s.slot);
            return wire;
          });
      }),
    );
    const results = await this.guarded(replies, task.t, answered);
    return mergeHostResults(results.map(unpackTickResult), this.workerCount);
  }

  /**
   * The tick, unless the watchdog fires first (a TickOverrunError: the stuck worker's step marker
   * says which actor it was stepping) or abortTick() ends it. Either way the workers that have not
   * answered are ended: a looping thread never comes back to serve another run. The main thread
   * stays free meanwhile: only the await is pending.
   */
  private async guarded<T>(replies: Promise<T>, t: number, answered: ReadonlySet<number>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const ended = new Promise<never>((_resolve, reject) => {
      const end = (err: Error) => {
        reject(err);
        for (const s of this.slots) if (!answered.has(s.slot)) void this.killWorker(s.slot).catch(() => undefined);
      };
      this.endTickInFlight = end;
      if (!Number.isFinite(this.watchdogMs)) return;
      timer = setTimeout(() => {
        const stuck = this.slots.find((s) => !answered.has(s.slot)) ?? this.slots[0];
        const [actorId, kindIndex] = new Int32Array(this.probes[stuck.slot]);
        end(new TickOverrunError(t, this.watchdogMs, stuck.slot, actorId, kindIndex));
      }, this.watchdogMs);
    });
    replies.catch(() => undefined); // the end wins the race; a late rejection must not go unhandled
    try {
      return await Promise.race([replies, ended]);
    } finally {
      clearTimeout(timer);
      this.endTickInFlight = undefined;
    }
  }

  abortTick(): boolean {
    if (!this.endTickInFlight) return false;
    this.endTickInFlight(new TickAbortedError());
    return true;
  }

  async snapshot(): Promise<SealedSnapshot[]> {
    const all = (await Promise.all(this.slots.map((s) => s.request<SealedSnapshot[]>({ op: 'snapshot' })))).flat();
    return all.sort((a, b) => a.index - b.index);
  }

  async inspect(actorId: number): Promise<ActorInspection | undefined> {
    const slot = this.slots[hostOfActor(actorId, this.partitions, this.workerCount)];
    if (!slot || slot.lost) return undefined;
    // A worker stuck in a tick never answers: the caller gets an error, not a hung request.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new TickworkError(
              'TW_ERR_UNAVAILABLE',
              `worker ${slot.slot} did not answer within ${RUN_LIMITS.inspectTimeoutMs} ms: it is busy in a long or stuck tick`,
            ),
          ),
        RUN_LIMITS.inspectTimeoutMs,
      );
    });
    try {
      return await Promise.race([slot.inspector.inspect(actorId), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async killWorker(slot: number): Promise<void> {
    const s = this.slots[slot];
    const worker = this.threads.pool.threads.find((w) => w.threadId === s?.threadId);
    if (!worker) throw new Error(`no live worker in slot ${slot}`);
    this.retire(s);
    s.markLost();
    await worker.terminate();
  }

  async close(): Promise<void> {
    for (const s of this.slots) s.close();
    this.threads.release();
  }

  /** Attach every slot that has no live worker (all of them at first, the dead ones later). */
  private async attachAll(): Promise<void> {
    const next: WorkerSlot[] = [];
    await Promise.all(
      Array.from({ length: this.workerCount }, async (_, slot) => {
        const existing = this.slots[slot];
        if (existing && !existing.lost) {
          next[slot] = existing;
          return;
        }
        if (existing) {
          this.retire(existing);
          existing.close();
        }
        next[slot] = await this.attach(slot);
      }),
    );
    this.slots = next;
  }

  private async attach(slot: number, attempts = 3): Promise<WorkerSlot> {
    const { port1, port2 } = new MessageChannel();
    const control = new MessageChannel();
    const task = { slot, port: port2, control: control.port2, [WarmThreads.queueOptions]: { slot } };
    try {
      const attached = (await this.threads.pool.run(task, { transferList: [port2, control.port2] })) as {
        threadId: number;
      };
      const inspector = Comlink.wrap<HostInspector>(nodeEndpoint(control.port1));
      return new WorkerSlot(slot, port1, attached.threadId, inspector, control.port1);
    } catch (err) {
      // The chosen thread was on its way out; piscina starts another.
      port1.close();
      control.port1.close();
      this.threads.slotToWorker.delete(slot);
      if (attempts <= 1) throw err;
      return this.attach(slot, attempts - 1);
    }
  }

  private retire(s: WorkerSlot): void {
    this.threads.retired.add(s.threadId);
    this.threads.slotToWorker.delete(s.slot);
  }
}
