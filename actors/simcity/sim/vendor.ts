// A vendor: the single owner of its calendar, so a slot can never be held twice. Booking requests
// wait in the vendor's queue for its response time (its own habit, slower when busy); moves and
// releases are bookkeeping and answered at once. The vendor answers the citizen directly.
import { type ActorContext, defineKind, exponential } from '../../../runtime/sdk.js';
import { HOUR_MS, hourEndMs } from './layout.js';
import {
  NOTIFICATION_MS,
  type SimCityMessage,
  type VendorReply,
  type VendorRequest,
  type VendorRespond,
} from './messages.js';
import { policy } from './policies.js';

export interface VendorState {
  /** Position in the city directory. */
  index: number;
  /** This vendor's mean response time (sim minutes), drawn once. */
  responseMeanMin: number;
  /** Hour -> citizen holding it. Past hours are pruned. */
  calendar: Record<number, number>;
  /** Booking requests waiting for an answer. */
  pending: number;
}

export interface VendorArgs {
  index: number;
}

/** Response-time SLA of runbook 001. */
export const VENDOR_SLA_MS = 2 * HOUR_MS;

type Ctx = ActorContext<SimCityMessage>;

export const vendor = defineKind<VendorState, SimCityMessage, VendorArgs>({
  name: 'vendor',
  onFailure: 'restart',
  crossPartitionDelayMs: NOTIFICATION_MS,
  init: (args) => ({ index: args.index, responseMeanMin: 0, calendar: {}, pending: 0 }),
  receive(state, input, ctx) {
    if (input.type === 'start') {
      // Habits differ: from 0.4x to 1.6x the city's mean.
      state.responseMeanMin = policy(ctx, 'vendorResponseMeanMin') * (0.4 + 1.2 * ctx.rng.float());
      return;
    }
    if (input.type !== 'message') return;
    prunePast(state, ctx.now);
    const body = input.body as VendorRequest | VendorRespond;
    switch (body.op) {
      case 'hold':
        return queueHold(state, body.citizen, body.hour, ctx);
      case 'respond':
        return respond(state, body, ctx);
      case 'move': {
        const ok = state.calendar[body.fromHour] === body.citizen && isFree(state, body.toHour, ctx.now);
        if (ok) {
          delete state.calendar[body.fromHour];
          state.calendar[body.toHour] = body.citizen;
        }
        reply(
          body.citizen,
          ok
            ? { op: 'moved', vendor: ctx.id, fromHour: body.fromHour, toHour: body.toHour }
            : { op: 'move-rejected', vendor: ctx.id },
          ctx,
        );
        return;
      }
      case 'release':
        if (state.calendar[body.hour] === body.citizen) delete state.calendar[body.hour];
        reply(body.citizen, { op: 'released', vendor: ctx.id, hour: body.hour }, ctx);
        return;
    }
  },
});

function queueHold(state: VendorState, citizen: number, hour: number, ctx: Ctx): void {
  if (state.pending >= policy(ctx, 'vendorMaxPending')) {
    countResponse(0, ctx);
    reply(citizen, { op: 'rejected', vendor: ctx.id, hour, reason: 'vendor_busy' }, ctx);
    return;
  }
  state.pending++;
  const busyFactor = 1 + state.pending / 4;
  const delayMs = Math.round(exponential(ctx.rng, state.responseMeanMin * busyFactor) * 60_000);
  const respond: VendorRespond = { op: 'respond', citizen, hour, receivedAtMs: ctx.now };
  ctx.send(ctx.id, respond, delayMs);
}

function respond(state: VendorState, r: VendorRespond, ctx: Ctx): void {
  state.pending = Math.max(0, state.pending - 1);
  countResponse(ctx.now - r.receivedAtMs, ctx);
  if (hourEndMs(r.hour) <= ctx.now)
    return reply(r.citizen, { op: 'rejected', vendor: ctx.id, hour: r.hour, reason: 'past' }, ctx);
  if (!isFree(state, r.hour, ctx.now))
    return reply(r.citizen, { op: 'rejected', vendor: ctx.id, hour: r.hour, reason: 'slot_taken' }, ctx);
  state.calendar[r.hour] = r.citizen;
  reply(r.citizen, { op: 'confirmed', vendor: ctx.id, hour: r.hour }, ctx);
}

function countResponse(responseMs: number, ctx: Ctx): void {
  ctx.count('vendor.responses');
  if (responseMs <= VENDOR_SLA_MS) ctx.count('vendor.responses_within_sla');
  ctx.observe('vendor.response_ms', Math.max(1, responseMs));
}

function isFree(state: VendorState, hour: number, nowMs: number): boolean {
  return state.calendar[hour] === undefined && hourEndMs(hour) > nowMs;
}

function prunePast(state: VendorState, nowMs: number): void {
  for (const hour in state.calendar) if (hourEndMs(Number(hour)) <= nowMs) delete state.calendar[hour];
}

/** The citizen hears by notification (the vendor's citizens live in every partition). */
function reply(citizen: number, message: VendorReply, ctx: Ctx): void {
  ctx.send(citizen, message, NOTIFICATION_MS);
}
