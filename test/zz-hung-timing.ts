import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PackCatalogue } from '../runtime/packs/pack-catalogue.js';
import { probePack } from '../actors/probe/pack.js';
import { startServer } from '../server/server.js';
import { PACKS, http, tempDir, waitFor } from './helpers.js';
const dir = tempDir();
const hung = {
  name: 'hung',
  pack: 'probe',
  tickMs: 100,
  partitions: 2,
  duration: { simMinutes: 600 },
  checkpointEveryMin: 1,
  tickWatchdogSec: 3600,
  policies: { 'probe.actors': [{ kind: 'recorder' }, { kind: 'spinner' }] },
};
writeFileSync(path.join(dir, 'hung.json'), JSON.stringify(hung));
const packs = new PackCatalogue([
  ...PACKS.all().filter((m) => m.name !== 'probe'),
  { ...probePack, contract: { ...probePack.contract, scenarios: { dir, default: 'hung' } } },
]);
const server = await startServer({
  packs,
  host: '127.0.0.1',
  port: 0,
  dbPath: path.join(dir, 'h.db'),
  token: undefined,
});
const started = await http('POST', `${server.url}/api/runs`, { scenario: 'probe/hung', workers: 2, pace: 1, seed: 3 });
const runId = started.body.runId as string;
server.runs.get(runId)!.run.submit({ kind: 'message', to: 1, body: 'spin' });
await waitFor('stuck', async () => (await http('GET', `${server.url}/healthz`)).body.stuckRuns);
const t0 = performance.now();
(globalThis as any).__t0 = t0;
await server.close('test');
console.log('close took', Math.round(performance.now() - t0), 'ms');
