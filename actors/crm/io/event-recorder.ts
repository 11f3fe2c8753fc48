// Writes a live run's SimCRM events into the tables the HTTP surface reads: segments as they are
// expanded, DLQ entries and replays (by simulation), thinning events (THINNING_EVENTS_MAX kept).
// An input source that takes no input: the platform's hook for a pack's own tables beside a run.
import type { InputSource, SourceContext } from '../../../runtime/sdk.js';
import type { DlqEntry } from '../sim/simulation.js';
import { CrmStore } from '../store/crm-store.js';

export class CrmEventRecorder implements InputSource {
  readonly name = 'crm-events';

  constructor(
    private readonly run: SourceContext,
    private readonly thinningEventsMax: number,
  ) {}

  start(): void {
    const tables = this.run.tables;
    if (!tables) return;
    const crm = new CrmStore(tables);
    const runId = this.run.runId;
    this.run.onEvent((e) => {
      if (!e.type.startsWith('crm.')) return;
      const data = e.data as Record<string, unknown>;
      if (e.type === 'crm.segment') crm.addSegment(runId, data as Parameters<CrmStore['addSegment']>[1]);
      else if (e.type === 'crm.thinning') {
        crm.addThinning(
          runId,
          e.simMs,
          {
            before: Number(data.before),
            after: Number(data.after),
            factor: Number(data.factor),
            total_waiting: Number(data.totalWaiting),
            breaker: String(data.breaker),
          },
          this.thinningEventsMax,
        );
      } else if (e.type === 'crm.dlq' || e.type === 'crm.replay') {
        // Runs from the command line belong to no simulation: their DLQ is in their summary.
        const simulation = crm.simulationOfRun(runId);
        if (simulation === undefined) return;
        if (e.type === 'crm.dlq') crm.putDlq(simulation, runId, data as unknown as DlqEntry);
        else crm.markReplayed(simulation, data.keys as string[], runId);
      }
    });
  }

  stop(): void {}
}
