// Which process owns a running run. A process killed outright (SIGKILL, OOM, power) cannot mark
// its runs; the next process to open the store on the same host can, because it can ask the OS
// whether the owner still exists. Runs owned on other hosts are left alone: nothing here can tell.
import { hostname } from 'node:os';

/** This process, as written in `runs.owner`. */
export const THIS_OWNER = `${hostname()}:${process.pid}`;

/** True only for an owner on this host whose process no longer exists. */
export function ownerIsGone(owner: string | null): boolean {
  if (!owner) return false;
  const at = owner.lastIndexOf(':');
  if (owner.slice(0, at) !== hostname()) return false;
  const pid = Number(owner.slice(at + 1));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0); // signal 0: an existence check, nothing is sent
    return false;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** True for an owner on this host whose process is alive (possibly this one). */
export function ownerIsAlive(owner: string | null): boolean {
  if (!owner) return false;
  const at = owner.lastIndexOf(':');
  return owner.slice(0, at) === hostname() && !ownerIsGone(owner);
}
