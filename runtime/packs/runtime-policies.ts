// Policies the runtime itself reads, valid in every pack's scenarios and requests (`runtime.*`).
// A pack's own schema never sees them, so packs stay strict about their own names.
import { z } from 'zod';
import { MAILBOX_LIMIT_PARAM } from '../partition/partition.js';

export const RUNTIME_POLICY_PREFIX = 'runtime.';

export const runtimePoliciesSchema = z.strictObject({
  [MAILBOX_LIMIT_PARAM]: z.number().int().min(1).max(100_000_000).optional(),
});
