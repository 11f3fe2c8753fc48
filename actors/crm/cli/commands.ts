// `tickwork crm <verb>`: `serve-mock` runs the bundled HubSpot-like CRM on loopback, for the HTTP
// sink, demos and tests.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EXIT, flag, type PackCommand, parseFlags, resolveDbPath, Store, usageError } from '../../../runtime/sdk.js';
import { type FaultRates, NO_FAULTS, TIERS, type Tier } from '../domain/crm-account.js';
import { MOCK_DEFAULTS, startMockCrm } from '../io/mock-server.js';
import { encryptionKey, encryptToken } from '../config/token-crypto.js';
import { CrmStore, type Role } from '../store/crm-store.js';

const serveMockCommand: PackCommand = {
  summary: 'run the bundled HubSpot-like CRM on loopback (batch creates, rate limits, faults)',
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      port: { type: 'string' },
      tier: { type: 'string' },
      token: { type: 'string' },
      'daily-limit': { type: 'string' },
      faults: { type: 'string' },
      seed: { type: 'string' },
    });
    if (values.help) {
      console.log(`Usage: tickwork crm serve-mock [--port 8090] [--tier starter|professional|enterprise] [--token T]
                                [--daily-limit N] [--faults serverError=0.05,timeout=0.01,...] [--seed S]

A HubSpot-like CRM on 127.0.0.1: POST /crm/v3/objects/{contacts|notes|calls|tasks|tickets}/batch/create
(at most 100 inputs; activities associate to a contact), limits per rolling 10 s by tier (100/190/250) and per
day, 429 with policyName TEN_SECONDLY_ROLLING or DAILY, X-HubSpot-RateLimit-* headers, 207 for partial
failures, 401/403/400 with category. A repeated objectWriteTraceId returns the object already made.
Faults (chance per request): serverError, timeout, reset, expiredToken, throttle500. GET /__mock/state
shows what it holds. Point the HTTP sink at it: CRM_BASE_URL=http://127.0.0.1:8090 HUBSPOT_API_TOKEN=<token>.`);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw usageError(`serve-mock takes no positional arguments (got '${positionals[0]}')`);
    const tier = (values.tier ?? 'professional') as Tier;
    if (!Object.hasOwn(TIERS, tier))
      throw usageError(`--tier must be one of ${Object.keys(TIERS).join(', ')} (got '${values.tier}')`, 'tier');
    const daily = values['daily-limit'] === undefined ? undefined : Number(values['daily-limit']);
    if (daily !== undefined && !(Number.isInteger(daily) && daily > 0))
      throw usageError(`--daily-limit must be a whole number above 0 (got '${values['daily-limit']}')`, 'daily-limit');
    const token = values.token ?? 'mock-token';
    const mock = await startMockCrm(
      {
        account: { tier, dailyLimit: daily, faults: parseFaults(values.faults) },
        token,
        seed: flag('seed', values.seed) ?? MOCK_DEFAULTS.seed,
        holdMs: MOCK_DEFAULTS.holdMs,
        bodyLimit: MOCK_DEFAULTS.bodyLimit,
      },
      flag('port', values.port) ?? 8090,
    );
    console.log(
      `mock CRM (${tier}: ${TIERS[tier].tenSecondly} requests per 10 s, ${daily ?? TIERS[tier].daily} per day) on ${mock.url}, token ${token === 'mock-token' ? "'mock-token' (the default)" : 'as given'}`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await mock.close();
    return EXIT.ok;
  },
};

export function parseFaults(raw: string | undefined): FaultRates {
  const faults: FaultRates = { ...NO_FAULTS };
  if (!raw) return faults;
  for (const part of raw.split(',')) {
    const [name, value] = part.split('=').map((p) => p.trim());
    const rate = Number(value);
    if (!Object.hasOwn(NO_FAULTS, name))
      throw usageError(`--faults: unknown fault '${name}' (known: ${Object.keys(NO_FAULTS).join(', ')})`, 'faults');
    if (value === undefined || !(rate >= 0 && rate <= 1))
      throw usageError(`--faults: ${name} needs a chance from 0 to 1 (got '${value ?? ''}')`, 'faults');
    faults[name as keyof FaultRates] = rate;
  }
  return faults;
}

const userCommand: PackCommand = {
  summary: 'add a user (boss or operator) and print its API token; optionally store its CRM token, encrypted',
  async run(argv, { packs }) {
    const { values, positionals } = parseFlags(argv, {
      role: { type: 'string' },
      'crm-token': { type: 'string' },
      db: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help || positionals.length === 0) {
      console.log(`Usage: tickwork crm user add <name> --role boss|operator [--crm-token -] [--db PATH] [--json]

Adds a SimCRM user to the store and prints its API token (shown once; the store keeps its sha256). Send it
as X-User-Token: the DLQ, replay and thinning routes need a boss. --crm-token - reads the user's CRM token
from stdin (kept off the command line) and stores it AES-256-GCM-encrypted with TOKEN_ENC_SECRET; the HTTP
sink uses it for the user's simulations.`);
      return values.help ? EXIT.ok : EXIT.usage;
    }
    const [verb, name, ...rest] = positionals;
    if (verb !== 'add') throw usageError(`crm user: unknown verb '${verb}' (known: add)`);
    if (!name || !/^[A-Za-z0-9._-]{1,64}$/.test(name))
      throw usageError('crm user add: a name of 1-64 letters, digits, . _ or - is required', 'name');
    if (rest.length > 0) throw usageError(`crm user add takes one name (got '${rest[0]}' too)`);
    const role = values.role as Role | undefined;
    if (role !== 'boss' && role !== 'operator')
      throw usageError(`--role must be boss or operator (got '${values.role ?? ''}')`, 'role');
    const rawCrmToken = values['crm-token'] === '-' ? readFileSync(0, 'utf8').trim() : values['crm-token'];
    const crmTokenEnc = rawCrmToken ? encryptToken(encryptionKey(), rawCrmToken) : null;
    const store = new Store(resolveDbPath(values.db), packs.migrationSets());
    try {
      const crm = new CrmStore(store.tables('crm'));
      if (crm.userByName(name)) throw usageError(`crm user add: a user named '${name}' exists`, 'name');
      const token = `tw_${randomBytes(24).toString('base64url')}`;
      const id = crm.addUser(name, role, token, crmTokenEnc);
      console.log(
        values.json
          ? JSON.stringify({ id, name, role, token, crmToken: crmTokenEnc !== null })
          : `user ${name} (${role}) added; its token (shown once): ${token}`,
      );
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};

export const CRM_COMMANDS: Readonly<Record<string, PackCommand>> = {
  'serve-mock': serveMockCommand,
  user: userCommand,
};
