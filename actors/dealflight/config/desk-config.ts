// The Deal Flight desk's settings from the environment, checked once at start: a bad value is a
// clear error, not a silent default.
import { z } from 'zod';
import { TickworkError } from '../../../runtime/sdk.js';
import { DEFAULT_LIMITS, HARD_MAX_VARIANTS, type SimulateLimits } from '../domain/simulator/grammar.js';

export interface DeskConfig {
  limits: SimulateLimits;
  /** False when `DEALFLIGHT_SIM_ENABLED=0`: the command route is off whatever the stored switch says. */
  enabledByEnv: boolean;
  /**
   * Where variants are priced (`DEALFLIGHT_PRICING`): `inline` (default) or `pool`, one job pool
   * task per variant. Bench 9b measured the pool 50-70x slower per variant here: pricing takes
   * microseconds and a pool hop about 150 µs, so parallel jobs only pay for much costlier pricing.
   */
  pricing: 'inline' | 'pool';
}

const envSchema = z.object({
  DEALFLIGHT_MAX_VARIANTS: z.coerce.number().int().min(1).max(HARD_MAX_VARIANTS).optional(),
  DEALFLIGHT_SIM_ENABLED: z.enum(['0', '1', 'true', 'false']).optional(),
  DEALFLIGHT_PRICING: z.enum(['inline', 'pool']).optional(),
});

export function deskConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DeskConfig {
  const r = envSchema.safeParse({
    DEALFLIGHT_MAX_VARIANTS: env.DEALFLIGHT_MAX_VARIANTS || undefined,
    DEALFLIGHT_SIM_ENABLED: env.DEALFLIGHT_SIM_ENABLED || undefined,
    DEALFLIGHT_PRICING: env.DEALFLIGHT_PRICING || undefined,
  });
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new TickworkError(
      'TW_ERR_VALIDATION',
      `${issue.path.join('.')}: ${issue.message} (DEALFLIGHT_MAX_VARIANTS is 1..${HARD_MAX_VARIANTS}; DEALFLIGHT_SIM_ENABLED is 0 or 1; DEALFLIGHT_PRICING is inline or pool)`,
      String(issue.path[0]),
    );
  }
  return {
    limits: { ...DEFAULT_LIMITS, maxVariants: r.data.DEALFLIGHT_MAX_VARIANTS ?? DEFAULT_LIMITS.maxVariants },
    enabledByEnv: !(r.data.DEALFLIGHT_SIM_ENABLED === '0' || r.data.DEALFLIGHT_SIM_ENABLED === 'false'),
    pricing: r.data.DEALFLIGHT_PRICING ?? 'inline',
  };
}
