// Sweeps on a fleet: `tickwork agent` processes and `tickwork sweep --nats` against a real
// nats-server with JetStream. Where the host allows `ip netns` (root on Linux, as in CI), the agents
// run in two network namespaces of their own, each with its own address, reaching nats-server
// over a veth pair as another machine would; on loopback otherwise. Jobs must be shared by the
// agents, survive an agent's SIGKILL and a nats-server restart, count once, and land in the
// submitter's store.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type ChildProcess, spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import path from 'node:path';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { CLI, cliAsync, cliSpawn, cliSync, lastJsonLine, ROOT, tempDir, waitFor } from './helpers.js';
import { NatsServer } from './nats-server.js';
import { createNetNamespaces, deleteNetNamespaces, type NetNamespace } from './net-namespaces.js';

let nats: NatsServer;
let dir: string;
let namespaces: NetNamespace[] | undefined;
const children: ChildProcess[] = [];

test.before(async () => {
  namespaces = createNetNamespaces(2);
  console.log(namespaces ? 'agents in network namespaces' : 'agents on loopback (no ip netns here)');
  nats = await NatsServer.start(namespaces ? '0.0.0.0' : '127.0.0.1');
  dir = tempDir();
});

test.after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await nats?.kill();
  deleteNetNamespaces(namespaces);
});

/** The CLI as a child whose output the test reads while it runs; in network namespace `ns` when given. */
function live(args: string[], ns?: NetNamespace) {
  const child = ns
    ? spawn('ip', ['netns', 'exec', ns.name, process.execPath, CLI, ...args], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : cliSpawn(args);
  children.push(child);
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d) => (out.stdout += d));
  child.stderr.on('data', (d) => (out.stderr += d));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, out, exited };
}

let agentsMade = 0;

/** An agent, ready once it has printed its start line (connected, its consumer made); in turn in each namespace. */
async function agent(name: string, extra: string[] = []) {
  const ns = namespaces?.[agentsMade++ % namespaces.length];
  const url = ns ? `nats://${ns.hostAddress}:${nats.port}` : nats.url;
  const db = path.join(dir, `${name}.db`);
  const a = live(['agent', '--nats', url, '--parallel', '1', '--db', db, ...extra], ns);
  await waitFor(`agent ${name} to start`, () => /^tickwork agent \S+ {2}version (\S+)/m.exec(a.out.stdout), 30_000);
  const pid = a.child.pid;
  return { ...a, id: `:${pid}`, version: /version (\S+)/.exec(a.out.stdout)![1] };
}

async function stopAgents(...agents: { child: ChildProcess; exited: Promise<number | null> }[]) {
  for (const a of agents) if (a.child.exitCode === null && a.child.signalCode === null) a.child.kill('SIGTERM');
  await Promise.all(agents.map((a) => a.exited));
}

const sweepArgs = (db: string, ...rest: string[]) => ['sweep', 'ledger', '--nats', nats.url, '--db', db, ...rest];

