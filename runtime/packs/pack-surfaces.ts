// A pack's surfaces: what the host shows and keeps for it. Routes, its own service listener, a
// dashboard page and run-page panels, Prometheus families, CLI verbs and its tables. Given to the
// server and the CLI; the scheduler never sees them.
import type { RequestHandler, Router } from 'express';
import type { Registry } from 'prom-client';
import type { LimitRow } from '../limits.js';
import type { MetricCatalogue } from '../metrics/metric-catalogue.js';
import type { RunRegistry } from '../run/run-registry.js';
import type { Migration } from '../store/migrations.js';
import type { RetentionRule } from '../store/retention.js';
import type { Store } from '../store/store.js';
import type { PackCatalogue } from './pack-catalogue.js';
import type { PanelCatalogue } from './panels.js';

/** What the server hands a pack's router. */
export interface PackHttpContext {
  readonly runs: RunRegistry;
  readonly store: Store;
  readonly packs: PackCatalogue;
  /** The admin bearer-token check (a no-op without TICKWORK_ADMIN_TOKEN). */
  readonly requireAdmin: RequestHandler;
  /** The check /metrics makes: the admin token or TICKWORK_METRICS_TOKEN (a no-op without either). */
  readonly requireMetricsReader: RequestHandler;
  /** The same check that also accepts `?token=` (for pages opened in a browser). */
  readonly requireAdminPage: RequestHandler;
  /**
   * For a GET that creates work (a runbook's get-or-create, which must stay a GET): refuses what
   * another site's page makes a browser send (Sec-Fetch-Site, Referer). Every other GET must be
   * free of side effects.
   */
  readonly sameSiteOnly: RequestHandler;
  /** JSON body parser with the server's size limit; other Content-Types are refused with 415. */
  readonly jsonBody: RequestHandler[];
  /**
   * JSON whatever the Content-Type, for a runbook's routes whose curl examples send `-d` alone.
   * Safe only because the server refuses foreign Origins and Hosts before any router runs.
   */
  readonly jsonBodyAnyType: RequestHandler;
  /** Prometheus text of one pack's families (its metric catalogue over its exported runs). */
  packMetricsText(pack: string): string;
  /**
   * The listener's /metrics registry (prom-client), for what a pack measures outside runs (a
   * desk's request counters). Register with `registers: [metricsRegistry]`, names prefixed as the
   * pack's runbook names them.
   */
  readonly metricsRegistry: Registry;
  /**
   * Aborted when the server closes, just before its store does: a pack's timers, queues and other
   * background work stop on it (and must not touch the store after it fires).
   */
  readonly closing: AbortSignal;
}

/** A pack's own listener on its own port, beside the control server (`tickwork serve --service <pack>`). */
export interface PackService {
  /** The runbook's port; `portEnv` overrides it, and `serve --service-port` overrides both. */
  readonly defaultPort: number;
  readonly portEnv?: string;
  /** The service's routes (say /healthz and /metrics as the runbook's operators call them). */
  readonly http: (ctx: PackHttpContext) => Router;
}

/** A pack's CLI subcommand: `tickwork <pack> <verb> [args]`. */
export interface PackCommand {
  /** One line for `tickwork <pack> --help`. */
  readonly summary: string;
  /**
   * Returns the exit code; `--help` is the command's own to answer. `serve` runs `tickwork serve`
   * with the given arguments: a verb that presets the control server (`tickwork exec serve`).
   */
  run(argv: string[], ctx: { packs: PackCatalogue; serve(argv: string[]): Promise<number> }): Promise<number>;
}

export interface PackSurfaces {
  /** Routes at the paths the pack's runbook names, with their own body parsing and auth. */
  readonly http?: (ctx: PackHttpContext) => Router;
  readonly service?: PackService;
  /** Path of the pack's own dashboard page (served by its router), linked from /admin. */
  readonly page?: string;
  /** Tiles and charts for the generic run page (/admin/runs/:id), as data. */
  readonly panels?: PanelCatalogue;
  /** Internal metrics exported on /metrics under the pack's own names, units and labels. */
  readonly metrics?: MetricCatalogue;
  readonly commands?: Readonly<Record<string, PackCommand>>;
  /** The pack's own tables, numbered per pack (`schema_migrations` is keyed by pack and version). */
  readonly migrations?: readonly Migration[];
  /**
   * A rule for each of its tables (runtime/store/retention.ts), children before parents: what
   * `tickwork prune` and the server's periodic prune delete, and what the limits table says.
   */
  readonly retention?: readonly RetentionRule[];
  /** The bounds its contract and routes enforce, as rows of docs/limits.md (`npm run docs`). */
  readonly limits?: readonly LimitRow[];
}
