// Deal Flight's persistence: the catalogue and quotes, each simulate request as a scenario run
// with its ranked variants, deltas and audit trail, and promotion, exactly once per run. Every
// write that belongs together is one transaction; ids and clocks come from the caller and from
// SQLite (`datetime('now')`), never from this code.
import type Database from 'better-sqlite3';
import { catalogueSchema, quoteSchema, type Catalogue, type Quote } from '../cpq/catalogue.js';
import type { EvaluatedVariant } from '../simulator/variants.js';
import type { PolicyResult } from '../cpq/policy.js';

export type AuditEventType = 'request_received' | 'comparison_rendered' | 'error_occurred' | 'promotion_requested' | 'promotion_applied';

/** The runbook's telemetry contract: every event carries these fields (nullable where it says). */
export interface AuditEvent {
  event_type: AuditEventType;
  quote_id: string | null;
  correlation_id: string;
  scenario_run_id: string | null;
  variant_key: string | null;
  variant_count: number;
  approval_required_variant_count: number;
  latency_ms: number;
  outcome: 'success' | 'failure';
  error_code: string | null;
}

export interface RecordedRun {
  id: string;
  quoteId: string;
  correlationId: string;
  commandText: string;
  base: Quote;
  variants: readonly EvaluatedVariant[];
}

export type PromotionErrorCode = 'SIM_RUN_NOT_FOUND' | 'SIM_VARIANT_NOT_FOUND' | 'SIM_VARIANT_REJECTED' | 'SIM_ALREADY_PROMOTED' | 'SIM_IDEMPOTENCY_CONFLICT';

export class PromotionError extends Error {
  constructor(
    readonly code: PromotionErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'PromotionError';
  }
}

export interface PromotionResult {
  outcome: 'applied' | 'duplicate';
  runId: string;
  variantKey: string;
  quoteVersion: number;
}

/** What the policy column says: the policy result, or why the variant was rejected. */
export function policyJson(v: EvaluatedVariant): string {
  if (v.policy) return JSON.stringify(v.policy satisfies PolicyResult);
  return JSON.stringify({ status: 'rejected', violations: v.violations });
}

export function needsApproval(v: EvaluatedVariant): boolean {
  return v.policy?.status === 'approval_required';
}

export class ScenarioRepository {
  constructor(private readonly db: Database.Database) {}

