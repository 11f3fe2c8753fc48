// Deal Flight's persistence: the catalogue and quotes, each simulate request as a scenario run
// with its ranked variants, deltas and audit trail, and promotion, exactly once per run. Every
// write that belongs together is one transaction; ids and clocks come from the caller and from
// SQLite (`datetime('now')`), never from this code.
import type { PackTables } from '../../../runtime/sdk.js';
import { catalogueSchema, quoteSchema, type Catalogue, type Quote } from '../domain/cpq/catalogue.js';
import type { EvaluatedVariant } from '../domain/simulator/variants.js';
import type { PolicyResult } from '../domain/cpq/policy.js';

export type AuditEventType =
  | 'request_received'
  | 'comparison_rendered'
  | 'error_occurred'
  | 'promotion_requested'
  | 'promotion_applied';

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

/** A catalogue with the version the store knows it by. */
export interface VersionedCatalogue {
  version: number;
  catalogue: Catalogue;
  /** As stored (validated when loaded). */
  json: string;
}

export interface RecordedRun {
  id: string;
  catalogueVersion: number;
  quoteId: string;
  correlationId: string;
  commandText: string;
  base: Quote;
  variants: readonly EvaluatedVariant[];
  /** Audit rows written in the run's own transaction (one commit per request). */
  audit?: readonly AuditEvent[];
}

export type PromotionErrorCode =
  | 'SIM_RUN_NOT_FOUND'
  | 'SIM_VARIANT_NOT_FOUND'
  | 'SIM_VARIANT_REJECTED'
  | 'SIM_ALREADY_PROMOTED'
  | 'SIM_IDEMPOTENCY_CONFLICT';

export class PromotionError extends Error {
  constructor(
    readonly code: PromotionErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'PromotionError';
  }
}

/** A stored run as parity and the HTTP surface read it back. */
export interface StoredRun {
  id: string;
  quoteId: string;
  status: string;
  commandText: string;
  catalogueVersion: number;
  createdAt: string;
  base: Quote;
  variants: StoredVariant[];
}

export interface StoredVariant {
  key: string;
  rank: number;
  changes: EvaluatedVariant['changes'];
  priced: EvaluatedVariant['priced'] | null;
  policy: unknown;
  selectedForPromotion: boolean;
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
  constructor(private readonly db: PackTables) {}