test('two agents share a sweep: results and runs land in the submitter store, digests equal a local run', async () => {
  const a = await agent('a', ['--ack-wait', '3s']);
  const b = await agent('b', ['--ack-wait', '3s']);
  const db = path.join(dir, 'submitter.db');
  const r = await cliAsync(
    sweepArgs(db, '--seeds', '1..3', '--policy', 'initialBalance=1000,999', '--duration', '10m', '--json'),
  );
  assert.is(r.code, 1, r.stderr); // the 999 parameter set breaks conservation
  assert.match(r.stderr, /fleet: 2 agents on tickwork \S+/);
  const sweep = lastJsonLine(r.stdout);
  assert.is(sweep.runs.length, 6);
  assert.equal(sweep.passRates.map((p: { params: string; passed: number }) => [p.params, p.passed]).sort(), [
    ['initialBalance=1000', 3],
    ['initialBalance=999', 0],
  ]);
  const agents = new Set(sweep.runs.map((run: { agent: string }) => run.agent.replace(/^.*:/, ':')));
  assert.equal([...agents].sort(), [a.id, b.id].sort(), 'both agents ran jobs');
  if (namespaces) {
    const netOf = (pid: number | string) => readlinkSync(`/proc/${pid}/ns/net`);
    const nets = new Set([netOf('self'), netOf(a.child.pid!), netOf(b.child.pid!)]);
    assert.is(nets.size, 3, 'each agent in a network namespace of its own');
  }
  // The runs are in this store: listed by the sweep's label, and replayable here.
  const listed = cliSync(['runs', '--sweep', sweep.sweepId, '--db', db, '--json']);
  assert.is(listed.code, 0, listed.stderr);
  assert.is(JSON.parse(listed.stdout).length, 6);
  const failing = sweep.runs.find(
    (run: { verdict: string; seed: number }) => run.verdict === 'FAILED' && run.seed === 2,
  );
  const replay = cliSync(['replay', failing.runId, '--db', db]);
  assert.match(replay.stdout, /MATCH/);
  // The same case on this machine, without the fleet: the same digest.
  const local = cliSync([
    'run',
    'ledger',
    '--seed',
    '2',
    '--policy',
    'initialBalance=999',
    '--duration',
    '10m',
    '--pace',
    'turbo',
    '--json',
    '--db',
    path.join(dir, 'local.db'),
  ]);
  assert.is(lastJsonLine(local.stdout).digest, failing.digest);
  await stopAgents(a, b);
  assert.match(a.out.stdout, /stopped after \d+ runs/);
});

test('an agent killed mid-run: its job is delivered to another agent and the redone run counts once', async () => {
  const a = await agent('killed', ['--ack-wait', '2s']);
  const b = await agent('survivor', ['--ack-wait', '2s']);
  const db = path.join(dir, 'kill.db');
  // Paced, so each run lasts a few seconds: long enough to be killed in the middle of one.
  const sweep = live(sweepArgs(db, '--seeds', '1..4', '--duration', '20m', '--pace', '600', '--json'));
  const started = await waitFor(
    'agent a to start a job',
    () => /^job (\S+) seed (\d+) .*started/m.exec(a.out.stdout) ?? undefined,
  );
  a.child.kill('SIGKILL');
  assert.is(await sweep.exited, 0, sweep.out.stderr);
  const result = lastJsonLine(sweep.out.stdout);
  assert.is(result.runs.length, 4, 'every job has exactly one result');
  assert.equal(result.runs.map((r: { seed: number }) => r.seed).sort(), [1, 2, 3, 4]);
  const redone = result.runs.find((r: { seed: number }) => r.seed === Number(started[2]));
  assert.is(redone.agent.replace(/^.*:/, ':'), b.id, 'the survivor ran the killed agent’s job');
  assert.match(b.out.stdout, new RegExp(`^job ${started[1].replace('.', '\\.')} .*started \\(delivery 2\\)`, 'm'));
  const local = cliSync(['run', 'ledger', '--seed', started[2], '--duration', '20m', '--pace', 'turbo', '--json']);
  assert.is(lastJsonLine(local.stdout).digest, redone.digest, 'the redone run gives the same digest');
  await stopAgents(b);
});

test('a nats-server restart in the middle of a sweep pauses it; no job is lost or counted twice', async () => {
  const a = await agent('outage', ['--ack-wait', '3s']);
  const db = path.join(dir, 'outage.db');
  const sweep = live(sweepArgs(db, '--seeds', '1..4', '--duration', '10m', '--pace', '600', '--json'));
  await waitFor('the first result', () => /^\[1\/4\]/m.test(sweep.out.stderr));
  await nats.kill();
  await nats.restart();
  assert.is(await sweep.exited, 0, sweep.out.stderr);
  const result = lastJsonLine(sweep.out.stdout);
  assert.equal(result.runs.map((r: { seed: number }) => r.seed).sort(), [1, 2, 3, 4]);
  assert.ok(
    result.runs.every((r: { verdict: string }) => r.verdict === 'PASSED'),
    JSON.stringify(result.runs),
  );
  const listed = cliSync(['runs', '--sweep', result.sweepId, '--db', db, '--json']);
  assert.is(JSON.parse(listed.stdout).length, 4);
  await stopAgents(a);
});

