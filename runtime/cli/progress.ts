// A progress line for runs on a TTY: sim time, ticks/s, ETA. Redrawn at most 10 times a second.
import type { Run } from '../scheduler/run.js';
import { wallNowMs } from '../pacing.js';
import { formatDurationMs } from '../scenario/duration.js';
import { isOpenEnded } from '../scenario/scenario-schema.js';

export function attachProgress(run: Run, stream: NodeJS.WriteStream): () => void {
  if (!stream.isTTY) return () => undefined;
  const started = wallNowMs();
  let lastDraw = 0;
  let ticks = 0;
  const total = run.options.durationMs;
  const onTick = (e: { simMs: number; tick: number }) => {
    ticks = e.tick;
    const now = wallNowMs();
    if (now - lastDraw < 100) return;
    lastDraw = now;
    // An open-ended run has no fraction to show: its bar stays empty and its ETA at 0.
    const frac = isOpenEnded(total) ? 0 : Math.min(1, e.simMs / total);
    const elapsedS = (now - started) / 1000;
    const width = 24;
    const filled = Math.round(frac * width);
    const eta = frac > 0 ? (elapsedS / frac) * (1 - frac) : 0;
    stream.write(
      `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(1)}%  sim ${formatDurationMs(e.simMs)}/${formatDurationMs(total)}  ` +
        `${Math.round(ticks / Math.max(elapsedS, 0.001))} ticks/s  ETA ${eta.toFixed(0)}s   `,
    );
  };
  run.bus.on('tick', onTick);
  return () => {
    run.bus.off('tick', onTick);
    stream.write('\r\x1b[K');
  };
}
