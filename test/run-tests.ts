// `npm test`'s runner: uvu over every built test file, with a guard on its counts. uvu 0.5 swallows
// an error thrown in a `before` hook: the suite shows `(0 / 3)` and the process still exits 0.
// So the counts decide: every suite must pass every test it declared, or the run fails, loudly,
// naming the suite. Ends with the line CI reads: `N passed, N failed`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// uvu's package exports do not include its bin, so it is run by path.
const uvu = path.join(ROOT, 'node_modules', 'uvu', 'bin.js');
const pattern = process.argv[2] ?? '.*\\.test\\.js$';

const child = spawn(process.execPath, [uvu, 'dist/test', pattern], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
let output = '';
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  output += chunk.toString();
});
const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));

const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
let passed = 0;
let declared = 0;
const short: string[] = [];
let suite = '';
for (const line of plain.split('\n')) {
  const name = /^(\S+\.test\.js)\s*$/.exec(line);
  if (name) suite = name[1];
  const counts = /\((\d+) \/ (\d+)\)\s*$/.exec(line);
  if (!counts) continue;
  const [ok, total] = [Number(counts[1]), Number(counts[2])];
  passed += ok;
  declared += total;
  if (ok < total) short.push(`${suite}: ${ok} of ${total} passed${ok === 0 ? ' (a failing before hook fails every test)' : ''}`);
}
const failed = declared - passed;
if (short.length > 0) console.error(`\nNot every test passed:\n  ${short.join('\n  ')}`);
if (declared === 0) console.error('\nNo test ran: is dist/test built?');
const broken = code !== 0 || failed > 0 || declared === 0;
console.log(`${passed} passed, ${broken && failed === 0 ? 1 : failed} failed`);
process.exitCode = broken ? 1 : 0;
