// What the composition root (main.ts) hands every command: the pack catalogue and the control
// server's starter. Commands get them here instead of importing actors/ or server/, so the
// runtime depends on neither.
import type { PackCatalogue } from '../packs/pack-catalogue.js';
import type { RunRegistry, HostedRun, StartRequest } from '../scheduler/run-registry.js';

export interface ServeRequest {
  host: string;
  port: number;
  dbPath: string;
  token: string | undefined;
  /** Reads /metrics only (TICKWORK_METRICS_TOKEN). */
  metricsToken?: string;
  /** Host names the server answers to besides loopback and its bind address (TICKWORK_ALLOWED_HOSTS). */
  allowedHosts?: string[];
  workers?: number;
  /** A run to start as soon as the server listens (npm start: baseline, paced). */
  startRun?: StartRequest;
  /** An interrupted run to continue as soon as the server listens (a service restarted after a crash). */
  resumeRun?: string;
  /** Packs whose own service listeners start too (PackModule.service), with optional port overrides. */
  services?: { pack: string; port?: number }[];
}

export interface ControlServer {
  url: string;
  runs: RunRegistry;
  started: HostedRun | undefined;
  /** Base URL of each started pack service, by pack. */
  services: Record<string, string>;
  close(reason: string): Promise<void>;
}

export interface CliContext {
  packs: PackCatalogue;
  startServer(request: ServeRequest): Promise<ControlServer>;
}

export type Command = (argv: string[], ctx: CliContext) => Promise<number>;
