// Memory pressure as a percentage of what this process may use: resident set over the cgroup
// limit when there is one, else over the machine's memory. Judged by the `memory_usage` invariant;
// like drift it describes the host, so it never enters the digest.
import { totalmem } from 'node:os';

/** Fixed for the life of the process; reading the cgroup limit costs a file read. */
const AVAILABLE_BYTES = (() => {
  const constrained = process.constrainedMemory?.() ?? 0;
  return constrained > 0 && constrained < totalmem() ? constrained : totalmem();
})();

/** @param rssBytes a resident-set reading the caller already took (one read serves several gauges). */
export function memoryUsedPct(rssBytes = process.memoryUsage.rss()): number {
  return Math.round((rssBytes / AVAILABLE_BYTES) * 1000) / 10;
}
