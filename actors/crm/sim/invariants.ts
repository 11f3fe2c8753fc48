// SimCRM's gates: the share of generated items that end in the DLQ.
import type { InvariantCatalogue } from '../../../runtime/sdk.js';

export const CRM_INVARIANTS: InvariantCatalogue = {
  crm_dlq_rate: {
    description: 'items sent to the DLQ < 2% of items generated over the run',
    metric: 'crm.dlq',
    over: 'crm.generated',
    statistic: 'sum',
    operator: '<',
    threshold: 0.02,
    severity: 'critical',
    minCount: 100,
    // A share of the whole run: an hour of three records with one invalid is not a verdict.
    endOfRunOnly: true,
  },
};
