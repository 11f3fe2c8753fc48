// The exec service's retention rule (runtime/store/retention.ts): its outbox drains itself.
import type { RetentionRule } from '../../../runtime/sdk.js';

export const EXEC_RETENTION: readonly RetentionRule[] = [
  {
    table: 'exec_outbox',
    rule: 'a row leaves once JetStream acknowledged it; parked rows stay until `tickwork exec parked --retry` publishes them (deleting them would lose fills)',
  },
];
