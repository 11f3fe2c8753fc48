// `tickwork crm <verb>`: `serve-mock` runs the bundled HubSpot-like CRM on loopback, for the HTTP
// sink, demos and tests.
import { EXIT, usageError } from '../../../runtime/cli/cli-error.js';
import { flag, parseFlags } from '../../../runtime/cli/args.js';
import type { PackCommand } from '../../../runtime/packs/pack-module.js';
import { type FaultRates, NO_FAULTS, TIERS, type Tier } from '../hubspot/crm-account.js';
import { MOCK_DEFAULTS, startMockCrm } from '../hubspot/mock-server.js';

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
    if (!Object.hasOwn(TIERS, tier)) throw usageError(`--tier must be one of ${Object.keys(TIERS).join(', ')} (got '${values.tier}')`, 'tier');
    const daily = values['daily-limit'] === undefined ? undefined : Number(values['daily-limit']);
    if (daily !== undefined && !(Number.isInteger(daily) && daily > 0)) throw usageError(`--daily-limit must be a whole number above 0 (got '${values['daily-limit']}')`, 'daily-limit');
    const token = values.token ?? 'mock-token';
    const mock = await startMockCrm(
      { account: { tier, dailyLimit: daily, faults: parseFaults(values.faults) }, token, seed: flag('seed', values.seed) ?? MOCK_DEFAULTS.seed, holdMs: MOCK_DEFAULTS.holdMs, bodyLimit: MOCK_DEFAULTS.bodyLimit },
      flag('port', values.port) ?? 8090,
    );
    console.log(`mock CRM (${tier}: ${TIERS[tier].tenSecondly} requests per 10 s, ${daily ?? TIERS[tier].daily} per day) on ${mock.url}, token ${token === 'mock-token' ? "'mock-token' (the default)" : 'as given'}`);
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
    if (!Object.hasOwn(NO_FAULTS, name)) throw usageError(`--faults: unknown fault '${name}' (known: ${Object.keys(NO_FAULTS).join(', ')})`, 'faults');
    if (value === undefined || !(rate >= 0 && rate <= 1)) throw usageError(`--faults: ${name} needs a chance from 0 to 1 (got '${value ?? ''}')`, 'faults');
    faults[name as keyof FaultRates] = rate;
  }
  return faults;
}

export const CRM_COMMANDS: Readonly<Record<string, PackCommand>> = {
  'serve-mock': serveMockCommand,
};
