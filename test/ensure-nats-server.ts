// The exec service's tests run a real nats-server (Debian's package). `npm test` brings it itself on
// a fresh machine, as `npm install` brings everything else: as root through apt-get, otherwise
// with a one-line instruction; the tests never start without it, so a missing binary is one clear
// line, not a failing before hook.
import { spawnSync } from 'node:child_process';

const INSTRUCTION = 'sudo apt-get install -y nats-server';

function installed(): boolean {
  return spawnSync('nats-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

function apt(args: string[]): boolean {
  const r = spawnSync('apt-get', args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return r.status === 0;
}

/** Undefined when nats-server runs here (installed now if it could be); otherwise why not and what to type. */
export function ensureNatsServer(log: (line: string) => void): string | undefined {
  if (installed()) return undefined;
  const root = process.getuid?.() === 0;
  if (!root) return `nats-server is not installed and this is not root: run \`${INSTRUCTION}\`, then npm test again`;
  log(
    "nats-server is not installed: installing Debian's package (apt-get install nats-server) for the exec service tests",
  );
  const ok =
    apt(['install', '-y', '-qq', 'nats-server']) ||
    (apt(['update', '-qq']) && apt(['install', '-y', '-qq', 'nats-server']));
  if (ok && installed()) return undefined;
  return `apt-get could not install nats-server: run \`${INSTRUCTION}\` by hand, then npm test again`;
}
