// The pack platform through its public surfaces: the catalogue over HTTP and the CLI, scenario
// names (<pack>, <pack>/<name>, runbook names), fail-closed contracts, a pack's own service
// listener and its CLI verbs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { Router } from 'express';
import { Counter } from 'prom-client';
import { startServer } from '../server/server.js';
import { PackError } from '../runtime/errors.js';
import { errorLine, exitCodeFor } from '../runtime/edge/exit-codes.js';
import { PackCatalogue } from '../runtime/packs/pack-catalogue.js';
import { packCommand } from '../cli/commands/pack.js';
import { once } from 'node:events';
import { PACKS, cliSpawn, cliSync, http, lastJsonLine, tempDir } from './helpers.js';

test('GET /api/packs lists every pack; /api/packs/:pack gives its contract as JSON Schema', async () => {
  const server = await startServer({
    packs: PACKS,
    host: '127.0.0.1',
    port: 0,
    dbPath: path.join(tempDir(), 'p.db'),
    token: undefined,
  });
  try {
    const list = await http('GET', `${server.url}/api/packs`);
    assert.is(list.status, 200);
    const simcity = list.body.packs.find((p: { name: string }) => p.name === 'simcity');
    assert.equal(simcity.scenarios, ['baseline', 'capacity', 'disaster_mix', 'growth_curve', 'soak', 'vendor_sla']);
    assert.is(simcity.page, '/admin/simcity');
    const contract = await http('GET', `${server.url}/api/packs/simcity`);
    assert.is(contract.body.policies.properties.customerSpawnRate.maximum, 1000);
    assert.is(contract.body.policies.additionalProperties, false, 'unknown policies are refused');
    assert.ok(contract.body.events.RATE_LIMIT_BURST.properties.multiplier, 'event parameters are described');
    assert.is(contract.body.invariants.api_p95_response_time.threshold, 500);
    const missing = await http('GET', `${server.url}/api/packs/constructor`);
    assert.is(missing.status, 404);
    assert.is(missing.body.error.code, 'TW_ERR_PACK_NOT_FOUND');
  } finally {
    await server.close('test over');
  }
});

test('over HTTP only catalogue scenarios run, by <pack>, <pack>/<name> or runbook name; contracts are fail-closed', async () => {
  const server = await startServer({
    packs: PACKS,
    host: '127.0.0.1',
    port: 0,
    dbPath: path.join(tempDir(), 'h.db'),
    token: undefined,
  });
  try {
    const ids: string[] = [];
    for (const scenario of ['ledger', 'ledger/ledger', 'simcity/baseline', 'baseline']) {
      // Inline (no threads), so that the server's thread budget does not depend on how fast runs end.
      const r = await http('POST', `${server.url}/api/runs`, { scenario, seed: 1, pace: 'turbo', workers: 0 });
      assert.is(r.status, 201, `${scenario}: ${JSON.stringify(r.body)}`);
      ids.push(r.body.runId);
    }
    // Run ids by unique prefix.
    const byPrefix = await http('GET', `${server.url}/api/runs/${ids[0].slice(0, 8)}`);
    assert.is(byPrefix.body.runId, ids[0]);
    const report = await fetch(`${server.url}/api/runs/${ids[0].slice(0, 8)}/report?download=1`);
    assert.is(report.status, 200);
    assert.match(report.headers.get('content-type') ?? '', /text\/html/);
    assert.match(
      report.headers.get('content-disposition') ?? '',
      new RegExp(`attachment; filename="report-${ids[0]}.html"`),
    );
    assert.match(await report.text(), /id="summary"/);
    const cmp = await http('GET', `${server.url}/api/compare?a=${ids[0]}&b=${ids[1].slice(0, 8)}`);
    assert.is(cmp.status, 200, JSON.stringify(cmp.body));
    assert.is(cmp.body.data.b.runId, ids[1]);
    for (const scenario of [
      '/etc/passwd',
      '../../etc/passwd',
      'scenarios/simcity/baseline.json',
      'constructor',
      'simcity/__proto__',
    ]) {
      const r = await http('POST', `${server.url}/api/runs`, { scenario });
      assert.is(r.status, 404, scenario);
      assert.is(r.body.error.code, 'TW_ERR_SCENARIO_NOT_FOUND');
      assert.not.match(r.body.error.message, /root:/);
    }
    const unknown = await http('POST', `${server.url}/api/runs`, { scenario: 'ledger', policies: { bogus: 1 } });
    assert.is(unknown.status, 400);
    assert.is(unknown.body.error.path, 'policies.bogus');
    assert.match(unknown.body.error.message, /unknown ledger policy 'bogus'; known: accounts, initialBalance/);
    // The runtime's own policies are valid in every pack.
    const runtimePolicy = await http('POST', `${server.url}/api/runs`, {
      scenario: 'ledger',
      seed: 2,
      pace: 'turbo',
      workers: 0,
      policies: { 'runtime.maxMailboxMessages': 100000 },
    });
    assert.is(runtimePolicy.status, 201);
  } finally {
    await server.close('test over');
  }
});

