// One rebalancing decision: a city's stations at the start of a time bucket, the riders expected
// in it, and what moving bikes costs. Both policies take this and return moves; `objective.ts`
// scores any set of moves, so "better" means the same thing for both and for the rollout gates.

export interface Station {
  /** Position in km on a local plane (from latitude and longitude, or synthetic). */
  x: number;
  y: number;
  /** Docks. */
  capacity: number;
  /** Bikes docked at the start of the bucket (0..capacity). */
  bikes: number;
}

export interface BucketDemand {
  /** Riders who want a bike at each station during the bucket. */
  pickups: readonly number[];
  /** Riders who want a free dock at each station during the bucket. */
  dropoffs: readonly number[];
}

/** Where trucks may carry bikes: from `from` to `to`, `km` apart (each station to its nearest neighbours). */
export interface Arc {
  from: number;
  to: number;
  km: number;
}

export interface RebalanceProblem {
  stations: readonly Station[];
  demand: BucketDemand;
  arcs: readonly Arc[];
  /** Bikes the fleet of trucks can move in the bucket, in all. */
  moveBudget: number;
  /** Cost of one unmet rider (a rider with no bike, or no dock), in objective units. */
  unmetWeight: number;
  /** Cost of carrying one bike one km, in the same units. */
  costPerBikeKm: number;
}

export interface Move {
  from: number;
  to: number;
  bikes: number;
}
