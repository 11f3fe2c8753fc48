// Which process owns a running run, and whether that owner still holds it. A process killed
// outright (SIGKILL, OOM, power) cannot mark its runs, so ownership is a lease: the owner renews
// `runs.lease_until` every few seconds (run-recorder.ts), and a run whose lease ran out is free.
// Where this process can see the owner for sure (same host, same pid namespace, Linux /proc) it
// does not wait for the lease: an owner whose pid is gone, a zombie, or a pid now held by a process
// started at another time (recycled) has let go. Where it cannot see (another host, another pid
// namespace: a container restarted as pid 1, a pod with a new hostname) only the lease decides.
// A pid check alone is wrong in both of those: it sees pid 1 alive (itself) or sees nothing.
import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** This process, as written in `runs.owner` (for people: host and pid). */
export const THIS_OWNER = `${hostname()}:${process.pid}`;

/** This process, exactly: no other process before or after has it (`runs.owner_token`). */
export const THIS_TOKEN = randomUUID();

/** A Linux process's pid namespace and start time (clock ticks since boot), read from /proc. */
function procIdentity(pid: number | 'self'): { ns: string; started: string; zombie: boolean } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is the 1st, start time the 20th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ns = /\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/pid`))?.[1] ?? '';
    return { ns, started: fields[19], zombie: fields[0] === 'Z' };
  } catch {
    return undefined;
  }
}

const self = procIdentity('self');
/** This process's pid namespace and start time, `ns:started` (`runs.owner_proc`; null off Linux). */
export const THIS_PROC: string | null = self ? `${self.ns}:${self.started}` : null;

/** The columns of a run row that say who owns it. */
export interface RunOwnership {
  owner: string | null;
  owner_token?: string | null;
  owner_proc?: string | null;
  lease_until?: number | null;
}

/** Who holds a run marked running, as far as this process can tell. */
export type OwnerHold =
  /** This very process. */
  | 'this process'
  /** A live process this one can see (same host and pid namespace). */
  | 'alive'
  /** A process this one cannot see, whose lease has not run out. */
  | 'leased'
  /** Nobody: the owner is gone, or its lease ran out. */
  | 'free';

/** What the OS says of an owner on this host and in this pid namespace; undefined when it cannot tell. */
function localOwner(row: RunOwnership): 'alive' | 'gone' | undefined {
  const owner = row.owner;
  if (!owner) return undefined;
  const at = owner.lastIndexOf(':');
  if (owner.slice(0, at) !== hostname()) return undefined;
  const pid = Number(owner.slice(at + 1));
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const [ns, started] = (row.owner_proc ?? '').split(':');
  if (row.owner_proc) {
    // Written by a process in another pid namespace: its pid means nothing here.
    if (!self || ns !== self.ns) return undefined;
    const now = procIdentity(pid);
    if (!now) return 'gone';
    return now.zombie || now.started !== started ? 'gone' : 'alive';
  }
  // A row from before leases: the pid is all there is.
  try {
    process.kill(pid, 0); // signal 0: an existence check, nothing is sent
    return 'alive';
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'ESRCH' ? 'gone' : 'alive';
  }
}

/** Who holds a running run at wall time `nowMs`. */
export function ownerHold(row: RunOwnership, nowMs: number): OwnerHold {
  if (row.owner_token && row.owner_token === THIS_TOKEN) return 'this process';
  const local = localOwner(row);
  if (local === 'alive') return 'alive';
  if (local === 'gone') return 'free';
  // Out of sight: the lease decides; a row from before leases is never taken on a guess.
  if (row.lease_until === null || row.lease_until === undefined) return 'leased';
  return row.lease_until > nowMs ? 'leased' : 'free';
}

/**
 * Whether a live owner on this host is a tickwork process, by its command line (/proc, Linux).
 * Where that cannot be read the answer is yes: a take-over is never made on a guess.
 */
export function ownerRunsTickwork(owner: string | null): boolean {
  if (!owner) return true;
  const pid = owner.slice(owner.lastIndexOf(':') + 1);
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    // The installed bin (`tickwork`), or the CLI's entry file run with node.
    return argv.some((arg) => /tickwork|cli[/\\]main\.js/.test(arg));
  } catch {
    return true;
  }
}
