// A progress line for runs on a TTY: a bar, sim time as h:mm of the total, sim speed (x real
// time), ticks/s and an ETA; logs print above it (status-line.ts). Redrawn at most 10 times a second.
import type { Run } from '../runtime/run/run.js';
import { wallNowMs } from '../runtime/pacing.js';
import { formatDurationMs } from '../runtime/scenario/duration.js';
import { isOpenEnded } from '../runtime/scenario/scenario-schema.js';
import { StatusLine, formatSimClock } from './status-line.js';

export function attachProgress(run: Run, stream: NodeJS.WriteStream): () => void {
  if (!stream.isTTY) return () => undefined;
  const line = new StatusLine(stream);
  const started = wallNowMs();
  let lastDraw = 0;
  const total = run.options.durationMs;
  const openEnded = isOpenEnded(total);
  const onTick = (e: { simMs: number; tick: number }) => {
    const now = wallNowMs();
    if (now - lastDraw < 100) return;
    lastDraw = now;
    const elapsedMs = Math.max(now - started, 1);
    // An open-ended run has no fraction to show: no bar, no ETA.
    const frac = openEnded ? 0 : Math.min(1, e.simMs / total);
    const width = 24;
    const filled = Math.round(frac * width);
    const speed = e.simMs / elapsedMs;
    const eta = frac > 0 ? formatDurationMs(Math.max(1000, Math.round((elapsedMs / frac) * (1 - frac)))) : '-';
    const bar = openEnded ? '' : `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(1)}%  `;
    line.draw(
      `${bar}sim ${formatSimClock(e.simMs)}${openEnded ? '' : `/${formatSimClock(total)}`}  ` +
        `${speed >= 10 ? Math.round(speed) : speed.toFixed(1)}x real time  ${Math.round(e.tick / (elapsedMs / 1000))} ticks/s  ETA ${eta}`,
    );
  };
  run.bus.on('tick', onTick);
  return () => {
    run.bus.off('tick', onTick);
    line.close();
  };
}
