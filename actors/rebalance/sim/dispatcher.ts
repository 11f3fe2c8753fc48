// The dispatcher: the operations desk of the simulated city. At each bucket it takes the
// stations' levels as a snapshot, asks for one policy run per district (a pool job, results a
// fixed sim minute later: the runbook's "Computing"), sends the served policy's moves to trucks,
// and judges the rollout gates over each 15-minute window as the runbook's operators would;
// with autoRollback it applies the kill switch itself after consecutive failing windows and
// files an incident note.
import { type ActorContext, defineKind } from '../../../runtime/sdk.js';
import { cityModel } from '../domain/city/city-source.js';
import { evaluateGates, shouldRollBack, type GateSample, type GateVerdict } from '../domain/rollout/rollout-gates.js';
import { cityProblem } from '../domain/city/city-problem.js';
import type { RebalanceMessage } from './messages.js';
import type { PlanRequest, PlanResult } from './plan-job.js';
import { killSwitchActive, slowdownBudgetMs } from './events.js';
import { cityClockMs, simPolicy } from './policies.js';

/** The runbook's gate window. */
export const GATE_WINDOW_MS = 15 * 60_000;

export interface DispatcherState {
  stations: number;
  /** Bikes per station in the snapshot being collected. */
  levels: number[];
  /** The bucket being collected, and how many stations have reported it. */
  bucket: number;
  reported: number;
  /** Policy runs awaiting their job: effect id -> district and whether its global result is served. */
  pending: Record<string, { district: number; serveGlobal: boolean }>;
  /** Gate samples of the current window, and the verdicts of the windows before. */
  window: number;
  samples: GateSample[];
  verdicts: GateVerdict[];
  rolledBack: boolean;
}

function globalEnabled(state: DispatcherState, ctx: ActorContext<RebalanceMessage>): boolean {
  return simPolicy(ctx, 'availableVersions').includes('rebal.global.v1') && !killSwitchActive(ctx) && !state.rolledBack;
}

function plan(state: DispatcherState, ctx: ActorContext<RebalanceMessage>): void {
  const city = cityModel(simPolicy(ctx, 'city'), simPolicy(ctx, 'districtSide'));
  const terms = {
    horizonMin: simPolicy(ctx, 'horizonMin'),
    moveBudget: simPolicy(ctx, 'movesPerDistrict'),
    unmetWeight: simPolicy(ctx, 'unmetWeight'),
    costPerBikeKm: simPolicy(ctx, 'costPerBikeKm'),
  };
  const global = globalEnabled(state, ctx);
  const stage = simPolicy(ctx, 'stage');
  const budgetMs = slowdownBudgetMs(ctx) ?? simPolicy(ctx, 'globalBudgetMs');
  for (let d = 0; d < city.districts.length; d++) {
    // Shadow serves greedy; internal serves global to the operators who pick it; public serves global.
    const serveGlobal =
      global && (stage === 'public' || (stage === 'internal' && ctx.rng.chance(simPolicy(ctx, 'internalShare'))));
    const request: PlanRequest = {
      problem: cityProblem(city.city, city.districts[d], city.districtArcs[d], state.levels, cityClockMs(ctx), terms),
      global,
      budgetMs,
    };
    state.pending[ctx.effect('job:plan-district', request)] = { district: d, serveGlobal };
  }
  ctx.count('rebalance.snapshots');
  // For the map (dashboard): the city's levels at each bucket.
  ctx.emit('snapshot', { bucket: state.bucket - 1, levels: state.levels.slice() });
}

