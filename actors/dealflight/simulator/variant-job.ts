// One variant's evaluation as a pool job (the platform's jobs contract): the desk prices a
// request's variants in parallel on the job pool's threads. A pure function of its request, so a
// pool thread and the main thread give the same answer (the parity test holds either way).
import type { Catalogue, Quote } from '../cpq/catalogue.js';
import type { Change } from './grammar.js';
import { evaluateVariant, type BaseEvaluation, type EvaluatedVariant } from './variants.js';

export interface VariantJobRequest {
  catalogue: Catalogue;
  base: Quote;
  baseEval: BaseEvaluation;
  variant: { key: string; changes: Change[] };
}

export function evaluateVariantJob(req: VariantJobRequest): EvaluatedVariant {
  return evaluateVariant(req.catalogue, req.base, req.baseEval, req.variant);
}

/** The job's module and export, for `runJob` and the pack module's `jobs` table. */
export const VARIANT_JOB = { url: new URL('./variant-job.js', import.meta.url).href, export: 'evaluateVariantJob' };
