// A pack's contract: what scenarios and requests may say to it (its policies, events and gates,
// fail-closed), the scenarios it ships, and when its runs end. Read by the scenario loader, the
// scheduler and the edges that validate requests.
import type { z } from 'zod';
import type { InvariantCatalogue } from './pack-model.js';

/** What scenarios and HTTP bodies may say to a pack. Fail-closed: what it does not list is refused. */
export interface PackContract {
  /** Gates a scenario may name by id (the runtime's own are added to every pack). */
  readonly invariants: InvariantCatalogue;
  /** Schema of a policies object; make it strict so unknown policy names are refused. */
  readonly policies: z.ZodType<Record<string, unknown>>;
  /** Event types and their parameters; `{}` when the pack has no events. */
  readonly events: Readonly<Record<string, z.ZodType<Record<string, unknown>>>>;
  /** The pack's scenario files; a pack without them runs only scenarios given as files. */
  readonly scenarios?: PackScenarios;
  /**
   * The pack's runs end once no actor has work left (no timer, message, effect or input), paced or
   * not, instead of lasting their scenario's duration: a simulation over a fixed set of work that
   * is done when the work is (the duration is then its upper bound). SimCRM's record sets.
   */
  readonly endsWhenIdle?: boolean;
  /**
   * How many actors a run with these policies (the scenario's with the request's on top) spawns
   * at its start: the server's admission turns it into a heap estimate before starting the run
   * (SERVER_LIMITS.bytesPerActor each) and moves a large one off the main thread. Omitted: small.
   */
  readonly actorsAtStart?: (policies: Readonly<Record<string, unknown>>) => number;
}

/** The pack's scenario files: `<dir>/<name>.json`. */
export interface PackScenarios {
  /** Absolute folder of the pack's scenario files. */
  readonly dir: string;
  /** What `tickwork run <pack>` runs. */
  readonly default: string;
  /** Also runnable by bare name (`<name>` for `<pack>/<name>`): a runbook's own names. */
  readonly bareNames?: boolean;
}