  /** The sample catalogue and quotes, on a store that has none yet. */
  seedIfEmpty(catalogue: Catalogue, quotes: readonly Quote[]): void {
    this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM deal_flight_catalogue').get()) return;
      this.loadCatalogue(catalogue);
      for (const q of quotes) this.saveQuote(q);
    })();
  }

  loadCatalogue(catalogue: Catalogue): void {
    const checked = catalogueSchema.parse(catalogue);
    this.db.prepare("INSERT INTO deal_flight_catalogue (id, catalogue_json) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET catalogue_json = excluded.catalogue_json, loaded_at = datetime('now')").run(JSON.stringify(checked));
  }

  catalogue(): Catalogue | undefined {
    const row = this.db.prepare('SELECT catalogue_json FROM deal_flight_catalogue WHERE id = 1').get() as { catalogue_json: string } | undefined;
    return row && catalogueSchema.parse(JSON.parse(row.catalogue_json));
  }

  saveQuote(q: Quote): void {
    const checked = quoteSchema.parse(q);
    this.db.prepare("INSERT INTO deal_flight_quote (id, quote_json) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET quote_json = excluded.quote_json, version = version + 1, updated_at = datetime('now')").run(checked.id, JSON.stringify(checked));
  }

  quote(id: string): (Quote & { version: number }) | undefined {
    const row = this.db.prepare('SELECT quote_json, version FROM deal_flight_quote WHERE id = ?').get(id) as { quote_json: string; version: number } | undefined;
    return row && { ...(JSON.parse(row.quote_json) as Quote), version: row.version };
  }

  audit(e: AuditEvent): void {
    this.db
      .prepare(
        `INSERT INTO deal_flight_scenario_audit (event_type, quote_id, correlation_id, scenario_run_id, variant_key, variant_count, approval_required_variant_count, latency_ms, outcome, error_code)
         VALUES (@event_type, @quote_id, @correlation_id, @scenario_run_id, @variant_key, @variant_count, @approval_required_variant_count, @latency_ms, @outcome, @error_code)`,
      )
      .run(e);
  }

  /** A compared run: the run row, its ranked variants and their deltas, in one transaction. */
  recordRun(r: RecordedRun): void {
    const approvals = r.variants.filter(needsApproval).length;
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO deal_flight_scenario_run (id, quote_id, correlation_id, command_text, status, variant_count, approval_required_variant_count, base_json)
           VALUES (?, ?, ?, ?, 'completed', ?, ?, ?)`,
        )
        .run(r.id, r.quoteId, r.correlationId, r.commandText, r.variants.length, approvals, JSON.stringify(r.base));
      const variant = this.db.prepare(
        `INSERT INTO deal_flight_scenario_variant (scenario_run_id, variant_key, rank_order, changes_json, quote_json, priced_json, policy_result_json)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      const delta = this.db.prepare(
        `INSERT INTO deal_flight_scenario_delta (scenario_run_id, variant_key, net_minor, discount_bps, margin_bps, approval_from, approval_to) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const v of r.variants) {
        variant.run(r.id, v.key, v.rank, JSON.stringify(v.changes), JSON.stringify(v.quote), v.priced ? JSON.stringify(v.priced) : null, policyJson(v));
        if (v.delta) delta.run(r.id, v.key, v.delta.netMinor, v.delta.discountBps, v.delta.marginBps, v.delta.approval.from, v.delta.approval.to);
      }
    })();
  }

  /**
   * Promote one variant of a run: mark it, apply it to the quote (a new version) and audit it, in
   * one transaction. Exactly once per run: the same idempotency key answers what it did before
   * (`duplicate`); another variant of an already promoted run is refused; the unique index on
   * promoted variants holds even against a writer that skips these checks.
   */
  promote(req: { runId: string; variantKey: string; idempotencyKey: string; correlationId: string }): PromotionResult {
    return this.db.transaction((): PromotionResult => {
      const earlier = this.db.prepare('SELECT scenario_run_id, variant_key FROM deal_flight_promotion WHERE idempotency_key = ?').get(req.idempotencyKey) as
        | { scenario_run_id: string; variant_key: string }
        | undefined;
      if (earlier && (earlier.scenario_run_id !== req.runId || earlier.variant_key !== req.variantKey)) {
        throw new PromotionError('SIM_IDEMPOTENCY_CONFLICT', `key ${req.idempotencyKey} already promoted ${earlier.scenario_run_id}/${earlier.variant_key}`);
      }
      const run = this.db.prepare('SELECT quote_id, variant_count, approval_required_variant_count FROM deal_flight_scenario_run WHERE id = ?').get(req.runId) as
        | { quote_id: string; variant_count: number; approval_required_variant_count: number }
        | undefined;
      if (!run) throw new PromotionError('SIM_RUN_NOT_FOUND', `no scenario run ${req.runId}`);
      const promoted = this.db.prepare('SELECT variant_key FROM deal_flight_scenario_variant WHERE scenario_run_id = ? AND selected_for_promotion = 1').get(req.runId) as { variant_key: string } | undefined;
      const version = () => (this.db.prepare('SELECT version FROM deal_flight_quote WHERE id = ?').get(run.quote_id) as { version: number }).version;
      if (promoted) {
        if (promoted.variant_key !== req.variantKey) throw new PromotionError('SIM_ALREADY_PROMOTED', `run ${req.runId} already promoted ${promoted.variant_key}`);
        return { outcome: 'duplicate', runId: req.runId, variantKey: req.variantKey, quoteVersion: version() };
      }
      const v = this.db.prepare('SELECT quote_json, priced_json FROM deal_flight_scenario_variant WHERE scenario_run_id = ? AND variant_key = ?').get(req.runId, req.variantKey) as
        | { quote_json: string; priced_json: string | null }
        | undefined;
      if (!v) throw new PromotionError('SIM_VARIANT_NOT_FOUND', `run ${req.runId} has no variant ${req.variantKey}`);
      if (v.priced_json === null) throw new PromotionError('SIM_VARIANT_REJECTED', `variant ${req.variantKey} broke the quote's constraints`);
      const event = (event_type: AuditEventType): AuditEvent => ({
        event_type,
        quote_id: run.quote_id,
        correlation_id: req.correlationId,
        scenario_run_id: req.runId,
        variant_key: req.variantKey,
        variant_count: run.variant_count,
        approval_required_variant_count: run.approval_required_variant_count,
        latency_ms: 0,
        outcome: 'success',
        error_code: null,
      });
      this.audit(event('promotion_requested'));
      this.db.prepare('UPDATE deal_flight_scenario_variant SET selected_for_promotion = 1 WHERE scenario_run_id = ? AND variant_key = ?').run(req.runId, req.variantKey);
      this.db.prepare("UPDATE deal_flight_scenario_run SET status = 'promoted', updated_at = datetime('now') WHERE id = ?").run(req.runId);
      this.saveQuote(JSON.parse(v.quote_json) as Quote);
      this.db.prepare('INSERT INTO deal_flight_promotion (idempotency_key, scenario_run_id, variant_key) VALUES (?, ?, ?)').run(req.idempotencyKey, req.runId, req.variantKey);
      this.audit(event('promotion_applied'));
      return { outcome: 'applied', runId: req.runId, variantKey: req.variantKey, quoteVersion: version() };
    }).immediate();
  }
}
