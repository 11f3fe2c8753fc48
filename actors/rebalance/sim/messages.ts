// What stations and the dispatcher say to each other.

export type RebalanceMessage =
  /** A rider arrives at this station wanting a free dock. */
  | { op: 'ride' }
  /** A station's bikes at the start of a bucket, for the dispatcher's snapshot. */
  | { op: 'level'; station: number; bikes: number; bucket: number }
  /** A truck loads up to `bikes` here and drives them to station `to`. */
  | { op: 'load'; bikes: number; to: number }
  /** A truck unloads `bikes` here; what does not fit goes back to `returnTo` (or waits in the truck parked here). */
  | { op: 'unload'; bikes: number; returnTo?: number };
