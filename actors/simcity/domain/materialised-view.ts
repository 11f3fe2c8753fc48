// The availability view searches read: slots known to be taken, as of the last refresh. Bookings
// this node forwarded since then wait in `pending` until the next refresh; while refreshes are
// paused the view ages, searches offer slots that are already gone, and vendors turn them away.
import { HOUR_MS, hourEndMs } from '../sim/layout.js';

export interface ViewState {
  refreshedAtMs: number;
  /** Taken slots as keys (vendor * SLOT_KEY_HOURS + hour), visible to searches. A plain object: it is snapshotted. */
  taken: Record<number, 1>;
  takenCount: number;
  /** The hour of the last prune: slots only expire when an hour ends, so one prune per hour does. */
  prunedHour: number;
  /** Slots booked through this node since the last refresh. */
  pending: number[];
}

/** Hours per vendor in a slot key; runs are far shorter than 11 years. */
export const SLOT_KEY_HOURS = 100_000;
/** Bound on the view (TigerBeetle's rule: a limit on everything); past it, new bookings wait. */
const MAX_VIEW_ENTRIES = 50_000;

export function slotKey(vendor: number, hour: number): number {
  return vendor * SLOT_KEY_HOURS + hour;
}

/** The hour a slot key names. */
export function hourOfSlotKey(key: number): number {
  return key % SLOT_KEY_HOURS;
}

export function newView(): ViewState {
  return { refreshedAtMs: 0, taken: {}, takenCount: 0, prunedHour: -1, pending: [] };
}

export function noteBooked(view: ViewState, vendor: number, hour: number): void {
  if (view.pending.length < MAX_VIEW_ENTRIES) view.pending.push(slotKey(vendor, hour));
}

export function refreshView(view: ViewState, nowMs: number): void {
  const hour = Math.floor(nowMs / HOUR_MS);
  if (hour !== view.prunedHour) {
    view.prunedHour = hour;
    for (const key in view.taken) {
      if (hourEndMs(Number(key) % SLOT_KEY_HOURS) <= nowMs) {
        delete view.taken[key];
        view.takenCount--;
      }
    }
  }
  for (const key of view.pending) {
    if (view.takenCount >= MAX_VIEW_ENTRIES) break;
    if (view.taken[key] === undefined && hourEndMs(key % SLOT_KEY_HOURS) > nowMs) {
      view.taken[key] = 1;
      view.takenCount++;
    }
  }
  view.pending = [];
  view.refreshedAtMs = nowMs;
}

export function isTaken(view: ViewState, vendor: number, hour: number): boolean {
  return view.taken[slotKey(vendor, hour)] === 1;
}
