// One variant's evaluation as a pool job (the platform's jobs contract): the desk prices a
// request's variants in parallel on the job pool's threads. A pure function of its request, so a
// pool thread and the main thread give the same answer (the parity test holds either way).
import type { Catalogue, Quote } from '../cpq/catalogue.js';
import type { Change } from './grammar.js';
import { evaluateVariant, type BaseEvaluation, type EvaluatedVariant } from './variants.js';

export interface VariantJobRequest {
  /** The catalogue as stored: a string crosses to a pool thread as one copy, and is parsed once per thread. */
  catalogueJson: string;
  base: Quote;
  baseEval: BaseEvaluation;
  variant: { key: string; changes: Change[] };
}

/** Parsed catalogues by their JSON; a few versions at most are live at once. */
const parsed = new Map<string, Catalogue>();
const MAX_CACHED = 8;

function catalogueOf(json: string): Catalogue {
  let catalogue = parsed.get(json);
  if (!catalogue) {
    catalogue = JSON.parse(json) as Catalogue;
    if (parsed.size >= MAX_CACHED) parsed.delete(parsed.keys().next().value!);
    parsed.set(json, catalogue);
  }
  return catalogue;
}

export function evaluateVariantJob(req: VariantJobRequest): EvaluatedVariant {
  return evaluateVariant(catalogueOf(req.catalogueJson), req.base, req.baseEval, req.variant);
}

/** The job's module and export, for `runJob` and the pack module's `jobs` table. */
export const VARIANT_JOB = { url: new URL('./variant-job.js', import.meta.url).href, export: 'evaluateVariantJob' };
