// `npm test`'s runner: uvu over every built test file, with a guard on its counts. uvu 0.5 swallows
// an error thrown in a `before` hook: the suite shows `(0 / 3)` and the process still exits 0.
// So the counts decide: every suite must pass every test it declared, or the run fails, loudly,
// naming the suite. Ends with the line CI reads: `N passed, N failed`.
//
// The files run in TEST_SHARDS uvu processes at once (default 2, one per core of the CI machine):
// most suites wait on child processes, servers and browsers more than they compute. Files are
// dealt to shards by their usual duration, longest first; each suite's lines are printed as one
// block as soon as it is done (so a long run shows progress, and two shards never interleave).
// Suites that need a real nats-server get it first (ensure-nats-server.ts).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNatsServer } from './ensure-nats-server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// uvu's package exports do not include its bin, so it is run by path.
const uvu = path.join(ROOT, 'node_modules', 'uvu', 'bin.js');
const pattern = new RegExp(process.argv[2] ?? '.*\\.test\\.js$');
const shards = Math.max(1, Number(process.env.TEST_SHARDS ?? 2));

/** Usual seconds per suite on the CI machine (others count as 10): only used to balance the shards. */
const USUAL_SECONDS: Record<string, number> = {
  'recovery.test.js': 160,
  'calibration.test.js': 150,
  'cli.test.js': 110,
  'simcity.test.js': 90,
  'store-faults.test.js': 75,
  'dashboard.test.js': 75,
  'sweep.test.js': 45,
  'fleet.test.js': 50,
  'crm-http-sink.test.js': 70,
  'exec-service.test.js': 35,
  'determinism.test.js': 30,
  'crm-api.test.js': 12,
  'rebalance-sim.test.js': 12,
  'rebalance-api.test.js': 10,
};

/** Built test files under dist/test, as paths relative to it: engine suites at the top, a pack's in test/<pack>/. */
function testFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}
const usualSeconds = (f: string) => USUAL_SECONDS[path.basename(f)] ?? 10;

const files = testFiles(path.join(ROOT, 'dist', 'test'))
  .filter((f) => pattern.test(f))
  .sort();
const dealt: string[][] = Array.from({ length: shards }, () => []);
const load = new Array<number>(shards).fill(0);
for (const f of [...files].sort((a, b) => usualSeconds(b) - usualSeconds(a))) {
  const i = load.indexOf(Math.min(...load));
  dealt[i].push(f);
  load[i] += usualSeconds(f);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts uvu's colour sequences.
const COLOURS = /\x1b\[[0-9;]*m/g;
/** uvu's first line of a suite: the file's name. */
const SUITE_START = /^(\S+\.test\.js)\s*$/;

/** A shard's output, printed a suite at a time: whatever came before a new suite's first line is complete. */
function suitePrinter(): { add(chunk: string): void; end(): void } {
  let pending = '';
  return {
    add(chunk) {
      pending += chunk;
      const lines = pending.split('\n');
      let cut = -1;
      for (let i = lines.length - 2; i > 0; i--) {
        if (SUITE_START.test(lines[i].replace(COLOURS, ''))) {
          cut = i;
          break;
        }
      }
      if (cut <= 0) return;
      process.stdout.write(`${lines.slice(0, cut).join('\n')}\n`);
      pending = lines.slice(cut).join('\n');
    },
    end() {
      process.stdout.write(pending);
      pending = '';
    },
  };
}

function runShard(list: string[]): Promise<{ code: number; output: string }> {
  if (list.length === 0) return Promise.resolve({ code: 0, output: '' });
  const only = `^(${list.map((f) => f.replace(/[.]/g, '\\.')).join('|')})$`;
  const child = spawn(process.execPath, [uvu, 'dist/test', only], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const printer = suitePrinter();
  let output = '';
  const take = (chunk: Buffer) => {
    output += chunk.toString();
    printer.add(chunk.toString());
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  return new Promise((resolve) =>
    child.on('close', (c) => {
      printer.end();
      resolve({ code: c ?? 1, output });
    }),
  );
}

const needsNats = files.filter((f) =>
  readFileSync(path.join(ROOT, 'dist', 'test', f), 'utf8').includes('nats-server.js'),
);
if (needsNats.length > 0) {
  const missing = ensureNatsServer((line) => console.log(line));
  if (missing) {
    console.error(
      `${missing} (needed by ${needsNats.join(', ')}; the other suites: npm test -- '^(?!exec/).*\\.test\\.js$')`,
    );
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
console.log(
  `${files.length} suites in ${Math.min(shards, files.length)} shard(s) (TEST_SHARDS); each prints when it ends`,
);
const results = await Promise.all(dealt.map(runShard));
let code = 0;
let output = '';
for (const r of results) {
  output += r.output;
  if (r.code !== 0) code = r.code;
}

const plain = output.replace(COLOURS, '');
let passed = 0;
let declared = 0;
const short: string[] = [];
let suite = '';
for (const line of plain.split('\n')) {
  const name = SUITE_START.exec(line);
  if (name) suite = name[1];
  const counts = /\((\d+) \/ (\d+)\)\s*$/.exec(line);
  if (!counts) continue;
  const [ok, total] = [Number(counts[1]), Number(counts[2])];
  passed += ok;
  declared += total;
  if (ok < total)
    short.push(`${suite}: ${ok} of ${total} passed${ok === 0 ? ' (a failing before hook fails every test)' : ''}`);
}
const failed = declared - passed;
if (short.length > 0) console.error(`\nNot every test passed:\n  ${short.join('\n  ')}`);
if (declared === 0) console.error('\nNo test ran: is dist/test built?');
const broken = code !== 0 || failed > 0 || declared === 0;
console.log(`${passed} passed, ${broken && failed === 0 ? 1 : failed} failed`);
process.exitCode = broken ? 1 : 0;
