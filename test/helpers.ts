// Shared test helpers: build scenarios as data, run them through the public Run API, and run the
// real CLI as a child process.
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario } from '../runtime/scenario/scenario-loader.js';
import { resolveRunOptions, type RunOptions } from '../runtime/run/run-options.js';
import { Run, type RunDeps } from '../runtime/run/run.js';
import type { RunSummary } from '../runtime/run/run-summary.js';
import type { TelemetryEvent } from '../runtime/protocol.js';
import { PACKS } from '../actors/index.js';

export { PACKS };

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'dist/cli/main.js');

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'tickwork-test-'));
}

export function scenario(fields: Record<string, unknown>) {
  return parseScenario(PACKS, { name: 'test', duration: { simMinutes: 30 }, ...fields }, 'test scenario');
}

export function smallLedger(extra: Record<string, unknown> = {}) {
  return scenario({
    pack: 'ledger',
    duration: { simMinutes: 90 },
    policies: { accounts: 400, initialBalance: 1000, maxTransfer: 100, transferEveryMs: 20_000, transitMaxMs: 5000 },
    invariants: [
      {
        id: 'total',
        metric: 'ledger.balance_total',
        statistic: 'value',
        operator: '==',
        threshold: 400_000,
        severity: 'critical',
      },
      {
        id: 'nonneg',
        metric: 'ledger.balance_min',
        statistic: 'value',
        operator: '>=',
        threshold: 0,
        severity: 'critical',
      },
    ],
    checkpointEveryMin: 20,
    ...extra,
  });
}

export interface Outcome {
  summary: RunSummary;
  events: TelemetryEvent[];
  run: Run;
}

export async function runIt(
  sc: ReturnType<typeof scenario>,
  opts: Partial<Omit<RunOptions, 'scenario' | 'scenarioRef'>> = {},
  deps: Partial<RunDeps> = {},
  during?: (run: Run) => void,
): Promise<Outcome> {
  const options = resolveRunOptions('test', sc, { seed: 1, workers: 0, pace: 'turbo', ...opts });
  const run = new Run(options, { packs: PACKS, ...deps });
  const events: TelemetryEvent[] = [];
  run.bus.on('event', (e) => events.push(e));
  during?.(run);
  const summary = await run.execute();
  return { summary, events, run };
}

export function cliSync(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    cwd: ROOT,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function cliSpawn(args: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The CLI as a child process, for commands that run for seconds (the test's event loop stays free): its exit and output. */
export function cliAsync(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = cliSpawn(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

export function lastJsonLine(stdout: string): any {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

export interface ServerProcess {
  url: string;
  proc: ReturnType<typeof cliSpawn>;
  output: () => string;
  /** SIGTERM, then the exit code (or null if it had to be killed). */
  stop(): Promise<number | null>;
}

/** `tickwork serve` as a child process on a free loopback port, ready when it says so. */
export async function startServerProcess(
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const proc = cliSpawn(['serve', '--port', '0', ...args], { TICKWORK_LOG_LEVEL: 'silent', ...env });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 15_000);
    proc.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    url,
    proc,
    output: () => out,
    async stop() {
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
  };
}

/** JSON over real HTTP; returns the status and the parsed body. */
export async function http(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body: parsed };
}

/**
 * Poll a condition until it holds: tests wait on state (a row in the store, a line of output),
 * never on a fixed sleep. The deadline only turns a hang into a failure with a message.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  deadlineMs = 60_000,
): Promise<T> {
  const started = performance.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (performance.now() - started > deadlineMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Whether a run has a periodic checkpoint (one with partition data) in the store file. */
export function hasPartitionCheckpoint(db: string, runId: string): boolean {
  const file = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (
      file.prepare('SELECT 1 FROM run_checkpoints WHERE run_id = ? AND partitions IS NOT NULL LIMIT 1').get(runId) !==
      undefined
    );
  } finally {
    file.close();
  }
}

/**
 * A raw HTTP request, so Host and Origin can be anything (fetch will not send a foreign Host) and
 * a body can be any bytes. `text` as received; `body` parsed as JSON when it is JSON.
 */
export function rawRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string | Buffer,
  /** For a stream that stays open (SSE): answer with the first chunk and hang up. */
  { firstBytesOnly = false }: { firstBytesOnly?: boolean } = {},
): Promise<{ status: number; text: string; body: any; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        text += d;
        if (firstBytesOnly && res.headers['content-type']?.startsWith('text/event-stream')) {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, text, body: text, headers: res.headers });
        }
      });
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON: keep the text */
        }
        resolve({ status: res.statusCode ?? 0, text, body: parsed, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Wait until the child has printed its runId (on stderr with --json), then return the id. */
export function runIdOf(child: ReturnType<typeof cliSpawn>): Promise<string> {
  let out = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk) => {
      out += chunk;
      const m = /runId=([0-9a-f-]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(`no runId in output: ${out}`)));
  });
}
