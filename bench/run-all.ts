// `npm run bench`: every benchmark in turn, each printing its figures beside its same-run baseline.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

for (const name of [
  'actor-steps',
  'messaging',
  'empty-tick',
  'idle',
  'simcity',
  'healthz',
  'service',
  'dealflight',
  'rebalance',
  'exec',
  'crm',
  'sweep',
]) {
  const file = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  const r = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
