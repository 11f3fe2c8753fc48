// At most `calls` per `windowMs` per caller (a user, an address): the guard for routes a flood
// could use to starve real callers (runbook 002's DLQ replay, runbook 004's run creation, refused
// Slack requests). Memory is bounded: callers that went quiet are forgotten, and past `maxCallers`
// the least recently seen go first.
export class CallLimiter {
  private readonly calls = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly maxCallers = 10_000,
  ) {}

  /** 0 when the call may go (and is counted); else how long until it may, in ms. */
  take(who: string, nowMs: number): number {
    const recent = (this.calls.get(who) ?? []).filter((t) => t > nowMs - this.windowMs);
    this.calls.delete(who); // re-inserted last: the map's order is the order callers were last seen
    if (recent.length >= this.max) {
      this.calls.set(who, recent);
      return recent[0] + this.windowMs - nowMs;
    }
    recent.push(nowMs);
    this.calls.set(who, recent);
    if (this.calls.size > this.maxCallers) {
      for (const [k, v] of this.calls) if (v.every((t) => t <= nowMs - this.windowMs)) this.calls.delete(k);
      for (const k of this.calls.keys()) {
        if (this.calls.size <= this.maxCallers) break;
        this.calls.delete(k);
      }
    }
    return 0;
  }
}
