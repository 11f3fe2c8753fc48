// The service's settings from the environment, with the runbook's names, checked at start: a bad
// value stops `tickwork exec serve` with the variable's name. SIMULATION_* become the run's
// policies (recorded with the run, so a resume or a replay fills exactly as the service did).
import { TickworkError } from '../../../runtime/errors.js';

export interface ServiceConfig {
  natsUrl: string;
  /** Events the outbox may hold before the service stops pulling intents (the runbook's buffer: 1000). */
  outboxMax: number;
  /** The durable consumer's max_ack_pending: intents delivered but not yet acknowledged. */
  maxAckPending: number;
  /** JetStream's duplicate window on the stream: longer than the longest outage plus drain tolerated. */
  duplicateWindowSec: number;
  /** The consumer's ack_wait: an intent delivered to an instance that died is delivered again after it. */
  ackWaitSec: number;
  maintenance: boolean;
  seed: number;
  policies: Record<string, unknown>;
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, integer = true): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw new TickworkError('TW_ERR_VALIDATION', `${name}: '${raw}' is not ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`, name);
  }
  return n;
}

export function maintenanceFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = (env.MAINTENANCE_MODE ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new TickworkError('TW_ERR_VALIDATION', `MAINTENANCE_MODE: '${env.MAINTENANCE_MODE}' is not true or false`, 'MAINTENANCE_MODE');
}

export function serviceConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const minDelayMs = number(env, 'SIMULATION_MIN_DELAY_MS', 100, 0, 3_600_000);
  const maxDelayMs = number(env, 'SIMULATION_MAX_DELAY_MS', 2000, 0, 3_600_000);
  if (maxDelayMs < minDelayMs) throw new TickworkError('TW_ERR_VALIDATION', `SIMULATION_MAX_DELAY_MS: ${maxDelayMs} is below SIMULATION_MIN_DELAY_MS (${minDelayMs})`, 'SIMULATION_MAX_DELAY_MS');
  const model = (env.SIMULATION_FILL_MODEL ?? 'uniform').trim();
  if (model !== 'uniform' && model !== 'size-aware') throw new TickworkError('TW_ERR_VALIDATION', `SIMULATION_FILL_MODEL: '${model}' is not uniform or size-aware`, 'SIMULATION_FILL_MODEL');
  return {
    natsUrl: (env.NATS_URL ?? 'nats://127.0.0.1:4222').trim(),
    outboxMax: number(env, 'EXEC_SIM_OUTBOX_MAX', 1000, 10, 1_000_000),
    maxAckPending: number(env, 'EXEC_SIM_MAX_ACK_PENDING', 256, 1, 100_000),
    duplicateWindowSec: number(env, 'EXEC_SIM_DUPLICATE_WINDOW_S', 3600, 120, 7 * 86_400),
    ackWaitSec: number(env, 'EXEC_SIM_ACK_WAIT_S', 30, 1, 3600),
    maintenance: maintenanceFromEnv(env),
    seed: number(env, 'EXEC_SIM_SEED', 1, 0, 2 ** 31 - 1),
    policies: {
      model,
      minDelayMs,
      maxDelayMs,
      partialFillChance: number(env, 'SIMULATION_PARTIAL_FILL_CHANCE', 0.1, 0, 1, false),
      slippageBps: number(env, 'SIMULATION_SLIPPAGE_BPS', 2, 0, 10_000, false),
    },
  };
}
