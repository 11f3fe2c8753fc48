// What one record brings, drawn from its own stream keyed by (simulation, record index): whether
// thinning keeps it, whether its email is invalid, and its secondary activities with their delays.
// Budgets are not here: they are shared by the whole simulation and spent in record order by the
// planner, so a record's draws never depend on other records or on timing.
import { namedRng } from '../../../runtime/sdk.js';
import type { CrmInput, CrmObjectType } from '../domain/crm-account.js';
import { type JobType, SECONDARY_TYPES, type SecondarySpec, type SecondaryType } from './policies.js';

export interface PlannedActivity {
  type: SecondaryType;
  ordinal: number;
  /** After the contact is created. */
  delayMs: number;
}

export interface RecordPlan {
  /** Compared with the thinning keep share in force when the record arrives. */
  thinDraw: number;
  invalidEmail: boolean;
  activities: PlannedActivity[];
}

export function planRecord(
  seed: number,
  simulation: string,
  index: number,
  specs: Record<SecondaryType, SecondarySpec>,
  delayMs: readonly [number, number],
  invalidShare: number,
): RecordPlan {
  const rng = namedRng(seed, `${simulation}:${index}`);
  const thinDraw = rng.float();
  const invalidEmail = rng.chance(invalidShare);
  const activities: PlannedActivity[] = [];
  for (const type of SECONDARY_TYPES) {
    const spec = specs[type];
    for (let ordinal = 0; ordinal < spec.maxPerRecord; ordinal++) {
      // Both draws always happen, so a probability change moves no other activity's delay.
      const wanted = rng.chance(spec.probability);
      const delay = rng.int(delayMs[0], delayMs[1]);
      if (wanted) activities.push({ type, ordinal, delayMs: delay });
    }
  }
  return { thinDraw, invalidEmail, activities };
}

/** The idempotency key of one create: one per (simulation, record, type, ordinal); also its objectWriteTraceId. */
export function jobKey(simulation: string, record: number, type: JobType, ordinal: number): string {
  return `${simulation}:${record}:${type}:${ordinal}`;
}

export const OBJECT_PATH: Record<JobType, CrmObjectType> = {
  contact: 'contacts',
  note: 'notes',
  call: 'calls',
  task: 'tasks',
  ticket: 'tickets',
};

/** HubSpot's default association type ids, activity -> contact. */
const ASSOCIATION_TYPE: Record<SecondaryType, number> = { note: 202, call: 194, task: 204, ticket: 16 };

/** The batch-create input of a job: a pure function of the job, so a retry or replay sends the same. */
export function crmInput(
  job: { key: string; record: number; type: JobType; ordinal: number; invalid?: boolean },
  contactId: string | undefined,
  simulation: string,
): CrmInput {
  if (job.type === 'contact') {
    const email = job.invalid
      ? `record-${job.record}-at-example`
      : `record-${job.record}@${simulation.replace(/[^a-z0-9-]/gi, '-')}.sim.example.com`;
    return { properties: { email, firstname: 'Sim', lastname: `Record ${job.record}` }, objectWriteTraceId: job.key };
  }
  const properties: Record<string, string> = {
    note: { hs_note_body: `Follow-up note ${job.ordinal + 1}` },
    call: { hs_call_title: `Discovery call ${job.ordinal + 1}`, hs_call_duration: '600000' },
    task: { hs_task_subject: `Task ${job.ordinal + 1}`, hs_task_status: 'NOT_STARTED' },
    ticket: { subject: `Support ticket ${job.ordinal + 1}`, hs_pipeline_stage: '1' },
  }[job.type];
  return {
    properties,
    associations: [
      {
        to: { id: contactId ?? '' },
        types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ASSOCIATION_TYPE[job.type] }],
      },
    ],
    objectWriteTraceId: job.key,
  };
}
