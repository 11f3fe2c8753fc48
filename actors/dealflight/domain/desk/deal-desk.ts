// The Deal Flight desk: the operations every surface (HTTP JSON, Slack, the CLI) calls, over one
// store. It seeds the sample catalogue and quotes on a store that has none, honours the kill
// switch, and turns the simulator's and the repository's refusals into PackErrors with the
// runbook's codes, so each surface answers them the same way.
import { PackError, type PackTables } from '../../../../runtime/sdk.js';
import type { Catalogue } from '../cpq/catalogue.js';
import { SAMPLE_CATALOGUE } from '../cpq/sample-catalogue.js';
import { SAMPLE_QUOTES } from '../cpq/sample-quotes.js';
import { checkParity, type ParityReport } from '../simulator/parity.js';
import { evaluateInline, simulate } from '../simulator/simulate.js';
import { poolEvaluator } from './pool-evaluator.js';
import {
  PromotionError,
  ScenarioRepository,
  type PromotionResult,
  type StoredRun,
} from '../../store/scenario-repository.js';
import type { DeskConfig } from '../../config/desk-config.js';
import type { EdgeClock } from './edge-clock.js';
import type { SimulateOutcome } from '../simulator/simulate.js';

export type Comparison = Extract<SimulateOutcome, { ok: true }>;

/** The runbook's counters, without the `sim_` prefix and `_total` suffix. */
export type DeskCounter =
  | 'requests'
  | 'success'
  | 'failures'
  | 'variants_generated'
  | 'approval_required_variants'
  | 'promotions_requested'
  | 'promotions_applied';
export type CountFn = (counter: DeskCounter, by?: number) => void;

const SWITCH = 'sim_enabled';

/** HTTP status of each refusal code (the CLI exits 2 for all of them: they are input problems). */
const STATUS: Record<string, number> = {
  SIM_PARSE: 400,
  SIM_TOO_MANY_VARIANTS: 400,
  SIM_TOO_MANY_CHANGES: 400,
  SIM_OUT_OF_RANGE: 400,
  SIM_QUOTE_NOT_FOUND: 404,
  SIM_RUN_NOT_FOUND: 404,
  SIM_VARIANT_NOT_FOUND: 404,
  SIM_VARIANT_REJECTED: 422,
  SIM_ALREADY_PROMOTED: 409,
  SIM_IDEMPOTENCY_CONFLICT: 409,
  SIM_PAUSED: 503,
};

export class DealDesk {
  readonly repo: ScenarioRepository;

  constructor(
    db: PackTables,
    private readonly config: DeskConfig,
    private readonly clock: EdgeClock,
    private readonly count: CountFn = () => {},
  ) {
    this.repo = new ScenarioRepository(db);
    this.repo.seedIfEmpty(SAMPLE_CATALOGUE, SAMPLE_QUOTES);
  }

  /** Whether `/quote simulate` answers: the environment can force it off; the stored switch decides otherwise. */
  get enabled(): boolean {
    return this.config.enabledByEnv && this.repo.setting(SWITCH) !== 'false';
  }

  setEnabled(enabled: boolean): void {
    this.repo.setSetting(SWITCH, String(enabled));
  }

  /** The current catalogue's currency, for display. */
  get currency(): string {
    return this.currentCatalogue().catalogue.currency;
  }

  /** Audit a refusal as `error_occurred`: a bad Slack signature, or a promotion the repository refused. */
  auditRefusal(errorCode: string, on: { runId?: string; variantKey?: string; correlationId?: string } = {}): void {
    this.repo.audit({
      event_type: 'error_occurred',
      quote_id: null,
      correlation_id: on.correlationId ?? this.clock.newId(),
      scenario_run_id: on.runId ?? null,
      variant_key: on.variantKey ?? null,
      variant_count: 0,
      approval_required_variant_count: 0,
      latency_ms: 0,
      outcome: 'failure',
      error_code: errorCode,
    });
  }

  get maxVariants(): number {
    return this.config.limits.maxVariants;
  }

  /**
   * Run one `/quote simulate` command. Refusals are audited (error_occurred) and thrown as
   * PackErrors; a parse error's column counts from `columnOffset` characters into `text` (what the
   * caller's user typed, when the caller prefixed it).
   */
  async simulate(text: string, correlationId = this.clock.newId(), columnOffset = 0): Promise<Comparison> {
    if (!this.enabled) throw paused();
    this.count('requests');
    const elapsed = this.clock.stopwatch();
    const out = await simulate(
      this.repo,
      this.currentCatalogue(),
      { runId: this.clock.newId(), correlationId, text, limits: this.config.limits },
      elapsed,
      this.config.pricing === 'pool' ? poolEvaluator : evaluateInline,
    );
    if (!out.ok) {
      this.count('failures');
      if (out.position === undefined) throw new PackError(out.code, STATUS[out.code] ?? 400, out.message, 'text');
      const position = Math.max(1, out.position - columnOffset);
      const bare = out.message.replace(/^\S+ at column \d+: /, '');
      throw new PackError(out.code, STATUS[out.code] ?? 400, `at column ${position}: ${bare}`, 'text', { position });
    }
    this.count('success');
    this.count('variants_generated', out.variants.length);
    this.count(
      'approval_required_variants',
      out.variants.filter((v) => v.policy?.status === 'approval_required').length,
    );
    return out;
  }

  /** Promote a variant, exactly once per run; the same idempotency key answers `duplicate`. */
  promote(
    runId: string,
    variantKey: string,
    idempotencyKey = `${runId}:${variantKey}`,
    correlationId = this.clock.newId(),
  ): PromotionResult {
    this.count('promotions_requested');
    try {
      const result = this.repo.promote({ runId, variantKey, idempotencyKey, correlationId });
      if (result.outcome === 'applied') this.count('promotions_applied');
      return result;
    } catch (err) {
      if (err instanceof PromotionError) {
        this.auditRefusal(err.code, { runId, variantKey, correlationId });
        throw new PackError(err.code, STATUS[err.code], err.message.replace(`${err.code}: `, ''), 'variantKey');
      }
      throw err;
    }
  }

  run(id: string): StoredRun {
    const run = this.repo.run(id);
    if (!run) throw new PackError('SIM_RUN_NOT_FOUND', 404, `no scenario run ${id}`, 'runId');
    return run;
  }

  parity(sinceSeconds: number): ParityReport {
    return checkParity(this.repo, this.repo.runsSince(sinceSeconds));
  }

  /** Load a catalogue (validated) as the next version; runs priced before keep theirs for parity. */
  loadCatalogue(catalogue: Catalogue): number {
    return this.repo.loadCatalogue(catalogue);
  }

  private currentCatalogue() {
    const current = this.repo.catalogue();
    if (!current) throw new PackError('SIM_NO_CATALOGUE', 503, 'no catalogue is loaded');
    return current;
  }
}

function paused(): PackError {
  return new PackError(
    'SIM_PAUSED',
    503,
    'the Deal Flight simulator is paused (kill switch); quotes and past runs are intact',
  );
}
