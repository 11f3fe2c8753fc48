// The engine's published surface: everything a pack (actors/<pack>/) may import from runtime/,
// in one list. A pack that needs something not listed here asks for a seam: the engine's other
// files are internal and may move. test/layering.test.ts holds packs to this file.
export { fnv1a } from './actor/names.js';
export type {
  Audit,
  InvariantCatalogue,
  MetricReader,
  PackModel,
  PartitionView,
  Reporter,
} from './packs/pack-model.js';
export { policyReader } from './actor/policy-reader.js';
export { type ActorContext, type ActorId, defineKind, type SupervisionPolicy } from './actor/types.js';
export { canonicalJson } from './digest.js';
export { CallLimiter } from './edge/call-limiter.js';
export { connectNats } from './edge/nats-connect.js';
export { flag, parseFlags } from './edge/command-flags.js';
export { EXIT, usageError } from './edge/exit-codes.js';
export { parse } from './edge/request-parse.js';
export { runView, summaryOf } from './edge/run-view.js';
export { eventBody, policyBody, startRunBody, stopBody, summaryQuery } from './edge/run-requests.js';
export type { EffectHandler } from './effects/effect-runner.js';
export { httpEffect } from './effects/http-effect.js';
export { type Env, envFlag, envNumber } from './env-settings.js';
export { PackError, TickworkError } from './errors.js';
export type { LimitRow } from './limits.js';
export type { PrunedTable, RetentionRule } from './store/retention.js';
export { createLogger, type Logger } from './logger.js';
export type { MetricCatalogue } from './metrics/metric-catalogue.js';
export { interruptibleSleep, isoTime, wallEpochMs, wallNowMs } from './pacing.js';
export { PACKAGE_ROOT, PACKAGE_VERSION } from './package-root.js';
export { PackCatalogue } from './packs/pack-catalogue.js';
export type { PackContract, PackScenarios } from './packs/pack-contract.js';
export type { InputSource, PackIo, PackJob, SourceContext, WorkerRef } from './packs/pack-io.js';
export type { PackModule } from './packs/pack-module.js';
export type { PackCommand, PackHttpContext, PackService, PackSurfaces } from './packs/pack-surfaces.js';
export type { PackStatement, PackTables } from './store/pack-tables.js';
export type { PanelCatalogue } from './packs/panels.js';
export { actorIdOf, hostOfActor, partitionOfActor, partitionOfName, slotOfActor } from './placement.js';
export { runJob } from './pool/job-pool.js';
export { exponential, namedRng, type Rng, standardNormal, streamRng } from './rng.js';
export { parseDurationMs } from './scenario/duration.js';
export { loadScenario } from './scenario/scenario-loader.js';
export { scenarioDurationMs } from './scenario/scenario-schema.js';
export type { HostedRun, RunRegistry } from './run/run-registry.js';
export type { Migration } from './store/migrations.js';
export { resolveDbPath, type RunRow, Store } from './store/store.js';
