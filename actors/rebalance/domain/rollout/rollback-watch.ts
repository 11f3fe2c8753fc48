// The automatic rollback (ROLLOUT_AUTO_ROLLBACK=1): every ROLLOUT_CHECK_SEC the gates are judged
// over the last 15 minutes of policy runs; when they have failed at every check for
// ROLLOUT_SUSTAIN_MIN (the runbook's "sustained over a 15-minute window"), the kill switch goes on
// and an incident note is stored with the stage, the trigger metrics, when it was first observed
// and the action. A pass or an inconclusive check ends a failing streak: no data is not evidence.
import { isoTime, type Logger } from '../../../../runtime/sdk.js';
import type { PolicyService } from '../../http/policy-service.js';
import { storedGateReport } from './stored-gates.js';

export const GATE_WINDOW_SEC = 15 * 60;

export class RollbackWatch {
  private failingSinceMs: number | undefined;

  constructor(
    private readonly service: PolicyService,
    private readonly log: Logger,
    /** Called after the kill switch went on (to steer running simulations too). */
    private readonly onRollback: () => void = () => {},
  ) {}

  /** One check at wall time `nowEpochMs`; returns the incident id when it rolled back. */
  check(nowEpochMs: number): number | undefined {
    const { rollout } = this.service.config;
    if (this.service.killSwitch) {
      this.failingSinceMs = undefined;
      return undefined;
    }
    const report = storedGateReport(this.service.store, rollout.stage, {
      windowSec: GATE_WINDOW_SEC,
      minSamples: rollout.minSamples,
    });
    if (report.verdict !== 'fail') {
      this.failingSinceMs = undefined;
      return undefined;
    }
    this.failingSinceMs ??= nowEpochMs;
    this.log.warn(
      { stage: rollout.stage, reasons: report.reasons, failingSince: isoTime(this.failingSinceMs) },
      'rollout gates failing',
    );
    if (nowEpochMs - this.failingSinceMs < rollout.sustainMin * 60_000) return undefined;
    this.service.setKillSwitch(true);
    const id = this.service.store.addIncident({
      stage: rollout.stage,
      triggerMetrics: { ...report.metrics, samples: report.samples, reasons: report.reasons },
      firstObservedAt: isoTime(this.failingSinceMs),
      killSwitchApplied: true,
      action:
        'automatic rollback: kill switch on, /api/policy/config advertises rebal.greedy.v1 only; worker kept running for queue drain and diagnostics',
    });
    this.log.error({ incident: id, stage: rollout.stage, reasons: report.reasons }, 'automatic rollback applied');
    this.failingSinceMs = undefined;
    this.onRollback();
    return id;
  }
}
