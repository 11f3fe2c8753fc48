// Deterministic parity, the runbook's "parity mismatch" KPI: re-evaluate stored runs from their
// base quote, their variants' changes and the catalogue version they were priced with, and count
// every variant whose rank, price or policy result differs from what was stored. Any mismatch
// means the CPQ runtime no longer gives the same answer to the same question.
import { canonicalJson } from '../../../../runtime/sdk.js';
import { policyJson, type ScenarioRepository, type StoredRun } from '../../store/scenario-repository.js';
import { evaluateBase, evaluateVariant, rankVariants } from './variants.js';

export interface ParityMismatch {
  runId: string;
  variantKey: string;
  field: 'rank' | 'priced' | 'policy' | 'missing' | 'catalogue';
  stored: unknown;
  now: unknown;
}

export interface ParityReport {
  runs: number;
  variants: number;
  mismatches: ParityMismatch[];
}

export function checkParity(repo: ScenarioRepository, runs: readonly StoredRun[]): ParityReport {
  const report: ParityReport = { runs: runs.length, variants: 0, mismatches: [] };
  for (const run of runs) {
    report.variants += run.variants.length;
    const versioned = repo.catalogue(run.catalogueVersion);
    if (!versioned) {
      report.mismatches.push({
        runId: run.id,
        variantKey: '*',
        field: 'catalogue',
        stored: run.catalogueVersion,
        now: null,
      });
      continue;
    }
    const baseEval = evaluateBase(versioned.catalogue, run.base);
    const again = rankVariants(
      run.variants.map((v) =>
        evaluateVariant(versioned.catalogue, run.base, baseEval, { key: v.key, changes: v.changes }),
      ),
    );
    const byKey = new Map(again.map((v) => [v.key, v]));
    for (const stored of run.variants) {
      const now = byKey.get(stored.key);
      const differ = (field: ParityMismatch['field'], a: unknown, b: unknown) => {
        if (canonicalJson(a) !== canonicalJson(b))
          report.mismatches.push({ runId: run.id, variantKey: stored.key, field, stored: a, now: b });
      };
      if (!now) {
        report.mismatches.push({
          runId: run.id,
          variantKey: stored.key,
          field: 'missing',
          stored: stored.key,
          now: null,
        });
        continue;
      }
      differ('rank', stored.rank, now.rank);
      differ('priced', stored.priced, now.priced ?? null);
      differ('policy', stored.policy, JSON.parse(policyJson(now)));
    }
  }
  return report;
}
