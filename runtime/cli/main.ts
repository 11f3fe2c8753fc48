#!/usr/bin/env node
// The tickwork command line: run, replay, resume, scenarios, serve.
import { errorLine, exitCodeFor, EXIT } from './cli-error.js';
import { runCommand } from './commands/run.js';
import { replayCommand } from './commands/replay.js';
import { resumeCommand } from './commands/resume.js';
import { scenariosCommand } from './commands/scenarios.js';

const HELP = `Usage: tickwork <command> [options]

Deterministic actor-model simulation runtime.

Commands:
  run <scenario|path.json>   run a scenario (tickwork run --help)
  replay <runId>             re-run from the recorded seed and input log; compare digests
  resume <runId>             continue an interrupted or killed run from its checkpoint
  scenarios                  list the built-in scenarios
  serve                      the control server: HTTP API, SSE, /metrics, /healthz, dashboard

Every command takes --help. Environment: TICKWORK_DB (store path), TICKWORK_LOG_LEVEL (pino level), TICKWORK_ADMIN_TOKEN, PORT.`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  run: runCommand,
  replay: replayCommand,
  resume: resumeCommand,
  scenarios: scenariosCommand,
  // Loaded on demand: the server's dependencies (express, prom-client) are not needed to run.
  serve: async (argv) => (await import('./commands/serve.js')).serveCommand(argv),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`tickwork: unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
    return EXIT.usage;
  }
  try {
    return await command(rest);
  } catch (err) {
    console.error(errorLine(err));
    return exitCodeFor(err);
  }
}

process.exitCode = await main(process.argv.slice(2));