  /** The sample catalogue and quotes, on a store that has none yet. */
  seedIfEmpty(catalogue: Catalogue, quotes: readonly Quote[]): void {
    this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM deal_flight_catalogue').get()) return;
      this.loadCatalogue(catalogue);
      for (const q of quotes) this.saveQuote(q);
    })();
  }

  /** Load a catalogue as the next version; returns that version. Earlier versions stay for parity. */
  loadCatalogue(catalogue: Catalogue): number {
    const checked = catalogueSchema.parse(catalogue);
    return Number(
      this.db.prepare('INSERT INTO deal_flight_catalogue (catalogue_json) VALUES (?)').run(JSON.stringify(checked))
        .lastInsertRowid,
    );
  }

  /** The current catalogue (the latest version), or a given version. */
  catalogue(version?: number): VersionedCatalogue | undefined {
    const row = (
      version === undefined
        ? this.db
            .prepare('SELECT version, catalogue_json FROM deal_flight_catalogue ORDER BY version DESC LIMIT 1')
            .get()
        : this.db.prepare('SELECT version, catalogue_json FROM deal_flight_catalogue WHERE version = ?').get(version)
    ) as { version: number; catalogue_json: string } | undefined;
    return (
      row && {
        version: row.version,
        catalogue: catalogueSchema.parse(JSON.parse(row.catalogue_json)),
        json: row.catalogue_json,
      }
    );
  }

  setting(name: string): string | undefined {
    return (
      this.db.prepare('SELECT value FROM deal_flight_setting WHERE name = ?').get(name) as { value: string } | undefined
    )?.value;
  }

  setSetting(name: string, value: string): void {
    this.db
      .prepare(
        "INSERT INTO deal_flight_setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = datetime('now')",
      )
      .run(name, value);
  }

  saveQuote(q: Quote): void {
    const checked = quoteSchema.parse(q);
    this.db
      .prepare(
        "INSERT INTO deal_flight_quote (id, quote_json) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET quote_json = excluded.quote_json, version = version + 1, updated_at = datetime('now')",
      )
      .run(checked.id, JSON.stringify(checked));
  }

  quote(id: string): (Quote & { version: number }) | undefined {
    const row = this.db.prepare('SELECT quote_json, version FROM deal_flight_quote WHERE id = ?').get(id) as
      | { quote_json: string; version: number }
      | undefined;
    return row && { ...(JSON.parse(row.quote_json) as Quote), version: row.version };
  }

  run(id: string): StoredRun | undefined {
    const row = this.db.prepare('SELECT id FROM deal_flight_scenario_run WHERE id = ?').get(id) as
      | { id: string }
      | undefined;
    return row && this.readRuns('WHERE r.id = ?', [id])[0];
  }

  /** Runs created within `seconds` of now (SQLite's clock, as the runbook's queries use it), oldest first. */
  runsSince(seconds: number): StoredRun[] {
    return this.readRuns("WHERE r.created_at > datetime('now', ?)", [`-${Math.floor(seconds)} seconds`]);
  }

  private readRuns(where: string, params: unknown[]): StoredRun[] {
    const rows = this.db
      .prepare(
        `SELECT r.id, r.quote_id, r.status, r.command_text, r.catalogue_version, r.created_at, r.base_json,
                v.variant_key, v.rank_order, v.changes_json, v.priced_json, v.policy_result_json, v.selected_for_promotion
         FROM deal_flight_scenario_run r JOIN deal_flight_scenario_variant v ON v.scenario_run_id = r.id
         ${where} ORDER BY r.created_at, r.id, v.rank_order`,
      )
      .all(...params) as Record<string, string | number | null>[];
    const runs = new Map<string, StoredRun>();
    for (const row of rows) {
      let run = runs.get(row.id as string);
      if (!run) {
        run = {
          id: row.id as string,
          quoteId: row.quote_id as string,
          status: row.status as string,
          commandText: row.command_text as string,
          catalogueVersion: row.catalogue_version as number,
          createdAt: row.created_at as string,
          base: JSON.parse(row.base_json as string) as Quote,
          variants: [],
        };
        runs.set(run.id, run);
      }
      run.variants.push({
        key: row.variant_key as string,
        rank: row.rank_order as number,
        changes: JSON.parse(row.changes_json as string),
        priced: row.priced_json === null ? null : JSON.parse(row.priced_json as string),
        policy: JSON.parse(row.policy_result_json as string),
        selectedForPromotion: row.selected_for_promotion === 1,
      });
    }
    return [...runs.values()];
  }

  /** Several audit rows, one transaction. */
  auditAll(events: readonly AuditEvent[]): void {
    this.db.transaction(() => events.forEach((e) => this.audit(e)))();
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
          `INSERT INTO deal_flight_scenario_run (id, quote_id, correlation_id, command_text, status, variant_count, approval_required_variant_count, base_json, catalogue_version)
           VALUES (?, ?, ?, ?, 'completed', ?, ?, ?, ?)`,
        )
        .run(
          r.id,
          r.quoteId,
          r.correlationId,
          r.commandText,
          r.variants.length,
          approvals,
          JSON.stringify(r.base),
          r.catalogueVersion,
        );
      const variant = this.db.prepare(
        `INSERT INTO deal_flight_scenario_variant (scenario_run_id, variant_key, rank_order, changes_json, quote_json, priced_json, policy_result_json)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      const delta = this.db.prepare(
        `INSERT INTO deal_flight_scenario_delta (scenario_run_id, variant_key, net_minor, discount_bps, margin_bps, approval_from, approval_to) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const v of r.variants) {
        variant.run(
          r.id,
          v.key,
          v.rank,
          JSON.stringify(v.changes),
          JSON.stringify(v.quote),
          v.priced ? JSON.stringify(v.priced) : null,
          policyJson(v),
        );
        if (v.delta)
          delta.run(
            r.id,
            v.key,
            v.delta.netMinor,
            v.delta.discountBps,
            v.delta.marginBps,
            v.delta.approval.from,
            v.delta.approval.to,
          );
      }
      for (const e of r.audit ?? []) this.audit(e);
    })();
  }

  /**
   * Promote one variant of a run: mark it, apply it to the quote (a new version) and audit it, in
   * one transaction. Exactly once per run: the same idempotency key answers what it did before
   * (`duplicate`); another variant of an already promoted run is refused; the unique index on
   * promoted variants holds even against a writer that skips these checks.
   */
  promote(req: { runId: string; variantKey: string; idempotencyKey: string; correlationId: string }): PromotionResult {
    return this.db
      .transaction((): PromotionResult => {
        const earlier = this.db
          .prepare('SELECT scenario_run_id, variant_key FROM deal_flight_promotion WHERE idempotency_key = ?')
          .get(req.idempotencyKey) as { scenario_run_id: string; variant_key: string } | undefined;
        if (earlier && (earlier.scenario_run_id !== req.runId || earlier.variant_key !== req.variantKey)) {
          throw new PromotionError(
            'SIM_IDEMPOTENCY_CONFLICT',
            `key ${req.idempotencyKey} already promoted ${earlier.scenario_run_id}/${earlier.variant_key}`,
          );
        }
        const run = this.db
          .prepare(
            'SELECT quote_id, variant_count, approval_required_variant_count FROM deal_flight_scenario_run WHERE id = ?',
          )
          .get(req.runId) as
          | { quote_id: string; variant_count: number; approval_required_variant_count: number }
          | undefined;
        if (!run) throw new PromotionError('SIM_RUN_NOT_FOUND', `no scenario run ${req.runId}`);
        const promoted = this.db
          .prepare(
            'SELECT variant_key FROM deal_flight_scenario_variant WHERE scenario_run_id = ? AND selected_for_promotion = 1',
          )
          .get(req.runId) as { variant_key: string } | undefined;
        const version = () =>
          (
            this.db.prepare('SELECT version FROM deal_flight_quote WHERE id = ?').get(run.quote_id) as {
              version: number;
            }
          ).version;
        if (promoted) {
          if (promoted.variant_key !== req.variantKey)
            throw new PromotionError(
              'SIM_ALREADY_PROMOTED',
              `run ${req.runId} already promoted ${promoted.variant_key}`,
            );
          return { outcome: 'duplicate', runId: req.runId, variantKey: req.variantKey, quoteVersion: version() };
        }
        const v = this.db
          .prepare(
            'SELECT quote_json, priced_json FROM deal_flight_scenario_variant WHERE scenario_run_id = ? AND variant_key = ?',
          )
          .get(req.runId, req.variantKey) as { quote_json: string; priced_json: string | null } | undefined;
        if (!v) throw new PromotionError('SIM_VARIANT_NOT_FOUND', `run ${req.runId} has no variant ${req.variantKey}`);
        if (v.priced_json === null)
          throw new PromotionError('SIM_VARIANT_REJECTED', `variant ${req.variantKey} broke the quote's constraints`);
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
        this.db
          .prepare(
            'UPDATE deal_flight_scenario_variant SET selected_for_promotion = 1 WHERE scenario_run_id = ? AND variant_key = ?',
          )
          .run(req.runId, req.variantKey);
        this.db
          .prepare("UPDATE deal_flight_scenario_run SET status = 'promoted', updated_at = datetime('now') WHERE id = ?")
          .run(req.runId);
        this.saveQuote(JSON.parse(v.quote_json) as Quote);
        this.db
          .prepare('INSERT INTO deal_flight_promotion (idempotency_key, scenario_run_id, variant_key) VALUES (?, ?, ?)')
          .run(req.idempotencyKey, req.runId, req.variantKey);
        this.audit(event('promotion_applied'));
        return { outcome: 'applied', runId: req.runId, variantKey: req.variantKey, quoteVersion: version() };
      })
      .immediate();
  }
}
