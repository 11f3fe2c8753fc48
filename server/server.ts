// Starting and stopping the control server: bind (loopback unless a token is set), optionally
// start a scenario at once, and on shutdown stop every run through the kill switch, persist, close.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createLogger } from '../runtime/logger.js';
import { PACKAGE_VERSION } from '../runtime/package-root.js';
import { wallNowMs } from '../runtime/pacing.js';
import type { ControlServer, ServeRequest } from '../runtime/cli/cli-context.js';
import type { PackCatalogue } from '../runtime/packs/pack-catalogue.js';
import { RunRegistry } from '../runtime/scheduler/run-registry.js';
import { Store } from '../runtime/store/store.js';
import { assertSafeBind } from './auth.js';
import { createApp } from './app.js';

export interface ServeOptions extends ServeRequest {
  packs: PackCatalogue;
}

export type RunningServer = ControlServer;

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  assertSafeBind(o.host, o.token);
  const log = createLogger({ component: 'server' });
  const store = new Store(o.dbPath, o.packs.migrationSets());
  const runs = new RunRegistry(store, o.packs, { workers: o.workers });
  const app = createApp({ runs, store, packs: o.packs, log, token: o.token, version: PACKAGE_VERSION, startedWallMs: wallNowMs() });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(o.port, o.host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  let started: ControlServer['started'];
  try {
    started = o.startRun ? runs.start(o.startRun) : undefined;
  } catch (err) {
    // A bad --start must not leave a listening server behind the error message.
    server.close();
    store.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    runs,
    started,
    close(reason) {
      closing ??= (async () => {
        await runs.stopAll(reason);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        store.close();
      })();
      return closing;
    },
  };
}
