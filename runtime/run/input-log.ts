// A run's input log: every outside input it applied, stamped with its tick, in sequence order;
// the recorded inputs still to apply (replay, resume, recovery); and the live inputs waiting for
// their tick, with whoever waits to hear they were logged. The log is what makes a run a pure
// function of (scenario, seed, inputs).
import type { LoggedInput, OutsideInput } from './outside-input.js';

/** A live input waiting for its tick. */
export interface QueuedInput {
  input: OutsideInput;
  /** Called once the input is in the log (and in the store, when the run has one). */
  logged?: (logged: LoggedInput) => void;
  /** Called if the run ends before the input reached a tick. */
  dropped?: (err: Error) => void;
}

export class InputLog {
  private readonly entries: LoggedInput[] = [];
  /** Ids of the effects whose results are in `entries`: asked once per effect, so a set, not a scan. */
  private readonly answered = new Set<string>();
  private replay: LoggedInput[] = [];
  private replayAt = 0;
  private live: QueuedInput[] = [];
  private nextSeq = 1;

  /** @param write persists a tick's live inputs as they are logged (the store's run_inputs), together. */
  constructor(
    recorded: readonly LoggedInput[],
    private readonly write: ((logged: readonly LoggedInput[]) => void) | undefined,
  ) {
    for (const input of recorded) {
      this.append(input);
      this.nextSeq = Math.max(this.nextSeq, input.seq + 1);
    }
  }

  /** Inputs in the log (after compaction, those since its compaction point). */
  get size(): number {
    return this.entries.length;
  }

  enqueue(queued: QueuedInput): void {
    this.live.push(queued);
  }

  get hasLive(): boolean {
    return this.live.length > 0;
  }

  /** Sim time of the next recorded input to apply, if any. */
  nextReplayMs(): number | undefined {
    return this.replayAt < this.replay.length ? this.replay[this.replayAt].tickMs : undefined;
  }

  /** Apply the whole log again from the start (a fresh run, or a replay). */
  replayAll(): void {
    this.setReplay([...this.entries]);
  }

  /** Apply again what came after a checkpoint at `tickMs` (resume, recovery). */
  replayAfter(tickMs: number): void {
    this.setReplay(this.entries.filter((l) => l.tickMs > tickMs));
  }

  /**
   * The inputs that take effect at tick `t`, in order: recorded ones due by then, then the live
   * queue, each live one given the next sequence number and written before it is returned.
   */
  take(t: number): { recorded: LoggedInput[]; live: LoggedInput[] } {
    const recorded: LoggedInput[] = [];
    while (this.replayAt < this.replay.length && this.replay[this.replayAt].tickMs <= t)
      recorded.push(this.replay[this.replayAt++]);
    const queued = this.live;
    this.live = [];
    const live = queued.map((q): LoggedInput => ({ seq: this.nextSeq++, tickMs: t, input: q.input }));
    // Written before anyone hears it was logged. A failed write ends the run: the waiters hear
    // their inputs were dropped (a JetStream message is then delivered again), never silence.
    try {
      if (live.length > 0) this.write?.(live);
    } catch (err) {
      for (const q of queued) q.dropped?.(err as Error);
      throw err;
    }
    for (let i = 0; i < live.length; i++) {
      this.append(live[i]);
      queued[i].logged?.(live[i]);
    }
    return { recorded, live };
  }

  /** Ids of effects whose results are in the log. */
  answeredEffects(): Set<string> {
    return new Set(this.answered);
  }

  hasResultFor(effectId: string): boolean {
    return this.answered.has(effectId);
  }

  /** Forget inputs at or before `tickMs` (a service run, behind its older kept checkpoint). */
  compactThrough(tickMs: number): void {
    const keepFrom = this.entries.findIndex((l) => l.tickMs > tickMs);
    for (const l of this.entries.splice(0, keepFrom === -1 ? this.entries.length : keepFrom))
      if (l.input.kind === 'effect-result') this.answered.delete(l.input.effectId);
  }

  private append(logged: LoggedInput): void {
    this.entries.push(logged);
    if (logged.input.kind === 'effect-result') this.answered.add(logged.input.effectId);
  }

  /** Live inputs that never reached a tick: not in the log, so tell whoever waits on them. */
  dropQueued(reason: () => Error): void {
    const left = this.live;
    this.live = [];
    for (const q of left) q.dropped?.(reason());
  }

  private setReplay(inputs: LoggedInput[]): void {
    this.replay = inputs;
    this.replayAt = 0;
  }
}
