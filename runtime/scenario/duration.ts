// Human durations for flags and files: '20h', '90m', '30s', '7d', '1500ms'. A bare number is
// refused: `--duration 90` meant 90 ms (one tick) and passed, which nobody who typed it wanted.
import { RUN_LIMITS } from '../limits.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The longest duration accepted anywhere: ten sim years. */
export const MAX_DURATION_MS = RUN_LIMITS.maxDurationMs;

/** Milliseconds, or undefined when the text is not a duration (or is longer than MAX_DURATION_MS). */
export function parseDurationMs(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2]];
  return Number.isFinite(ms) && ms > 0 && ms <= MAX_DURATION_MS ? Math.round(ms) : undefined;
}

export function formatDurationMs(ms: number): string {
  // OPEN_ENDED_MS (scenario-schema.ts): a service run has no end.
  if (ms >= Number.MAX_SAFE_INTEGER) return 'open-ended';
  if (ms >= 86_400_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 3_600_000) return `${+(ms / 3_600_000).toFixed(2)}h`;
  if (ms >= 60_000) return `${+(ms / 60_000).toFixed(2)}m`;
  if (ms >= 1000) return `${+(ms / 1000).toFixed(2)}s`;
  return `${ms}ms`;
}
