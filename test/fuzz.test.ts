// Hostile requests against every route group of a real server on loopback: wrong types, huge and
// negative numbers, 10k-deep nesting, prototype keys, invalid UTF-8, path traversal in ids and
// scenario names, oversize bodies, foreign Origin and Host. At least 1,000 per group, drawn from a
// fixed seed (a failure names the request). None may answer 5xx, none may carry a file's content,
// nothing may start, and the server must still serve afterwards.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { startServer } from '../server/server.js';
import { PACKS, http, rawRequest, tempDir } from './helpers.js';

const PER_GROUP = 1000;

/** Strings whose presence in a response would mean a file was read and echoed. */
const FILE_MARKERS = [
  'root:x:0:0',
  readFileSync('/proc/self/environ', 'utf8')
    .split('\0')
    .find((kv) => kv.startsWith('PATH='))!,
  '"scripts"',
];

let rng: RandomGenerator = xoroshiro128plus(1201);
function int(lo: number, hi: number): number {
  return uniformInt(rng, lo, hi);
}
function pick<T>(xs: readonly T[]): T {
  return xs[int(0, xs.length - 1)];
}

const TRAVERSALS = [
  '../../etc/passwd',
  '/etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '/proc/self/environ',
  '....//....//etc/passwd',
  '..\\..\\package.json',
  '../package.json',
  'simcity/../../../../etc/passwd',
  '%00',
  'baseline%00.json',
  'baseline\u0000',
];
const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
];
const NUMBERS = [-1, -1e9, 1e308, -1e308, 2 ** 53 + 1, 1e9, 0.5, -0, 99999999999, Number.MAX_SAFE_INTEGER];

function deep(n: number): string {
  return '['.repeat(n) + ']'.repeat(n);
}

/** A hostile JSON value. */
function value(depth = 0): unknown {
  switch (int(0, depth > 2 ? 5 : 8)) {
    case 0:
      return pick(NUMBERS);
    case 1:
      return pick(TRAVERSALS);
    case 2:
      return pick([null, true, false, '', 'NaN', 'Infinity', '1e999', '9'.repeat(400)]);
    case 3:
      return pick(PROTO_KEYS);
    case 4:
      return 'x'.repeat(int(0, 5000));
    case 5:
      return pick(['\u202e', '\ud800', '💥', '<script>alert(1)</script>', "' OR 1=1 --"]);
    case 6:
      return Array.from({ length: int(0, 3) }, () => value(depth + 1));
    default:
      return object(depth + 1);
  }
}

/** A hostile object: real field names with hostile values, prototype keys, unknown keys. Never empty. */
function object(depth = 0): Record<string, unknown> {
  const fields = [
    'scenario',
    'seed',
    'workers',
    'pace',
    'durationMinutes',
    'policies',
    'failFast',
    'type',
    'durationMin',
    'parameters',
    'runId',
    'reason',
    'accounts',
    'initialCitizens',
    'vendors',
    ...PROTO_KEYS,
  ];
  const out: Record<string, unknown> = {};
  const n = int(1, 4);
  for (let i = 0; i < n; i++)
    Object.defineProperty(out, pick(fields), {
      value: value(depth),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  return out;
}

/** A hostile raw body: JSON text of a hostile value, or bytes no JSON parser should accept. */
function body(): string | Buffer {
  switch (int(0, 9)) {
    case 0:
      return deep(10_000);
    case 1:
      return Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]); // {"\xff\xfe\xc3(":1}
    case 2:
      return 'x'.repeat(2 * 1024 * 1024); // oversize
    case 3:
      return '{"scenario":';
    case 4:
      return '{"__proto__":{"polluted":1},"scenario":"../../etc/passwd"}';
    default:
      return JSON.stringify(value() ?? null);
  }
}

/** Percent-encoded; a lone surrogate becomes the bytes of invalid UTF-8 (ED A0 80), as a hostile client would send. */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return `${encodeURIComponent(text.replace(/[\ud800-\udfff]/g, ''))}%ED%A0%80%FF`;
  }
}

function idSegment(): string {
  return encode(pick([...TRAVERSALS, ...PROTO_KEYS, 'x'.repeat(5000), '-1', '0', 'ffffffff', '%', '\u0000', '..']));
}

function query(keys: string[]): string {
  return keys
    .map((k) => {
      const v = value();
      return `${k}=${encode(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`;
    })
    .join('&');
}

