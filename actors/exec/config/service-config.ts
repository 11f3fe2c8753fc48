// The service's settings from the environment, with the runbook's names, checked at start: a bad
// value stops `tickwork exec serve` with the variable's name. SIMULATION_* become the run's
// policies (recorded with the run, so a resume or a replay fills exactly as the service did).
import { envFlag, envNumber, TickworkError } from '../../../runtime/sdk.js';

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

export function maintenanceFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return envFlag(env, 'MAINTENANCE_MODE');
}

export function serviceConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const minDelayMs = envNumber(env, 'SIMULATION_MIN_DELAY_MS', 100, 0, 3_600_000);
  const maxDelayMs = envNumber(env, 'SIMULATION_MAX_DELAY_MS', 2000, 0, 3_600_000);
  if (maxDelayMs < minDelayMs)
    throw new TickworkError(
      'TW_ERR_VALIDATION',
      `SIMULATION_MAX_DELAY_MS: ${maxDelayMs} is below SIMULATION_MIN_DELAY_MS (${minDelayMs})`,
      'SIMULATION_MAX_DELAY_MS',
    );
  const model = (env.SIMULATION_FILL_MODEL ?? 'uniform').trim();
  if (model !== 'uniform' && model !== 'size-aware')
    throw new TickworkError(
      'TW_ERR_VALIDATION',
      `SIMULATION_FILL_MODEL: '${model}' is not uniform or size-aware`,
      'SIMULATION_FILL_MODEL',
    );
  return {
    natsUrl: (env.NATS_URL ?? 'nats://127.0.0.1:4222').trim(),
    outboxMax: envNumber(env, 'EXEC_SIM_OUTBOX_MAX', 1000, 10, 1_000_000),
    maxAckPending: envNumber(env, 'EXEC_SIM_MAX_ACK_PENDING', 256, 1, 100_000),
    duplicateWindowSec: envNumber(env, 'EXEC_SIM_DUPLICATE_WINDOW_S', 3600, 120, 7 * 86_400),
    ackWaitSec: envNumber(env, 'EXEC_SIM_ACK_WAIT_S', 30, 1, 3600),
    maintenance: maintenanceFromEnv(env),
    seed: envNumber(env, 'EXEC_SIM_SEED', 1, 0, 2 ** 31 - 1),
    policies: {
      model,
      minDelayMs,
      maxDelayMs,
      partialFillChance: envNumber(env, 'SIMULATION_PARTIAL_FILL_CHANCE', 0.1, 0, 1, false),
      slippageBps: envNumber(env, 'SIMULATION_SLIPPAGE_BPS', 2, 0, 10_000, false),
      lotSize: envNumber(env, 'SIMULATION_LOT_SIZE', 1, 1e-6, 1e6, false),
      lotSizes: lotSizesFromEnv(env.SIMULATION_LOT_SIZES),
    },
  };
}

/** `SIMULATION_LOT_SIZES=BTC-USD=0.001,ES=1`: lots by symbol (checked against the policy schema at start). */
function lotSizesFromEnv(raw: string | undefined): Record<string, number> {
  const lots: Record<string, number> = {};
  for (const pair of (raw ?? '').split(',').map((p) => p.trim())) {
    if (pair === '') continue;
    const [symbol, lot, extra] = pair.split('=');
    if (extra !== undefined || !symbol || !lot || !Number.isFinite(Number(lot)))
      throw new TickworkError(
        'TW_ERR_VALIDATION',
        `SIMULATION_LOT_SIZES: '${pair}' is not SYMBOL=LOT (e.g. BTC-USD=0.001)`,
        'SIMULATION_LOT_SIZES',
      );
    lots[symbol.trim()] = Number(lot);
  }
  return lots;
}
