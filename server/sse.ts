// Server-Sent Events for one run: a `hello` with what a watcher needs to draw the run (scenario,
// gates with thresholds, timeline, interval history so far), then `tick` (throttled: a turbo run
// ticks thousands of times a second), `interval` (one closed metrics interval), `violation`,
// `input` (a live policy or event), `run` (lifecycle), and `end` with the summary.
// Streams are capped (SERVER_LIMITS.maxStreamClients) and a client that stops reading is dropped
// once its queue passes SERVER_LIMITS.maxStreamBufferBytes: the server's memory is not the
// slowest watcher's buffer. Dropping is safe because a reconnect's `hello` carries the history.
import type { Request, Response } from 'express';
import type { HostedRun } from '../runtime/run/run-registry.js';
import type { TickEvent } from '../runtime/bus.js';
import { TickworkError } from '../runtime/errors.js';
import { SERVER_LIMITS } from '../runtime/limits.js';

const TICK_EVERY_MS = 250;
const HEARTBEAT_MS = 15_000;
/** A client with this much still queued gets no tick events until it catches up. */
const TICK_SKIP_BYTES = 64 * 1024;

/** The event streams one server has open, so the cap holds across runs. */
export class StreamClients {
  private open = 0;
  constructor(private readonly max = SERVER_LIMITS.maxStreamClients) {}

  /** Count a new stream in, or refuse it; the returned function counts it out (once). */
  admit(): () => void {
    if (this.open >= this.max)
      throw new TickworkError(
        'TW_ERR_CAPACITY',
        `${this.open} event streams are open, the most this server serves (SERVER_LIMITS.maxStreamClients); close one or poll GET /api/runs/:id`,
      );
    this.open++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open--;
    };
  }
}

export function streamRun(req: Request, res: Response, hosted: HostedRun, clients: StreamClients): void {
  const release = clients.admit();
  res.on('close', release);
  const { run } = hosted;
  res.status(200).set({
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  const send = (event: string, data: unknown) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  // A client that does not read: its queue grows until the cap, then the stream ends. (`hello`
  // and `end` are bounded by the hosted run's history limits and always go out whole.)
  const write = (text: string) => {
    if (res.destroyed || res.writableEnded) return;
    if (res.writableLength > SERVER_LIMITS.maxStreamBufferBytes) {
      res.destroy();
      return;
    }
    res.write(text);
  };
  const sendWhole = (event: string, data: unknown) => {
    if (!res.destroyed && !res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const scenario = run.options.scenario;
  sendWhole('hello', {
    runId: run.id,
    scenario: scenario.name,
    pack: scenario.pack,
    seed: run.options.seed,
    status: run.status,
    simMs: run.simMs,
    durationMs: run.options.durationMs,
    pace: run.options.pace,
    params: run.currentParams(),
    invariants: scenario.invariants,
    events: scenario.events,
    inputs: hosted.inputs,
    history: hosted.history,
  });
  const finished = () => {
    sendWhole('end', run.summary());
    if (!res.destroyed) res.end();
  };
  if (run.status !== 'running' && run.status !== 'pending') return finished();

  let latestTick: TickEvent | undefined;
  const onTick = (e: TickEvent) => (latestTick = e);
  const onInterval = (e: unknown) => send('interval', e);
  const onViolation = (e: unknown) => send('violation', e);
  const onInput = (e: unknown) => send('input', e);
  const onRun = (e: { status: string }) => {
    send('run', e);
    if (e.status !== 'running') finishOnce();
  };
  const ticker = setInterval(() => {
    // Ticks are a latest-value feed: while the client's queue is not drained, skip them.
    if (latestTick && res.writableLength < TICK_SKIP_BYTES) send('tick', latestTick);
    latestTick = undefined;
  }, TICK_EVERY_MS);
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), HEARTBEAT_MS);
  const bus = run.bus;
  bus.on('tick', onTick).on('interval', onInterval).on('violation', onViolation).on('input', onInput).on('run', onRun);
  let closed = false;
  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(ticker);
    clearInterval(heartbeat);
    bus
      .off('tick', onTick)
      .off('interval', onInterval)
      .off('violation', onViolation)
      .off('input', onInput)
      .off('run', onRun);
  };
  const finishOnce = () => {
    if (closed) return;
    if (latestTick) send('tick', latestTick);
    cleanup();
    // The summary is final once the run's promise settles (the store is written by then).
    void hosted.done.then(finished, finished);
  };
  req.on('close', cleanup);
  res.on('close', cleanup);
}
