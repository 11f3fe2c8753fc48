// One `/quote simulate` request end to end: parse, look the quote up, evaluate and rank the
// variants, record the run, and audit it (request_received, then comparison_rendered or
// error_occurred), whichever surface it came from. Ids and the stopwatch come from the edge.
import type { Quote } from '../cpq/catalogue.js';
import {
  needsApproval,
  type AuditEvent,
  type ScenarioRepository,
  type VersionedCatalogue,
} from '../../store/scenario-repository.js';
import { DEFAULT_LIMITS, parseSimulate, SimulateError, type SimulateLimits } from './grammar.js';
import { evaluateBase, rankVariants, type BaseEvaluation, type EvaluatedVariant } from './variants.js';
import { evaluateVariantJob, type VariantJobRequest } from './variant-job.js';

export interface SimulateRequest {
  runId: string;
  correlationId: string;
  text: string;
  limits?: SimulateLimits;
}

export type SimulateOutcome =
  | { ok: true; runId: string; quote: Quote; base: BaseEvaluation; variants: EvaluatedVariant[] }
  | { ok: false; code: string; message: string; position?: number };

/** Evaluates a request's variants against the base; inline by default, on the job pool from the desk. */
export type VariantEvaluator = (jobs: VariantJobRequest[]) => EvaluatedVariant[] | Promise<EvaluatedVariant[]>;

export const evaluateInline: VariantEvaluator = (jobs) => jobs.map(evaluateVariantJob);

export async function simulate(
  repo: ScenarioRepository,
  { version, catalogue, json }: VersionedCatalogue,
  req: SimulateRequest,
  elapsedMs: () => number,
  evaluate: VariantEvaluator = evaluateInline,
): Promise<SimulateOutcome> {
  const event = (e: Partial<AuditEvent> & Pick<AuditEvent, 'event_type' | 'outcome'>): AuditEvent => ({
    quote_id: null,
    correlation_id: req.correlationId,
    scenario_run_id: null,
    variant_key: null,
    variant_count: 0,
    approval_required_variant_count: 0,
    latency_ms: elapsedMs(),
    error_code: null,
    ...e,
  });
  // Written with the outcome, in one transaction: one commit per request.
  const received = event({ event_type: 'request_received', outcome: 'success' });
  const fail = (code: string, message: string, quoteId: string | null, position?: number): SimulateOutcome => {
    repo.auditAll([
      received,
      event({ event_type: 'error_occurred', outcome: 'failure', error_code: code, quote_id: quoteId }),
    ]);
    return { ok: false, code, message, ...(position !== undefined ? { position } : {}) };
  };
  let command: ReturnType<typeof parseSimulate>;
  try {
    command = parseSimulate(req.text, req.limits ?? DEFAULT_LIMITS);
  } catch (err) {
    if (!(err instanceof SimulateError)) throw err;
    return fail(err.code, err.message, null, err.position);
  }
  const quote = repo.quote(command.quoteId);
  if (!quote) return fail('SIM_QUOTE_NOT_FOUND', `no quote ${command.quoteId}`, command.quoteId);
  const { version: _version, ...base } = quote;
  const baseEval = evaluateBase(catalogue, base);
  const variants = rankVariants(
    await evaluate(command.variants.map((variant) => ({ catalogueJson: json, base, baseEval, variant }))),
  );
  const rendered = event({
    event_type: 'comparison_rendered',
    outcome: 'success',
    quote_id: base.id,
    scenario_run_id: req.runId,
    variant_count: variants.length,
    approval_required_variant_count: variants.filter(needsApproval).length,
  });
  repo.recordRun({
    id: req.runId,
    catalogueVersion: version,
    quoteId: base.id,
    correlationId: req.correlationId,
    commandText: req.text,
    base,
    variants,
    audit: [received, rendered],
  });
  return { ok: true, runId: req.runId, quote: base, base: baseEval, variants };
}
