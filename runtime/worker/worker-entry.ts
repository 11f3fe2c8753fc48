// Piscina task module. Piscina owns the worker threads (start, replace, limits); for each run a
// worker serves it is attached to a dedicated MessagePort, and ticks travel on that port rather
// than as piscina tasks, because a tick round trip on a raw port is cheaper than a pooled task.
import { TickworkError } from '../errors.js';
import { threadId, type MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { PartitionHost } from './partition-host.js';
import { createHostInspector } from './host-inspector.js';
import type { HostReply, HostRequest } from '../protocol.js';
import { packTickResult } from './tick-result-wire.js';
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
  const send = ({ reply, transfer }: Answer) => port.postMessage(reply, transfer);
  port.on('message', (req: HostRequest) => {
    // Ticks are answered synchronously; loads may await a pack import.
    if (req.op === 'tick') send(tick(host, req));
    else void handle(host, req).then(send);
  });
  return { slot, threadId };
}

/** A reply and the buffers that move with it (transferred, not copied). */
interface Answer {
  reply: HostReply;
  transfer: ArrayBuffer[];
}

/** A tick result in its compact wire form; outbound message batches move with it. */
function tick(host: PartitionHost, req: Extract<HostRequest, { op: 'tick' }>): Answer {
  try {
    const wire = packTickResult(host.tick(req.task));
    const transfer: ArrayBuffer[] = [];
    batchBuffers(
      wire.mail.filter((m): m is MessageBatch => m !== undefined && !Array.isArray(m)),
      transfer,
    );
    return { reply: { id: req.id, ok: true, value: wire }, transfer };
  } catch (err) {
    return failure(req.id, err);
  }
}

async function handle(host: PartitionHost, req: Exclude<HostRequest, { op: 'tick' }>): Promise<Answer> {
  try {
    switch (req.op) {
      case 'load':
        return { reply: { id: req.id, ok: true, value: await host.load(req.spec) }, transfer: [] };
      case 'snapshot': {
        // Partitions are sealed into bytes here; the bytes move to the main thread.
        const sealed = host.snapshot();
        return {
          reply: { id: req.id, ok: true, value: sealed },
          transfer: sealed.map((s) => s.bytes.buffer as ArrayBuffer),
        };
      }
    }
  } catch (err) {
    return failure(req.id, err);
  }
}

function failure(id: number, err: unknown): Answer {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = e instanceof TickworkError ? e.code : undefined;
  return { reply: { id, ok: false, error: { message: e.message, stack: e.stack, code } }, transfer: [] };
}
