// Which exec/service run `exec serve` continues. A service always continues its own unfinished
// run: intents it acknowledged before a crash get their fills only from that run (JetStream will
// not deliver them again). The newest unfinished service run in the store is continued when its
// owner has let go: interrupted, its process gone, or (an owner this process cannot see: another
// pid namespace, another host) its lease ran out, which this waits for. A second live service on
// the same store is refused: two runs would publish under one outbox.
import { interruptibleSleep, isoTime, type RunRow, type Store, TickworkError } from '../../../runtime/sdk.js';

export type ServiceRunChoice = { resume: string } | { start: true };

const POLL_MS = 250;

function newestUnfinished(store: Store): RunRow | undefined {
  const [running] = store.listRuns(1, { pack: 'exec', scenario: 'service', status: 'running' });
  const [interrupted] = store.listRuns(1, { pack: 'exec', scenario: 'service', status: 'interrupted' });
  if (!running || !interrupted) return running ?? interrupted;
  return running.created_at >= interrupted.created_at ? running : interrupted;
}

function liveElsewhere(row: RunRow): TickworkError {
  return new TickworkError(
    'TW_ERR_RUN_STATE',
    `the exec service run ${row.id} in this store is live in process ${row.owner}: stop it first, or give a second instance its own --db`,
    'db',
  );
}

/** The run to continue, or a fresh start; `say` tells the operator why it waits. */
export async function serviceRunToContinue(store: Store, say: (line: string) => void): Promise<ServiceRunChoice> {
  let row = newestUnfinished(store);
  if (!row) return { start: true };
  if (row.status === 'interrupted') return { resume: row.id };
  const firstLease = row.lease_until ?? 0;
  let told = false;
  for (;;) {
    const hold = store.runHold(row);
    if (hold === 'free') return { resume: row.id };
    if (hold === 'alive' || hold === 'this process') throw liveElsewhere(row);
    // Held by a lease only: its owner may be dead in another pid namespace, or alive on another host.
    if ((row.lease_until ?? 0) > firstLease) throw liveElsewhere(row); // renewed: it is alive
    if (!told) {
      say(
        `the exec service run ${row.id} was last held by ${row.owner}, which this process cannot see; waiting for its lease to run out at ${isoTime(row.lease_until ?? 0)}`,
      );
      told = true;
    }
    await interruptibleSleep(POLL_MS, {});
    const again = store.getRun(row.id);
    if (!again) return { start: true };
    if (again.status === 'interrupted') return { resume: again.id };
    if (again.status !== 'running') return { start: true };
    row = again;
  }
}
