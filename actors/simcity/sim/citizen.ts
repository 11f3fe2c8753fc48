// A citizen: one customer of the booking system. A session searches a few times, books the slot
// it found, waits for the vendor's answer, sometimes moves or cancels the booking, then ends; the
// citizen stays (asleep, free) until its appointment is over, so its booking keeps an owner.
import { type ActorContext, defineKind } from '../../../runtime/sdk.js';
import { HOUR_MS, apiNodeId, hourEndMs, partitionOf, syntheticEmail } from './layout.js';
import type { ApiReply, ApiRequest, SessionEnded, SimCityMessage, VendorReply } from './messages.js';
import { policy } from './policies.js';

export type CitizenPhase =
  | 'waiting-to-start'
  | 'browsing'
  | 'searching'
  | 'booking'
  | 'booked'
  | 'rescheduling'
  | 'cancelling'
  | 'done';

export interface CitizenState {
  /** Spawner to tell when the session ends; -1 for residents created at setup. */
  spawner: number;
  /** Whether this citizen still counts against `maxConcurrentAgents` (see `leaveSession`). */
  inSession: boolean;
  phase: CitizenPhase;
  searchesLeft: number;
  /** Booking attempts this session (a failed one may be retried once). */
  attempts: number;
  steps: number;
  /** The slot being asked for, and when. */
  askVendor: number;
  askHour: number;
  askedAtMs: number;
  /** The confirmed booking held, as [vendor, hour]. */
  booking: [number, number] | null;
}

export interface CitizenArgs {
  spawner: number;
}

const MAX_ATTEMPTS = 2;
const RESIDENT_START_WITHIN_MS = 24 * HOUR_MS;

type Ctx = ActorContext<SimCityMessage>;

export const citizen = defineKind<CitizenState, SimCityMessage, CitizenArgs>({
  name: 'citizen',
  onFailure: 'restart',
  crossPartitionDelayMs: Infinity, // its own partition's API node and spawner only
  init: (args) => ({
    spawner: args.spawner,
    inSession: args.spawner >= 0,
    phase: 'waiting-to-start',
    searchesLeft: 0,
    attempts: 0,
    steps: 0,
    askVendor: -1,
    askHour: -1,
    askedAtMs: 0,
    booking: null,
  }),
  receive(state, input, ctx) {
    state.steps++;
    if (input.type === 'start') {
      const delay = state.spawner < 0 ? ctx.rng.int(0, RESIDENT_START_WITHIN_MS) : 0;
      state.searchesLeft = ctx.rng.int(1, 3);
      ctx.wakeAt(ctx.now + delay + thinkMs(ctx));
      return;
    }
    if (input.type === 'wake') return onWake(state, ctx);
    if (input.type !== 'message') return;
    const body = input.body as ApiReply | VendorReply;
    switch (body.op) {
      case 'search-result':
        if (state.searchesLeft > 1) {
          state.searchesLeft--;
          return browse(state, ctx);
        }
        return book(state, body.vendor, body.hour, ctx);
      case 'api-error':
        return onApiError(state, body, ctx);
      case 'confirmed':
        state.booking = [body.vendor, body.hour];
        ctx.count('booking.confirmed');
        ctx.count('booking.decided');
        ctx.observe('booking.confirm_ms', Math.max(1, ctx.now - state.askedAtMs));
        ctx.emit('booking.confirmed', { customer: syntheticEmail(ctx.id), vendor: body.vendor, hour: body.hour });
        state.phase = 'booked';
        ctx.wakeAt(ctx.now + thinkMs(ctx));
        return;
      case 'rejected':
        ctx.count('booking.decided');
        ctx.count(`booking.rejected.${body.reason}`);
        return retryOrEnd(state, ctx);
      case 'moved':
        state.booking = [body.vendor, body.toHour];
        ctx.count('booking.rescheduled');
        return afterChange(state, ctx);
      case 'move-rejected':
        ctx.count('booking.reschedule_rejected');
        return afterChange(state, ctx);
      case 'released':
        state.booking = null;
        ctx.count('booking.cancelled');
        return endSession(state, ctx);
    }
  },
});

