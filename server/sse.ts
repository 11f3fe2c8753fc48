// Server-Sent Events for one run: a `hello` with what a watcher needs to draw the run (scenario,
// gates with thresholds, timeline, interval history so far), then `tick` (throttled: a turbo run
// ticks thousands of times a second), `interval` (one closed metrics interval), `violation`,
// `input` (a live policy or event), `run` (lifecycle), and `end` with the summary.
import type { Request, Response } from 'express';
import type { HostedRun } from '../runtime/run/run-registry.js';
import type { TickEvent } from '../runtime/bus.js';

const TICK_EVERY_MS = 250;
const HEARTBEAT_MS = 15_000;

export function streamRun(req: Request, res: Response, hosted: HostedRun): void {
  const { run } = hosted;
  res.status(200).set({
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const scenario = run.options.scenario;
  send('hello', {
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
    send('end', run.summary());
    res.end();
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
    if (latestTick) send('tick', latestTick);
    latestTick = undefined;
  }, TICK_EVERY_MS);
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
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
}
