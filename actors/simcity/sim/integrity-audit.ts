// The data-integrity checker, separate from the actors it judges. Each partition lists what its
// citizens claim to hold and what its vendors' calendars say, plus vendor answers still in
// flight; the main thread joins the lists of all partitions. Two customers claiming one slot is
// a double booking; a claim without its calendar entry, or an entry without its claim, is an
// orphaned reference. It trusts no counter: it reads the state on both sides.
import type { Audit, PartitionView } from '../../../runtime/sdk.js';
import type { CitizenState } from './citizen.js';
import { hourEndMs } from './layout.js';
import { hourOfSlotKey, slotKey } from '../domain/materialised-view.js';
import type { VendorReply } from './messages.js';
import type { VendorState } from './vendor.js';

/** Flat number lists, cheap to move between threads. */
export interface IntegrityPart {
  /** [citizen, vendor, hour] per held booking. */
  claims: number[];
  /** [vendor, hour, citizen] per calendar entry. */
  entries: number[];
  /** [code, citizen, vendor, hour, toHour] per vendor answer in flight that changes a claim. */
  inFlight: number[];
}

const CONFIRMED = 1;
const MOVED = 2;
const RELEASED = 3;

export const integrityAudit: Audit<IntegrityPart> = {
  metrics: ['simcity.double_bookings', 'simcity.orphaned_references'],
  collect(view: PartitionView, nowMs: number): IntegrityPart {
    const part: IntegrityPart = { claims: [], entries: [], inFlight: [] };
    view.forEachActor((kind, state, id) => {
      if (kind === 'citizen') {
        const booking = (state as CitizenState).booking;
        if (booking) part.claims.push(id, booking[0], booking[1]);
      } else if (kind === 'vendor') {
        // Hours that are over are not judged: not moved between threads either.
        const calendar = (state as VendorState).calendar;
        for (const key in calendar) {
          const hour = Number(key);
          if (hourEndMs(hour) > nowMs) part.entries.push(id, hour, calendar[hour]);
        }
      }
    });
    view.forEachInFlight((m) => {
      const body = m.body as VendorReply | undefined;
      if (body?.op === 'confirmed') part.inFlight.push(CONFIRMED, m.to, body.vendor, body.hour, 0);
      else if (body?.op === 'moved') part.inFlight.push(MOVED, m.to, body.vendor, body.fromHour, body.toHour);
      else if (body?.op === 'released') part.inFlight.push(RELEASED, m.to, body.vendor, body.hour, 0);
    });
    return part;
  },
  judge(parts, nowMs) {
    // What each citizen holds once the answers in flight have landed, as a slot key (vendor, hour).
    // It runs at every metrics interval over every booking: numbers in maps, no tuple per entry.
    const held = new Map<number, number>();
    for (const p of parts)
      for (let i = 0; i < p.claims.length; i += 3) held.set(p.claims[i], slotKey(p.claims[i + 1], p.claims[i + 2]));
    for (const p of parts) {
      const f = p.inFlight;
      for (let i = 0; i < f.length; i += 5) {
        const code = f[i];
        const citizen = f[i + 1];
        const from = slotKey(f[i + 2], f[i + 3]);
        const current = held.get(citizen);
        if (code === CONFIRMED) held.set(citizen, from);
        else if (code === MOVED && current === from) held.set(citizen, slotKey(f[i + 2], f[i + 4]));
        else if (code === RELEASED && current === from) held.delete(citizen);
      }
    }
    const live = (key: number) => hourEndMs(hourOfSlotKey(key)) > nowMs;
    let doubleBookings = 0;
    const claimBySlot = new Map<number, number>();
    for (const [citizen, key] of held) {
      if (!live(key)) continue;
      if (claimBySlot.has(key)) doubleBookings++;
      else claimBySlot.set(key, citizen);
    }
    let orphans = 0;
    const entryBySlot = new Map<number, number>();
    for (const p of parts) {
      const e = p.entries;
      for (let i = 0; i < e.length; i += 3) {
        if (hourEndMs(e[i + 1]) <= nowMs) continue;
        const key = slotKey(e[i], e[i + 1]);
        entryBySlot.set(key, e[i + 2]);
        if (claimBySlot.get(key) !== e[i + 2]) orphans++;
      }
    }
    for (const [key, citizen] of claimBySlot) if (entryBySlot.get(key) !== citizen) orphans++;
    return { 'simcity.double_bookings': doubleBookings, 'simcity.orphaned_references': orphans };
  },
};
