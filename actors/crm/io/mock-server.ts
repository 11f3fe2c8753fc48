// The HubSpot-like CRM server the HTTP sink is tested against (`tickwork crm serve-mock`): the
// account model on the wall clock behind HubSpot's batch-create paths, bearer tokens, and faults
// acted out on the wire (a held answer for a timeout, a destroyed socket for a reset). Loopback
// only: it is a test double with no auth worth the name.
import type { Server } from 'node:http';
import express from 'express';
import { isoTime, streamRng, wallEpochMs } from '../../../runtime/sdk.js';
import { type AccountConfig, batchCreate, isObjectType, newAccountState } from '../domain/crm-account.js';

export interface MockServerOptions {
  account: AccountConfig;
  /** Bearer token every request must carry. */
  token: string;
  seed: number;
  /** How long a timed-out request is held before the socket is dropped (past any client's timeout). */
  holdMs: number;
  /** Largest request body. */
  bodyLimit: string;
}

export const MOCK_DEFAULTS = { holdMs: 30_000, bodyLimit: '1mb', seed: 1 };

export interface MockCrm {
  url: string;
  /** The account's records and counters, as the mock's own view (what tests compare a ledger with). */
  state(): ReturnType<typeof newAccountState>;
  close(): Promise<void>;
}

export async function startMockCrm(options: MockServerOptions, port = 0, host = '127.0.0.1'): Promise<MockCrm> {
  const state = newAccountState();
  const rng = streamRng(options.seed, 0xc0ffee);
  const held = new Set<NodeJS.Timeout>();
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: options.bodyLimit }));

  app.post('/crm/v3/objects/:type/batch/create', (req, res) => {
    const type = req.params.type;
    if (!isObjectType(type)) {
      res
        .status(404)
        .json({ status: 'error', message: `Unable to infer object type from: ${type}`, category: 'OBJECT_NOT_FOUND' });
      return;
    }
    const authorized = req.get('authorization') === `Bearer ${options.token}`;
    const reply = batchCreate(state, options.account, wallEpochMs(), type, req.body, rng, authorized);
    if (reply.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (reply.kind !== 'response') {
      const timer = setTimeout(() => {
        held.delete(timer);
        req.socket.destroy();
      }, options.holdMs);
      held.add(timer);
      return;
    }
    res.status(reply.status).set(reply.headers).json(withIsoTimes(reply.body));
  });

  // The mock's own view of what it holds: created objects by type and repeated writes it absorbed.
  app.get('/__mock/state', (_req, res) => {
    res.json({
      created: state.created,
      objects: Object.keys(state.traces).length,
      deduplicated: state.deduplicated,
      dayCount: state.dayCount,
      rejected: state.rejected,
    });
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${boundPort}`,
    state: () => state,
    async close() {
      for (const t of held) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** HubSpot answers ISO timestamps; the model keeps epoch ms (it may not read a clock). */
function withIsoTimes(body: unknown): unknown {
  const results = (body as { results?: { createdAtMs?: number }[] } | null)?.results;
  if (!Array.isArray(results)) return body;
  return {
    ...(body as object),
    results: results.map(({ createdAtMs, ...r }) => ({
      ...r,
      createdAt: isoTime(createdAtMs ?? 0),
      updatedAt: isoTime(createdAtMs ?? 0),
    })),
  };
}
