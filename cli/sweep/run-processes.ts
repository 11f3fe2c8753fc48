// Runs cases as `tickwork run` child processes, N at a time (a core each: one process is one event
// loop), for `sweep` and `hunt`. Cases come from a source that may end early (a hunt's budget or
// first failure); a signal stops starting new runs and interrupts the running ones (resumable).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT } from '../../runtime/edge/exit-codes.js';
import type { RunSummary } from '../../runtime/run/run-summary.js';
import type { SweepCase } from '../../runtime/sweep/sweep-plan.js';
import type { SweepResult } from '../../runtime/sweep/sweep-results.js';

const CLI_MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../main.js');
/** Bytes of a run's stderr kept to say why it ended without a summary. */
const STDERR_TAIL = 2000;

export interface RunProcessesOptions {
  /** The next case to run, or undefined when there is none (asked again each time a lane frees up). */
  next: () => SweepCase | undefined;
  parallel: number;
  /** `tickwork run` arguments shared by every case (the scenario, --json, --db, --label, ...). */
  baseArgs: readonly string[];
  /** Told of each run as it ends, with every result so far (this one last). */
  onResult: (result: SweepResult, results: readonly SweepResult[]) => void;
}

/** Every case's result, in the order they ended; `interrupted` when a signal cut the work short. */
export async function runProcesses(o: RunProcessesOptions): Promise<{ results: SweepResult[]; interrupted: boolean }> {
  const results: SweepResult[] = [];
  const running = new Set<ChildProcess>();
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: no new runs; the ${running.size} running are interrupted (resumable)\n`);
    for (const child of running) child.kill('SIGTERM');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const lane = async (): Promise<void> => {
    for (let c = stopping ? undefined : o.next(); c !== undefined; c = stopping ? undefined : o.next()) {
      const result = await runCase(c, o.baseArgs, running);
      results.push(result);
      o.onResult(result, results);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, o.parallel) }, lane));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return { results, interrupted: stopping };
}

/** One case as a `tickwork run` child process (in `running` while it runs, for a signal to reach it). */
export function runCase(c: SweepCase, baseArgs: readonly string[], running: Set<ChildProcess>): Promise<SweepResult> {
  const args = [CLI_MAIN, ...baseArgs, '--seed', String(c.seed)];
  for (const [name, value] of Object.entries(c.policies)) args.push('--policy', `${name}=${JSON.stringify(value)}`);
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-STDERR_TAIL)));
  let settled = false;
  return new Promise((resolve) => {
    const done = (exitCode: number, error?: string) => {
      if (settled) return;
      settled = true;
      running.delete(child);
      const wallMs = performance.now() - started;
      // --json puts the summary alone on the last line of stdout.
      const last = stdout.trim().split('\n').pop() ?? '';
      let summary: RunSummary | undefined;
      try {
        summary = last.startsWith('{') ? (JSON.parse(last) as RunSummary) : undefined;
      } catch {
        summary = undefined;
      }
      const why = error ?? crashLine(stderr) ?? `exit ${exitCode}`;
      resolve({ case: c, exitCode, wallMs, ...(summary ? { summary } : { error: why }) });
    };
    child.on('error', (err) => done(EXIT.infrastructure, err.message));
    child.on('close', (code, signal) => done(code ?? EXIT.infrastructure, signal ? `killed by ${signal}` : undefined));
  });
}

/** The line of a run's stderr that says why it ended: the last one but stack frames and Node's version banner. */
function crashLine(stderr: string): string | undefined {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at ') && !/^Node\.js v\d/.test(l) && !/^\^+$/.test(l))
    .pop();
}
