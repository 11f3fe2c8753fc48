// Which process owns a running run. A process killed outright (SIGKILL, OOM, power) cannot mark
// its runs; the next process to open the store on the same host can, because it can ask the OS
// whether the owner still exists. Runs owned on other hosts are left alone: nothing here can tell.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** This process, as written in `runs.owner`. */
export const THIS_OWNER = `${hostname()}:${process.pid}`;

/** What this process can tell about an owner: only one on this host can be checked. */
function ownerState(owner: string | null): 'alive' | 'gone' | 'unknown' {
  if (!owner) return 'unknown';
  const at = owner.lastIndexOf(':');
  if (owner.slice(0, at) !== hostname()) return 'unknown';
  const pid = Number(owner.slice(at + 1));
  // A pid that cannot be checked on this host is taken to live: never mark or take over on a guess.
  if (!Number.isInteger(pid) || pid <= 0) return 'alive';
  try {
    process.kill(pid, 0); // signal 0: an existence check, nothing is sent
    return 'alive';
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'ESRCH' ? 'gone' : 'alive';
  }
}

/** True only for an owner on this host whose process no longer exists. */
export function ownerIsGone(owner: string | null): boolean {
  return ownerState(owner) === 'gone';
}

/** True for an owner on this host whose process is alive (possibly this one). */
export function ownerIsAlive(owner: string | null): boolean {
  return ownerState(owner) === 'alive';
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
    return argv.some((arg) => /tickwork|runtime[/\\]cli[/\\]main\.js/.test(arg));
  } catch {
    return true;
  }
}
