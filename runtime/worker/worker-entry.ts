// Piscina task module. Piscina owns the worker threads (start, replace, limits); each worker is
// attached once to a dedicated MessagePort, and ticks travel on that port rather than as piscina
// tasks, because a tick round trip on a raw port is cheaper than a pooled task (see DESIGN.md).
import { threadId, type MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { PartitionHost } from './partition-host.js';
import { createHostInspector } from './host-inspector.js';
import type { HostReply, HostRequest } from '../protocol.js';
import { packTickResult, type HostTickWire } from './tick-result-wire.js';
import type { SealedSnapshot } from '../partition/sealed-snapshot.js';
import { batchBuffers, type MessageBatch } from '../partition/message-batch.js';

export interface AttachTask {
  slot: number;
  /** Ticks, loads and snapshots: the data plane. */
  port: MessagePort;
  /** The inspector, over comlink: the control plane. */
  control: MessagePort;
}

export default function attach({ slot, port, control }: AttachTask): { slot: number; threadId: number } {
  const host = new PartitionHost();
  Comlink.expose(createHostInspector(host), nodeEndpoint(control));
  port.on('message', (req: HostRequest) => {
    // Ticks are answered synchronously, in their compact wire form.
    if (req.op === 'tick') {
      const reply = tickReply(host, req);
      port.postMessage(reply, transferables(reply));
    } else void handle(host, req).then((reply) => port.postMessage(reply, req.op === 'snapshot' && reply.ok ? snapshotBuffers(reply.value as SealedSnapshot[]) : []));
  });
  return { slot, threadId };
}

function tickReply(host: PartitionHost, req: Extract<HostRequest, { op: 'tick' }>): HostReply {
  try {
    return { id: req.id, ok: true, value: packTickResult(host.tick(req.task)) };
  } catch (err) {
    return failure(req.id, err);
  }
}

/** Sealed snapshots are transferred, not copied. */
function snapshotBuffers(sealed: SealedSnapshot[]): ArrayBuffer[] {
  return sealed.map((s) => s.bytes.buffer as ArrayBuffer);
}

/** Outbound message batches are transferred, not copied. */
function transferables(reply: HostReply): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  if (!reply.ok) return buffers;
  const mail = (reply.value as HostTickWire).mail;
  batchBuffers(mail.filter((m): m is MessageBatch => m !== undefined && !Array.isArray(m)), buffers);
  return buffers;
}

function failure(id: number, err: unknown): HostReply {
  const e = err instanceof Error ? err : new Error(String(err));
  return { id, ok: false, error: { message: e.message, stack: e.stack } };
}

/** Loads may await a pack import; snapshots are rare (and arrive sealed into bytes). */
async function handle(host: PartitionHost, req: Exclude<HostRequest, { op: 'tick' }>): Promise<HostReply> {
  try {
    switch (req.op) {
      case 'load':
        return { id: req.id, ok: true, value: await host.load(req.spec) };
      case 'snapshot':
        return { id: req.id, ok: true, value: host.snapshot() };
    }
  } catch (err) {
    return failure(req.id, err);
  }
}
