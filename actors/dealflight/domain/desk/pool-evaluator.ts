// The desk prices a request's variants in parallel, one pool job each (runtime/pool/job-pool.ts),
// within a time budget: a job past it is aborted and the request fails rather than hangs.
import { runJob } from '../../../../runtime/sdk.js';
import type { VariantEvaluator } from '../simulator/simulate.js';
import { VARIANT_JOB } from '../simulator/variant-job.js';
import type { EvaluatedVariant } from '../simulator/variants.js';

/** Per variant; pricing one takes microseconds, so this only bounds a wedged thread. */
export const VARIANT_BUDGET_MS = 2000;

export const poolEvaluator: VariantEvaluator = (jobs) =>
  Promise.all(
    jobs.map((job) => runJob(VARIANT_JOB, job, AbortSignal.timeout(VARIANT_BUDGET_MS)) as Promise<EvaluatedVariant>),
  );
