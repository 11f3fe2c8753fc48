#!/usr/bin/env node
// The tickwork command line, and the composition root: the one place that knows the packs
// (actors/index.ts), the engine (runtime/) and the control server (server/). It builds the pack
// catalogue and hands it, with the server's starter, to every command.
import { PACKS } from '../actors/index.js';
import { errorLine, exitCodeFor, EXIT } from '../runtime/edge/exit-codes.js';
import type { CliContext, Command } from './cli-context.js';
import { packCommand } from './commands/pack.js';
import { runCommand } from './commands/run.js';
import { replayCommand } from './commands/replay.js';
import { resumeCommand } from './commands/resume.js';
import { scenariosCommand } from './commands/scenarios.js';
import { packsCommand } from './commands/packs.js';
import { runsCommand, showCommand } from './commands/runs.js';
import { compareCommand, reportCommand } from './commands/report.js';
import { waitCommand } from './commands/wait.js';
import { pruneCommand } from './commands/prune.js';

const COMMANDS: Record<string, { summary: string; run: Command }> = {
  run: {
    summary: 'run <scenario|path.json>   run a scenario: a pack, pack/name or runbook name (tickwork run --help)',
    run: runCommand,
  },
  replay: {
    summary: 'replay <runId>             re-run from the recorded seed and input log; compare digests',
    run: replayCommand,
  },
  resume: {
    summary: 'resume <runId>             continue an interrupted or killed run from its checkpoint',
    run: resumeCommand,
  },
  sweep: {
    summary: 'sweep <scenario> --seeds 1..N many seeds x parameter sets, N at a time; pass rates (--help)',
    run: async (argv, ctx) => (await import('./commands/sweep.js')).sweepCommand(argv, ctx),
  },
  hunt: {
    summary: 'hunt <scenario> --budget 10m  random seeds until a run fails or the budget is spent (--help)',
    run: async (argv, ctx) => (await import('./commands/hunt.js')).huntCommand(argv, ctx),
  },
  agent: {
    summary: 'agent --nats URL           run sweep jobs from NATS JetStream, one machine of a fleet (--help)',
    run: async (argv, ctx) => (await import('./commands/agent.js')).agentCommand(argv, ctx),
  },
  scenarios: { summary: 'scenarios                  list the built-in scenarios', run: scenariosCommand },
  runs: {
    summary: 'runs [--pack P] [--status S] stored runs, newest first (ids by unique prefix everywhere)',
    run: runsCommand,
  },
  show: { summary: "show <runId>               a stored run's summary", run: showCommand },
  wait: {
    summary: 'wait <runId> [--timeout D]  block until a run ends; print its summary, exit as run does',
    run: waitCommand,
  },
  report: { summary: 'report <runId> [--out F]   a stored run as one self-contained HTML file', run: reportCommand },
  compare: { summary: 'compare <runA> <runB>      two stored runs side by side, with deltas', run: compareCommand },
  prune: {
    summary: 'prune [--older-than 30d]   delete what the retention rules drop (--dry-run counts it)',
    run: pruneCommand,
  },
  packs: {
    summary: "packs [name]               list the packs, or one pack's contract (policies, events, gates)",
    run: packsCommand,
  },
  // Loaded on demand: the server's dependencies (express, prom-client) are not needed to run.
  serve: {
    summary: 'serve                      the control server: HTTP API, SSE, /metrics, /healthz, dashboard',
    run: async (argv, ctx) => (await import('./commands/serve.js')).serveCommand(argv, ctx),
  },
};

function help(ctx: CliContext): string {
  const packLines = ctx.packs
    .all()
    .filter((m) => m.surfaces?.commands && Object.keys(m.surfaces?.commands).length > 0)
    .map((m) => `  ${`${m.name} <verb>`.padEnd(27)}${m.description} (tickwork ${m.name} --help)`);
  return [
    'Usage: tickwork <command> [options]',
    '',
    'Deterministic actor-model simulation runtime.',
    '',
    'Commands:',
    ...Object.values(COMMANDS).map((c) => `  ${c.summary}`),
    ...packLines,
    '',
    'Every command takes --help. Environment: TICKWORK_DB (store path), TICKWORK_LOG_LEVEL (pino level), TICKWORK_ADMIN_TOKEN, PORT.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const ctx: CliContext = {
    packs: PACKS,
    startServer: async (request) => (await import('../server/server.js')).startServer({ ...request, packs: PACKS }),
  };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(help(ctx));
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command: Command | undefined = Object.hasOwn(COMMANDS, name)
    ? COMMANDS[name].run
    : ctx.packs.has(name) && ctx.packs.get(name).surfaces?.commands
      ? (args, c) => packCommand(name, args, c)
      : undefined;
  if (!command) {
    const known = [
      ...Object.keys(COMMANDS),
      ...ctx.packs
        .all()
        .filter((m) => m.surfaces?.commands)
        .map((m) => m.name),
    ];
    console.error(`tickwork: unknown command '${name}' (commands: ${known.join(', ')})`);
    return EXIT.usage;
  }
  try {
    return await command(rest, ctx);
  } catch (err) {
    console.error(errorLine(err));
    return exitCodeFor(err);
  }
}

// A reader that stops early (`tickwork runs | head -3`) closes the pipe: later writes fail with
// EPIPE. Nobody is reading any more, so the output is dropped and the command finishes as it
// would have (a run still ends, checkpoints and is marked), instead of dying on an unhandled
// stream error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

process.exitCode = await main(process.argv.slice(2));