/** Close gate windows that ended before `now`: judge each, and roll back if configured and due. */
function judgeWindows(state: DispatcherState, ctx: ActorContext<RebalanceMessage>): void {
  const current = Math.floor(ctx.now / GATE_WINDOW_MS);
  while (state.window < current) {
    const stage = simPolicy(ctx, 'stage');
    const report = evaluateGates(stage, state.samples, { minSamples: simPolicy(ctx, 'gateMinSamples') });
    state.verdicts.push(report.verdict);
    if (state.verdicts.length > 100) state.verdicts.shift();
    ctx.count(`rebalance.gate_windows_${report.verdict}`);
    const windowEnd = (state.window + 1) * GATE_WINDOW_MS;
    ctx.emit('gate_window', {
      stage,
      endsAtMs: windowEnd,
      verdict: report.verdict,
      samples: report.samples,
      metrics: report.metrics,
      reasons: report.reasons,
    });
    const consecutive = simPolicy(ctx, 'rollbackAfterWindows');
    if (simPolicy(ctx, 'autoRollback') && !state.rolledBack && shouldRollBack(state.verdicts, consecutive)) {
      state.rolledBack = true;
      ctx.count('rebalance.rollbacks');
      ctx.count('rebalance.rollback_at_min', windowEnd / 60_000);
      // The runbook's incident note: stage, trigger metrics, first observed, the action taken.
      ctx.emit('rollout_incident', {
        stage,
        triggers: report.reasons,
        metrics: report.metrics,
        firstObservedAtMs: windowEnd - consecutive * GATE_WINDOW_MS,
        action: 'kill switch applied: greedy only (POLICY_AVAILABLE_VERSIONS=rebal.greedy.v1)',
      });
    }
    state.samples = [];
    state.window++;
  }
}

function applyResult(
  state: DispatcherState,
  ctx: ActorContext<RebalanceMessage>,
  run: DispatcherState['pending'][string],
  ok: boolean,
  value: unknown,
): void {
  const city = cityModel(simPolicy(ctx, 'city'), simPolicy(ctx, 'districtSide'));
  if (!ok) {
    // The job itself failed or overran its hard budget: no moves this bucket; a global run counts as timed out.
    ctx.count('rebalance.plan_errors');
    return;
  }
  const result = value as PlanResult;
  ctx.count('rebalance.greedy_runs');
  if (result.global) {
    const g = result.global;
    ctx.count('rebalance.global_runs');
    if (g.fallback) ctx.count('rebalance.global_fallbacks');
    if (g.fallback?.cause === 'timeout') ctx.count('rebalance.global_timeouts');
    // Objectives in milli-units, so the gate's ratio sums integers.
    const greedyObjective = Math.round(result.greedy.objective * 1000);
    const globalObjective = Math.round(g.objective * 1000);
    ctx.count('rebalance.objective_greedy', greedyObjective);
    ctx.count('rebalance.objective_gain', greedyObjective - globalObjective);
    state.samples.push({
      timedOut: g.fallback?.cause === 'timeout',
      fellBack: g.fallback !== undefined,
      greedyObjective,
      globalObjective,
    });
  }
  const served = run.serveGlobal && result.global ? result.global : result.greedy;
  if (run.serveGlobal && result.global) ctx.count('rebalance.served_global');
  if (served.moves.length === 0) ctx.count('rebalance.no_op_runs');
  const members = city.districts[run.district];
  for (const m of served.moves) ctx.send(members[m.from], { op: 'load', bikes: m.bikes, to: members[m.to] });
  if (served.moves.length > 0)
    ctx.emit('moves', {
      version: served.version,
      moves: served.moves.map((m) => [members[m.from], members[m.to], m.bikes]),
    });
  ctx.count(
    'rebalance.moves_planned',
    served.moves.reduce((sum, m) => sum + m.bikes, 0),
  );
}

export const dispatcher = defineKind<DispatcherState, RebalanceMessage, { stations: number }>({
  name: 'dispatcher',
  onFailure: 'escalate',
  init: (args) => ({
    stations: args.stations,
    levels: new Array(args.stations).fill(0),
    bucket: 0,
    reported: 0,
    pending: {},
    window: 0,
    samples: [],
    verdicts: [],
    rolledBack: false,
  }),
  receive(state, input, ctx) {
    if (input.type === 'effect-result') {
      const run = state.pending[input.effectId];
      if (!run) return;
      delete state.pending[input.effectId];
      judgeWindows(state, ctx);
      applyResult(state, ctx, run, input.ok, input.value);
      return;
    }
    if (input.type !== 'message' || input.body.op !== 'level') return;
    const m = input.body;
    if (m.bucket !== state.bucket) return; // a report for a bucket already planned (cannot happen; never plan twice)
    state.levels[m.station] = m.bikes;
    if (++state.reported < state.stations) return;
    state.bucket++;
    state.reported = 0;
    judgeWindows(state, ctx);
    plan(state, ctx);
  },
});

/** The dispatcher's actor id: spawned in partition 0 after its share of stations (station i has id i). */
export function dispatcherId(stations: number, partitions: number): number {
  return Math.ceil(stations / partitions) * partitions;
}
