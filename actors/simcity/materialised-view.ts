// The availability view searches read: slots known to be taken, as of the last refresh. Bookings
// this node forwarded since then wait in `pending` until the next refresh; while refreshes are
// paused the view ages, searches offer slots that are already gone, and vendors turn them away.
import { hourEndMs } from './layout.js';

export interface ViewState {
  refreshedAtMs: number;
  /** Taken slots as keys (vendor * SLOT_KEY_HOURS + hour), visible to searches. */
  taken: number[];
  /** Slots booked through this node since the last refresh. */
  pending: number[];
}

/** Hours per vendor in a slot key; runs are far shorter than 11 years. */
export const SLOT_KEY_HOURS = 100_000;
/** Bound on the view (TigerBeetle's rule: a limit on everything); oldest entries go first. */
const MAX_VIEW_ENTRIES = 20_000;

export function slotKey(vendor: number, hour: number): number {
  return vendor * SLOT_KEY_HOURS + hour;
}

export function newView(): ViewState {
  return { refreshedAtMs: 0, taken: [], pending: [] };
}

export function noteBooked(view: ViewState, vendor: number, hour: number): void {
  if (view.pending.length < MAX_VIEW_ENTRIES) view.pending.push(slotKey(vendor, hour));
}

export function refreshView(view: ViewState, nowMs: number): void {
  const live = (key: number) => hourEndMs(key % SLOT_KEY_HOURS) > nowMs;
  view.taken = view.taken.concat(view.pending).filter(live).slice(-MAX_VIEW_ENTRIES);
  view.pending = [];
  view.refreshedAtMs = nowMs;
}

export function isTaken(view: ViewState, vendor: number, hour: number): boolean {
  return view.taken.includes(slotKey(vendor, hour));
}
