// The HTTP sink: a batch create against a real HubSpot-compatible base URL, as the pack effect
// `crm-batch`. The base URL and token are read when the request is made, never put in the
// request itself, so no token reaches the input log, a checkpoint or a log line. The answer (or
// the network error) enters the run as an input, so a replay of an HTTP-sink run is bit-exact
// offline.
import { type EffectHandler, httpEffect } from '../../../runtime/sdk.js';
import { isObjectType } from '../domain/crm-account.js';

/**
 * Decrypted per-simulation tokens (a start or a replay puts the owner's there), memory only, held
 * while a run of the simulation uses them: the last one to end forgets the token.
 */
const simulationTokens = new Map<string, { token: string; holders: number }>();

/** Hold `token` for `simulation`'s runs; call the returned function when the run ends. */
export function useTokenFor(simulation: string, token: string): () => void {
  const held = simulationTokens.get(simulation);
  simulationTokens.set(simulation, { token, holders: (held?.holders ?? 0) + 1 });
  let released = false;
  return () => {
    const now = simulationTokens.get(simulation);
    if (released || !now) return;
    released = true;
    if (now.holders <= 1) simulationTokens.delete(simulation);
    else now.holders--;
  };
}

/** Whether a simulation's token is in memory now (for tests and /healthz-like checks; never the token). */
export function holdsTokenFor(simulation: string): boolean {
  return simulationTokens.has(simulation);
}

export const DEFAULT_CRM_BASE_URL = 'https://api.hubapi.com';

export const crmBatchEffect: EffectHandler = async (request, signal) => {
  const { type, inputs, simulation } = request as { type: string; inputs: unknown[]; simulation?: string };
  if (!isObjectType(type)) throw new Error(`crm-batch: unknown object type '${type}'`);
  const base = (process.env.CRM_BASE_URL ?? DEFAULT_CRM_BASE_URL).replace(/\/+$/, '');
  const token =
    (simulation !== undefined ? simulationTokens.get(simulation)?.token : undefined) ??
    process.env.HUBSPOT_API_TOKEN ??
    '';
  return httpEffect(
    {
      method: 'POST',
      url: `${base}/crm/v3/objects/${type}/batch/create`,
      headers: { authorization: `Bearer ${token}` },
      body: { inputs },
    },
    signal,
  );
};