interface Shot {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

function headers(host: string): Record<string, string> {
  const h: Record<string, string> = {
    host,
    'content-type': pick([
      'application/json',
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
    ]),
  };
  const r = int(0, 9);
  if (r === 0) h.origin = 'http://evil.example';
  if (r === 1) h.host = 'evil.example:8080';
  if (r === 2) h.origin = 'null';
  return h;
}

/** The route groups, each a generator of hostile requests. `live` is a run that is running. */
function groups(live: string): Record<string, (host: string) => Shot> {
  const runSub = ['', '/summary', '/series', '/inputs', '/report', `/actors/${idSegment()}`];
  return {
    'start runs': (host) => ({ method: 'POST', path: '/api/runs', headers: headers(host), body: body() }),
    'steer runs': (host) => ({
      method: 'POST',
      path: `/api/runs/${pick([live, idSegment()])}/${pick(['policy', 'events', 'stop', 'resume'])}`,
      headers: headers(host),
      body: body(),
    }),
    'read runs': (host) => {
      const id = pick([live, idSegment()]);
      const sub = pick(runSub);
      const path = pick([
        `/api/runs/${id}${sub}?${query(['metric', 'statistic', 'token'])}`,
        `/api/runs?${query(['pack', 'status', 'scenario', 'limit'])}`,
        `/api/compare?${query(['a', 'b'])}`,
        `/api/runs/${idSegment()}/wait?${query(['timeoutS'])}`,
        `/api/runs/${idSegment()}/stream`,
      ]);
      return { method: 'GET', path, headers: headers(host) };
    },
    'runbook routes': (host) => {
      const route = pick([
        '/api/simcity/start',
        '/api/simcity/policy',
        '/api/simcity/event',
        '/api/simcity/stop',
        '/api/simcity/summary',
      ]);
      const method = route.endsWith('summary') ? 'GET' : 'POST';
      return {
        method,
        path: `${route}?${query(['runId'])}`,
        headers: headers(host),
        body: method === 'POST' ? body() : undefined,
      };
    },
    'packs, pages and metrics': (host) => ({
      method: 'GET',
      path: pick([
        `/api/packs/${idSegment()}`,
        '/api/packs',
        `/admin/runs/${idSegment()}`,
        `/admin?${query(['pack', 'status'])}`,
        '/metrics',
        '/healthz',
        `/${idSegment()}`,
        `/admin/${idSegment()}`,
      ]),
      headers: headers(host),
    }),
  };
}

test(`${PER_GROUP} hostile requests per route group: no 5xx, no file content, nothing started, the server still serves`, async () => {
  const server = await startServer({
    packs: PACKS,
    host: '127.0.0.1',
    port: 0,
    dbPath: path.join(tempDir(), 'fuzz.db'),
    token: undefined,
  });
  try {
    // A run that is running throughout, so steering reaches a live run's validation.
    const started = await http('POST', `${server.url}/api/runs`, {
      scenario: 'ledger',
      pace: 1,
      seed: 5,
      durationMinutes: 30,
    });
    assert.is(started.status, 201, JSON.stringify(started.body));
    const live = started.body.runId as string;
    const host = new URL(server.url).host;
    for (const [group, next] of Object.entries(groups(live))) {
      rng = xoroshiro128plus(group.length * 7919);
      const statuses = new Map<number, number>();
      for (let i = 0; i < PER_GROUP; i++) {
        const shot = next(host);
        const res = await rawRequest(server.url + shot.path, shot.method, shot.headers, shot.body);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const what = `${group} #${i}: ${shot.method} ${shot.path.slice(0, 200)} body ${String(shot.body ?? '').slice(0, 200)}`;
        assert.ok(res.status < 500, `${what} answered ${res.status}: ${res.text.slice(0, 300)}`);
        for (const marker of FILE_MARKERS) assert.not.ok(res.text.includes(marker), `${what} echoed file content`);
      }
      assert.ok(
        statuses.size > 1,
        `${group}: every request got the same answer (${[...statuses.keys()]}): is the group reaching its routes?`,
      );
    }
    const hosted = server.runs.all().map((h) => h.run.id);
    assert.equal(hosted, [live], 'no hostile request started a run');
    const health = await http('GET', `${server.url}/healthz`);
    assert.is(health.status, 200);
    assert.is(health.body.status, 'ok');
    assert.is(server.runs.get(live)!.run.status, 'running', 'the live run survived');
  } finally {
    await server.close('test');
  }
});

test.run();
