// One live status line at the bottom of a TTY (the run's progress), with log lines printed above
// it: each log line clears the status line, prints itself, and the status line is drawn again, so
// the two never share a row. Logs become one readable line each on a TTY and stay JSON otherwise.
import { routeLogs } from '../runtime/logger.js';

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};
/** Fields every run log carries, shown in the line's prefix rather than repeated as key=value. */
const PREFIX_FIELDS = new Set(['level', 'time', 'msg', 'runId', 'scenario', 'tick', 'simMs', 'pid', 'hostname']);

export class StatusLine {
  private current = '';

  constructor(private readonly stream: NodeJS.WriteStream) {
    routeLogs((line) => this.log(line));
  }

  /** Replace the status line. */
  draw(text: string): void {
    this.current = text;
    this.stream.write(`\r\x1b[K${text}`);
  }

  /** A log line (pino's JSON), printed above the status line. */
  log(line: string): void {
    this.stream.write(`\r\x1b[K${prettyLogLine(line)}\n${this.current}`);
  }

  /** Clear the status line and send logs straight to stderr again. */
  close(): void {
    routeLogs(undefined);
    this.stream.write('\r\x1b[K');
  }
}

/** `WARN  sim 0:25 tick 1501  worker died; restoring ...  slot=0 fromSimMs=1200000`. */
export function prettyLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.trimEnd();
  }
  const level = LEVEL_NAMES[entry.level as number] ?? String(entry.level);
  const where = typeof entry.simMs === 'number' ? `sim ${formatSimClock(entry.simMs)} tick ${entry.tick ?? '?'}  ` : '';
  const rest = Object.entries(entry)
    .filter(([k]) => !PREFIX_FIELDS.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${level} ${where}${entry.msg ?? ''}${rest ? `  ${rest}` : ''}`;
}

/** Sim time as a clock: `7:05` (h:mm), `2d 3:15` past a day. */
export function formatSimClock(simMs: number): string {
  const totalMin = Math.floor(simMs / 60_000);
  const days = Math.floor(totalMin / 1440);
  const h = Math.floor((totalMin % 1440) / 60);
  const m = totalMin % 60;
  return `${days > 0 ? `${days}d ` : ''}${h}:${String(m).padStart(2, '0')}`;
}
