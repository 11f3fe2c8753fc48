// `tickwork serve`: the control server (HTTP API, SSE, /metrics, /healthz, dashboard). `npm start`
// runs it and starts the default scenario paced, so a newcomer sees a living run.
import { flag, parseFlags, policyFlags } from '../../runtime/edge/command-flags.js';
import { EXIT, usageError } from '../../runtime/edge/exit-codes.js';
import { resolveDbPath } from '../../runtime/store/store.js';
import { verdictOf } from '../../runtime/run/run-summary.js';
import { formatDurationMs } from '../../runtime/scenario/duration.js';
import type { CliContext } from '../cli-context.js';

export const SERVE_HELP = `Usage: tickwork serve [options]

Run the control server: HTTP API, Server-Sent Events, /metrics, /healthz and the dashboard.

Options:
  --host H               address to bind (default: $HOST or 127.0.0.1; beyond loopback needs TICKWORK_ADMIN_TOKEN)
  --port N               port (default: $PORT or 8080; 0 picks a free one)
  --start SCENARIO       start this scenario at once, at its runbook pace (e.g. baseline)
  --seed N               seed for --start (default: random, printed)
  --policy NAME=VALUE    a policy override for --start (VALUE as JSON, else a string); repeatable
  --resume RUN           continue this interrupted run at once (its scenario, seed and policies)
  --workers N            worker threads per run (default: auto, as for tickwork run: inline until a
                         run measures that up to cores (max 4) workers are faster)
  --db PATH              SQLite store (default: $TICKWORK_DB or ./data/tickwork.db)
  --service PACK[:PORT]  also start that pack's own listener (its runbook's port unless given); repeatable
  -h, --help             this help

Environment: TICKWORK_ADMIN_TOKEN (bearer token every route but /healthz needs; pages and event
streams also take ?token=; at least 16 characters beyond loopback), TICKWORK_METRICS_TOKEN (reads
/metrics only), TICKWORK_ALLOWED_HOSTS (comma-separated names the server answers to besides
loopback and its bind address), PORT, HOST.
SIGTERM/SIGINT interrupt every run (checkpointed and marked interrupted, so they resume) and exit 0.`;

export async function serveCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    host: { type: 'string' },
    port: { type: 'string' },
    start: { type: 'string' },
    seed: { type: 'string' },
    workers: { type: 'string' },
    db: { type: 'string' },
    service: { type: 'string', multiple: true },
    policy: { type: 'string', multiple: true },
    resume: { type: 'string' },
  });
  if (values.help) {
    console.log(SERVE_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw usageError(`serve takes no positional arguments (got '${positionals[0]}')`);
  const seed = flag('seed', values.seed);
  if (values.resume && values.start) throw usageError('give --start or --resume, not both', 'resume');
  if (values.policy && !values.start) throw usageError('--policy applies to the run --start starts', 'policy');
  const policies = policyFlags(values.policy ?? []);
  const dbPath = resolveDbPath(values.db);
  const server = await ctx.startServer({
    host: values.host ?? process.env.HOST ?? '127.0.0.1',
    port: flag('port', values.port ?? process.env.PORT) ?? 8080,
    dbPath,
    token: process.env.TICKWORK_ADMIN_TOKEN || undefined,
    metricsToken: process.env.TICKWORK_METRICS_TOKEN || undefined,
    allowedHosts: (process.env.TICKWORK_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    workers: flag('workers', values.workers),
    startRun: values.start ? { scenario: values.start, seed, ...(values.policy ? { policies } : {}) } : undefined,
    resumeRun: values.resume,
    services: (values.service ?? []).map((spec) => {
      const [pack, port] = spec.split(':');
      return { pack, port: port === undefined ? undefined : flag('port', port) };
    }),
  });
  for (const [pack, url] of Object.entries(server.services)) console.log(`service ${pack} listening on ${url}`);
  console.log(
    `tickwork serve  listening on ${server.url}  dashboard ${server.url}/admin  db=${dbPath}  ` +
      `auth=${process.env.TICKWORK_ADMIN_TOKEN ? 'bearer token' : 'off (loopback only)'}`,
  );
  // One line per run as it starts and as it ends, with its verdict.
  server.runs.lifecycle.on('started', (h) => {
    const o = h.run.options;
    if (h !== server.started)
      console.log(
        `run started  ${o.scenario.name}  runId=${h.run.id}  seed=${o.seed}  pace=${o.pace}  workers=${o.workers}`,
      );
  });
  server.runs.lifecycle.on('ended', (_h, s) => {
    const verdict = verdictOf(s);
    console.log(
      `run ended    ${s.scenario}  runId=${s.runId}  ${s.status}  ${verdict}  sim ${formatDurationMs(s.simTimeMs)}  gates ${s.verdicts.pass} pass, ${s.verdicts.fail} fail, ${s.verdicts.notEvaluated} not evaluated`,
    );
  });
  const started = server.started?.run;
  if (started) {
    const o = started.options;
    console.log(
      `started ${o.scenario.name}  runId=${started.id}  seed=${o.seed}  pace=${o.pace}  duration=${formatDurationMs(o.durationMs)}  ` +
        `workers=${o.workers}  partitions=${o.partitions}  (stop: POST /api/runs/${started.id}/stop or Ctrl-C)`,
    );
  }
  await new Promise<void>((resolve) => {
    let received = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++received > 1) {
        for (const hosted of server.runs.all()) hosted.run.abandon(); // rows say interrupted, not running
        process.exit(EXIT.interruptedTwice);
      }
      console.log(
        `${signal}: interrupting every run (checkpointed, resumable with POST /api/runs/:id/resume or tickwork resume), closing`,
      );
      void server.close(`server received ${signal}`).then(resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return EXIT.ok;
}
