// Performs actors' side effects outside the tick: bounded concurrency, bounded queue, a timeout
// per effect. Each outcome (result, error or timeout) is handed back to the scheduler, which
// turns it into an input at a later tick and writes it to the input log.
import { EFFECT_LIMITS } from '../limits.js';
import type { EffectRequest } from '../protocol.js';
import { wallNowMs } from '../pacing.js';
import { EffectFailure } from './effect-failure.js';
import { httpEffect } from './http-effect.js';

export interface EffectOutcome {
  effectId: string;
  actorId: number;
  ok: boolean;
  value: unknown;
  /** Wall time the effect took, for metrics only: never part of the input (it would break the digest). */
  elapsedMs: number;
}

/** Performs one effect; throw an EffectFailure to fail it with a value the actor can read. */
export type EffectHandler = (request: unknown, signal: AbortSignal) => Promise<unknown>;

export interface EffectRunnerOptions {
  concurrency: number;
  timeoutMs: number;
  maxQueued: number;
  handlers?: Record<string, EffectHandler>;
  /** Per-kind timeouts that replace `timeoutMs` (a job's budget). */
  timeouts?: Record<string, number>;
}

export const EFFECT_DEFAULTS: EffectRunnerOptions = {
  concurrency: EFFECT_LIMITS.concurrency,
  timeoutMs: EFFECT_LIMITS.timeoutMs,
  maxQueued: EFFECT_LIMITS.maxQueued,
};

export class EffectRunner {
  private readonly handlers: Record<string, EffectHandler>;
  private queue: EffectRequest[] = [];
  private running = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly options: EffectRunnerOptions,
    private readonly deliver: (outcome: EffectOutcome) => void,
  ) {
    this.handlers = { http: httpEffect, ...options.handlers };
  }

  get pending(): number {
    return this.queue.length + this.running;
  }

  submit(req: EffectRequest): void {
    if (this.queue.length >= this.options.maxQueued) {
      this.finish(req, false, { error: 'effect queue full' });
      return;
    }
    this.queue.push(req);
    this.pump();
  }

  /** Resolves when the next effect finishes (or at once if none is pending). */
  next(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const req = this.queue.shift()!;
      this.running++;
      void this.perform(req);
    }
  }

  private async perform(req: EffectRequest): Promise<void> {
    const handler = Object.hasOwn(this.handlers, req.kind) ? this.handlers[req.kind] : undefined;
    if (!handler) {
      this.running--;
      this.finish(req, false, { error: `no effect handler for '${req.kind}'` });
      return;
    }
    const controller = new AbortController();
    const timeoutMs = this.options.timeouts?.[req.kind] ?? this.options.timeoutMs;
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const started = wallNowMs();
    let ok = true;
    let value: unknown;
    try {
      value = await handler(req.request, controller.signal);
    } catch (err) {
      ok = false;
      value = controller.signal.aborted
        ? { error: 'timeout' }
        : err instanceof EffectFailure
          ? err.value
          : { error: 'failed', message: (err as Error).message };
    } finally {
      clearTimeout(timer);
    }
    this.running--;
    this.finish(req, ok, value, wallNowMs() - started);
  }

  private finish(req: EffectRequest, ok: boolean, value: unknown, elapsedMs = 0): void {
    this.deliver({ effectId: req.effectId, actorId: req.actorId, ok, value, elapsedMs });
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
    this.pump();
  }
}