function onWake(state: CitizenState, ctx: Ctx): void {
  if (state.phase === 'done') {
    // The appointment is over: the customer record has nothing left to own.
    if (state.booking) ctx.count('booking.completed');
    ctx.stop();
    return;
  }
  if (state.steps > policy(ctx, 'maxAgentSteps')) {
    ctx.count('simcity.step_limit_hits');
    return endSession(state, ctx);
  }
  if (state.phase === 'waiting-to-start' || state.phase === 'browsing') return search(state, ctx);
  if (state.phase === 'booked') return decideAfterBooking(state, ctx);
}

function browse(state: CitizenState, ctx: Ctx): void {
  state.phase = 'browsing';
  ctx.wakeAt(ctx.now + thinkMs(ctx));
}

function search(state: CitizenState, ctx: Ctx): void {
  state.phase = 'searching';
  call({ op: 'search' }, ctx);
}

function book(state: CitizenState, vendor: number, hour: number, ctx: Ctx): void {
  state.phase = 'booking';
  state.attempts++;
  state.askVendor = vendor;
  state.askHour = hour;
  state.askedAtMs = ctx.now;
  ctx.count('booking.requests');
  call({ op: 'book', vendor, hour }, ctx);
  leaveSession(state, ctx);
}

/**
 * The interactive session ends once the booking request is placed: the vendor answers in minutes
 * to hours, and a customer does not sit in the app meanwhile. Its answer, and any move or cancel
 * after it, come as a return visit that `maxConcurrentAgents` does not count.
 */
function leaveSession(state: CitizenState, ctx: Ctx): void {
  if (!state.inSession) return;
  state.inSession = false;
  ctx.send(state.spawner, { op: 'session-ended' } satisfies SessionEnded);
}

function onApiError(state: CitizenState, e: ApiReply & { op: 'api-error' }, ctx: Ctx): void {
  if (state.phase === 'searching') {
    state.searchesLeft--;
    return state.searchesLeft > 0 ? browse(state, ctx) : endSession(state, ctx);
  }
  if (state.phase === 'booking') {
    ctx.count('booking.decided');
    ctx.count(`booking.failed.${e.cause}`);
    return retryOrEnd(state, ctx);
  }
  // A failed move or cancel leaves the booking as it was.
  return afterChange(state, ctx);
}

function retryOrEnd(state: CitizenState, ctx: Ctx): void {
  if (state.attempts >= MAX_ATTEMPTS) {
    ctx.count('booking.abandoned');
    return endSession(state, ctx);
  }
  state.searchesLeft = 1;
  browse(state, ctx);
}

function decideAfterBooking(state: CitizenState, ctx: Ctx): void {
  const [vendor, hour] = state.booking!;
  if (ctx.rng.chance(policy(ctx, 'rescheduleChance'))) {
    const toHour = Math.floor(ctx.now / HOUR_MS) + ctx.rng.int(1, policy(ctx, 'bookingHorizonHours'));
    state.phase = 'rescheduling';
    return call({ op: 'reschedule', vendor, fromHour: hour, toHour }, ctx);
  }
  maybeCancel(state, ctx);
}

/** After a move (done or not) a citizen may still cancel. */
function afterChange(state: CitizenState, ctx: Ctx): void {
  if (state.phase === 'rescheduling') return maybeCancel(state, ctx);
  endSession(state, ctx);
}

function maybeCancel(state: CitizenState, ctx: Ctx): void {
  if (state.booking && ctx.rng.chance(policy(ctx, 'cancelChance'))) {
    state.phase = 'cancelling';
    return call({ op: 'cancel', vendor: state.booking[0], hour: state.booking[1] }, ctx);
  }
  endSession(state, ctx);
}

function endSession(state: CitizenState, ctx: Ctx): void {
  if (state.phase === 'done') return;
  state.phase = 'done';
  leaveSession(state, ctx);
  if (state.booking) ctx.wakeAt(hourEndMs(state.booking[1]));
  else ctx.stop();
}

function call(request: ApiRequest, ctx: Ctx): void {
  ctx.send(apiNodeId(partitionOf(ctx.id, ctx.partitions)), request);
}

function thinkMs(ctx: Ctx): number {
  return policy(ctx, 'tickSpeedMs') * ctx.rng.int(1, 5);
}
