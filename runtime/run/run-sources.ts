// Input sources of a live run (a JetStream consumer, a webhook queue): started once the run is ready,
// stopped however it ends. A replay has none: it reads every input from the log.
import type { SourceContext } from '../packs/pack-io.js';
import type { RunContext } from './run-context.js';
import { submitLogged } from './input-application.js';

export async function startSources(ctx: RunContext): Promise<void> {
  if (ctx.mode !== 'live' || !ctx.pack.io?.sources) return;
  const context: SourceContext = {
    runId: ctx.id,
    seed: ctx.options.seed,
    scenario: ctx.options.scenario,
    log: ctx.log,
    tables: ctx.store?.tables(ctx.pack.name),
    submit: (input) => submitLogged(ctx, input),
    onEvent: (handler) => ctx.bus.on('event', handler),
    onTickEnd: (handler) => ctx.bus.on('tick', (tick) => handler(tick.simMs)),
    otherLiveRuns: () =>
      (ctx.store?.listRuns(10, { pack: ctx.pack.name, scenario: ctx.options.scenario.name, status: 'running' }) ?? [])
        .map((r) => r.id)
        .filter((id) => id !== ctx.id),
  };
  ctx.sources = ctx.pack.io?.sources(context);
  for (const source of ctx.sources) await source.start();
}

export async function stopSources(ctx: RunContext): Promise<void> {
  const sources = ctx.sources;
  ctx.sources = [];
  for (const source of sources) {
    await Promise.resolve()
      .then(() => source.stop())
      .catch((err) => ctx.log.warn({ err, source: source.name }, 'input source failed to stop'));
  }
}