test('a job that no agent finishes within its delivery bound becomes a dead letter; the sweep still ends', async () => {
  const a = await agent('doomed', ['--ack-wait', '2s', '--max-deliver', '1']);
  const db = path.join(dir, 'dead.db');
  const sweep = live(sweepArgs(db, '--seeds', '1..2', '--duration', '20m', '--pace', '600', '--json'));
  const started = await waitFor(
    'a job to start',
    () => /^job \S+ seed (\d+) .*started/m.exec(a.out.stdout) ?? undefined,
  );
  a.child.kill('SIGKILL');
  const b = await agent('rescuer', ['--ack-wait', '2s', '--max-deliver', '1']);
  assert.is(await sweep.exited, 1, sweep.out.stderr);
  const result = lastJsonLine(sweep.out.stdout);
  const dead = result.runs.find((r: { seed: number }) => r.seed === Number(started[1]));
  assert.is(dead.verdict, 'ERROR');
  assert.match(dead.error, /^dead-letter after 1 deliveries: no agent finished it/);
  const other = result.runs.find((r: { seed: number }) => r.seed !== Number(started[1]));
  assert.is(other.verdict, 'PASSED');
  await stopAgents(b);
});

test('a job of another build or not a job at all is refused with its reason; bad flags exit 2', async () => {
  const a = await agent('strict', ['--ack-wait', '3s']);
  const token = a.version.replace(/[^A-Za-z0-9_-]/g, '_');
  const job = {
    v: 1,
    version: '0.0.1+0000000000',
    sweepId: 'abcdefabcdef',
    caseIndex: 0,
    scenario: 'ledger',
    seed: 1,
    policies: {},
    pace: 'turbo',
    workers: '0',
  };
  const fileJob = { ...job, version: a.version, caseIndex: 1, scenario: '/etc/passwd' };
  await nats.publishRaw(`tickwork.jobs.${token}.abcdefabcdef`, [
    'not json',
    JSON.stringify(job),
    JSON.stringify(fileJob),
  ]);
  const nc = await connect({ servers: nats.url });
  try {
    const kv = await new Kvm(nc).open('tickwork_results');
    const refused = await waitFor('the refusal', async () => (await kv.get('abcdefabcdef.0'))?.json<any>());
    assert.is(refused.status, 'refused');
    assert.match(
      refused.error,
      new RegExp(`runs tickwork ${a.version.replace('+', '\\+')}, the job was made by 0\\.0\\.1`),
    );
    const noFile = await waitFor('the file refusal', async () => (await kv.get('abcdefabcdef.1'))?.json<any>());
    assert.is(noFile.status, 'refused');
  } finally {
    await nc.close();
  }
  assert.match(a.out.stdout, /refused stream message \d+: not a tickwork job/);
  // Refused jobs are not left in the queue (terminated, so never delivered again).
  await waitFor('the queue to empty', async () => (await nats.streamSize('TICKWORK_JOBS')) === 0, 10_000).catch(
    async (err) => {
      throw new Error(`${err.message}: ${JSON.stringify(await nats.messages('TICKWORK_JOBS'))}`);
    },
  );
  await stopAgents(a);

  const noUrl = cliSync(['agent']);
  assert.is(noUrl.code, 2);
  assert.is(noUrl.stderr.trim().split('\n').length, 1, noUrl.stderr);
  const parallel = cliSync(sweepArgs(path.join(dir, 'x.db'), '--seeds', '1..2', '--parallel', '2'));
  assert.is(parallel.code, 2);
  assert.match(parallel.stderr, /--parallel is each agent's with --nats/);
});

test.run();