test("a pack's service listens on its own port with only its routes; a pack without one is refused", async () => {
  const packs = new PackCatalogue([
    ...PACKS.all().filter((m) => m.name !== 'simcity'),
    {
      ...PACKS.get('simcity'),
      surfaces: {
        ...PACKS.get('simcity').surfaces,
        service: {
          defaultPort: 8004,
          http: (ctx) =>
            Router().get('/metrics', (_req, res) => res.type('text/plain').send(ctx.packMetricsText('simcity'))),
        },
      },
    },
  ]);
  const dbPath = path.join(tempDir(), 's.db');
  const server = await startServer({
    packs,
    host: '127.0.0.1',
    port: 0,
    dbPath,
    token: undefined,
    services: [{ pack: 'simcity', port: 0 }],
    startRun: { scenario: 'baseline', seed: 4, pace: 2000 },
  });
  try {
    const serviceUrl = server.services.simcity;
    assert.ok(serviceUrl && serviceUrl !== server.url, 'a listener of its own');
    const metrics = await (await fetch(`${serviceUrl}/metrics`)).text();
    assert.match(metrics, /# TYPE simcity_api_request_duration_seconds histogram/);
    assert.not.match(metrics, /tickwork_/, 'only the pack families');
    const other = await http('GET', `${serviceUrl}/api/runs`);
    assert.is(other.status, 404);
    assert.is(other.body.error.code, 'TW_ERR_NOT_FOUND');
  } finally {
    await server.close('test over');
  }
  const refused = await startServer({
    packs,
    host: '127.0.0.1',
    port: 0,
    dbPath,
    token: undefined,
    services: [{ pack: 'ledger' }],
  }).then(
    () => 'started',
    (err: Error) => err.message,
  );
  assert.match(refused, /pack ledger has no service of its own/);
});

test("a pack's routes: its own error codes answer like the runtime's, its counters join the server's /metrics; closing tells it first", async () => {
  let storeOpenAtClosing: boolean | undefined;
  const packs = new PackCatalogue([
    {
      ...PACKS.get('ledger'),
      surfaces: {
        http: (ctx) => {
          // Background work stops on `closing`, while the store is still open.
          ctx.closing.addEventListener('abort', () => (storeOpenAtClosing = ctx.store.open));
          const asked = new Counter({
            name: 'ledger_audits_total',
            help: 'audits asked for',
            registers: [ctx.metricsRegistry],
          });
          return Router().post('/api/ledger/audit', ctx.requireAdmin, () => {
            asked.inc();
            throw new PackError('LEDGER_CLOSED', 409, 'the books are closed for the night', 'day', {
              reopensAt: '06:00',
            });
          });
        },
      },
    },
  ]);
  const server = await startServer({
    packs,
    host: '127.0.0.1',
    port: 0,
    dbPath: path.join(tempDir(), 'pe.db'),
    token: undefined,
  });
  try {
    const r = await http('POST', `${server.url}/api/ledger/audit`, {});
    assert.is(r.status, 409);
    assert.equal(r.body.error, {
      code: 'LEDGER_CLOSED',
      message: 'the books are closed for the night',
      path: 'day',
      reopensAt: '06:00',
    });
    assert.match(await (await fetch(`${server.url}/metrics`)).text(), /^ledger_audits_total 1$/m);
    assert.is(storeOpenAtClosing, undefined, 'not closing yet');
  } finally {
    await server.close('test over');
  }
  assert.is(storeOpenAtClosing, true, 'closing fired before the store closed');
  // The CLI answers the same refusal with one line and the usage exit code.
  const refusal = new PackError('LEDGER_CLOSED', 409, 'the books are closed for the night');
  assert.equal(
    [errorLine(refusal), exitCodeFor(refusal)],
    ['tickwork: the books are closed for the night [LEDGER_CLOSED]', 2],
  );
  assert.is(exitCodeFor(new PackError('LEDGER_DOWN', 503, 'down')), 3);
});

test('wait: a long poll over HTTP and tickwork wait from the CLI end with the summary; fail-fast over HTTP ends a run as failed', async () => {
  const db = path.join(tempDir(), 'w.db');
  const server = await startServer({ packs: PACKS, host: '127.0.0.1', port: 0, dbPath: db, token: undefined });
  try {
    // Paced: six sim hours in about six wall seconds.
    const started = await http('POST', `${server.url}/api/runs`, {
      scenario: 'ledger',
      seed: 5,
      pace: 3600,
      workers: 0,
    });
    const id: string = started.body.runId;
    const early = await http('GET', `${server.url}/api/runs/${id}/wait?timeoutS=0`);
    assert.equal([early.status, early.body.data.waited], [202, 'timeout']);
    const cli = cliSpawn(['wait', id.slice(0, 8), '--db', db, '--json']);
    let out = '';
    cli.stdout!.on('data', (d) => (out += d));
    const [code] = await once(cli, 'exit');
    assert.is(code, 0);
    const fromCli = JSON.parse(out);
    assert.equal([fromCli.runId, fromCli.status], [id, 'completed']);
    const done = await http('GET', `${server.url}/api/runs/${id}/wait?timeoutS=60`);
    assert.equal([done.status, done.body.data.digest], [200, fromCli.digest]);

    // A city with almost no API capacity fails its error-rate gate; fail-fast ends it there.
    const ff = await http('POST', `${server.url}/api/runs`, {
      scenario: 'baseline',
      seed: 1,
      pace: 'turbo',
      workers: 0,
      failFast: true,
      policies: { apiCapacityPerMin: 1 },
    });
    const ended = await http('GET', `${server.url}/api/runs/${ff.body.runId}/wait?timeoutS=120`);
    assert.is(ended.body.data.status, 'failed');
    assert.match(ended.body.data.error, /^fail-fast: critical gate \w+ failed at sim \d+ ms/);
    assert.ok(ended.body.data.simTimeMs < 20 * 3_600_000, 'stopped early');
  } finally {
    await server.close('test over');
  }
});

test("a pack's CLI verbs: tickwork <pack> <verb>, --help lists them, an unknown verb is a usage error", async () => {
  const calls: string[][] = [];
  const packs = new PackCatalogue([
    {
      ...PACKS.get('ledger'),
      surfaces: {
        commands: {
          audit: {
            summary: 'check the books',
            run: async (argv) => {
              calls.push(argv);
              return 0;
            },
          },
        },
      },
    },
  ]);
  assert.is(
    await packCommand('ledger', ['audit', '--deep'], {
      packs,
      startServer: async () => Promise.reject(new Error('unused')),
    }),
    0,
  );
  assert.equal(calls, [['--deep']]);
  await packCommand('ledger', ['nope'], { packs, startServer: async () => Promise.reject(new Error('unused')) }).then(
    () => assert.unreachable('an unknown verb must fail'),
    (err: Error & { code?: string }) => {
      assert.is(err.code, 'TW_ERR_USAGE');
      assert.match(err.message, /unknown verb 'nope' \(verbs: audit\)/);
    },
  );
});

test('the CLI: packs, scenarios by pack name, and an unknown command', () => {
  const packs = cliSync(['packs', '--json']);
  assert.is(packs.code, 0);
  assert.equal(
    JSON.parse(packs.stdout)
      .map((p: { name: string }) => p.name)
      .sort(),
    PACKS.names().sort(),
  );
  const db = path.join(tempDir(), 'c.db');
  const a = lastJsonLine(
    cliSync([
      'run',
      'ledger',
      '--seed',
      '3',
      '--workers',
      '0',
      '--pace',
      'turbo',
      '--duration',
      '20m',
      '--db',
      db,
      '--json',
    ]).stdout,
  );
  const b = lastJsonLine(
    cliSync([
      'run',
      'ledger/ledger',
      '--seed',
      '3',
      '--workers',
      '0',
      '--pace',
      'turbo',
      '--duration',
      '20m',
      '--db',
      db,
      '--json',
    ]).stdout,
  );
  assert.is(a.digest, b.digest);
  const unknown = cliSync(['frobnicate']);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
});

test.run();
