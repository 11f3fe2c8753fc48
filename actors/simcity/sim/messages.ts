// Every message SimCity actors exchange. Citizens talk to their partition's booking-API node; the
// node forwards writes to the vendor that owns the slot; the vendor answers the citizen directly.
import type { ActorId } from '../../../runtime/sdk.js';

/**
 * A notification between the booking service and a vendor's or a citizen's device (a forwarded
 * hold, a confirmation) takes at least this long. These are the only messages that cross
 * partitions (a citizen talks to its own partition's API node), so this is also the pack's
 * lookahead: partitions run this long between barriers.
 */
export const NOTIFICATION_MS = 5_000;

export const ENDPOINTS = ['search', 'book', 'reschedule', 'cancel'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

/** Why an API call failed; each cause has its own error counter (`api.errors.<cause>`). */
export const ERROR_CAUSES = ['overload', 'timeout', 'rls_denied', 'rate_limited', 'internal'] as const;
export type ErrorCause = (typeof ERROR_CAUSES)[number];

/** Citizen -> API node. */
export type ApiRequest =
  | { op: 'search' }
  | { op: 'book'; vendor: ActorId; hour: number }
  | { op: 'reschedule'; vendor: ActorId; fromHour: number; toHour: number }
  | { op: 'cancel'; vendor: ActorId; hour: number };

/** API node -> citizen. */
export type ApiReply =
  | { op: 'search-result'; vendor: ActorId; hour: number; viewAgeMs: number }
  | { op: 'api-error'; endpoint: Endpoint; cause: ErrorCause };

/** API node -> vendor (forwarded writes). */
export type VendorRequest =
  | { op: 'hold'; citizen: ActorId; hour: number }
  | { op: 'move'; citizen: ActorId; fromHour: number; toHour: number }
  | { op: 'release'; citizen: ActorId; hour: number };

/** Vendor -> itself: answer a held request after the vendor's response time. */
export interface VendorRespond {
  op: 'respond';
  citizen: ActorId;
  hour: number;
  receivedAtMs: number;
}

/** Vendor -> citizen. The integrity audit reads these while in flight. */
export type VendorReply =
  | { op: 'confirmed'; vendor: ActorId; hour: number }
  | { op: 'rejected'; vendor: ActorId; hour: number; reason: 'slot_taken' | 'vendor_busy' | 'past' }
  | { op: 'moved'; vendor: ActorId; fromHour: number; toHour: number }
  | { op: 'move-rejected'; vendor: ActorId }
  | { op: 'released'; vendor: ActorId; hour: number };

/** Citizen -> its spawner. */
export interface SessionEnded {
  op: 'session-ended';
}

export type SimCityMessage = ApiRequest | ApiReply | VendorRequest | VendorRespond | VendorReply | SessionEnded;
