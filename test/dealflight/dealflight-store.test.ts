// Deal Flight's store (issue 18): a simulate request recorded as a scenario run with ranked
// variants, deltas and audit rows in a real SQLite file; the runbook's four operational queries,
// as written, return the right rows; promotion is exactly once per run under 100 racing
// duplicate requests from two connections.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { Store } from '../../runtime/store/store.js';
import { DEALFLIGHT_MIGRATIONS } from '../../actors/dealflight/store/migrations.js';
import { PromotionError, ScenarioRepository } from '../../actors/dealflight/store/scenario-repository.js';
import { SAMPLE_CATALOGUE } from '../../actors/dealflight/domain/cpq/sample-catalogue.js';
import { SAMPLE_QUOTES } from '../../actors/dealflight/domain/cpq/sample-quotes.js';
import { simulate } from '../../actors/dealflight/domain/simulator/simulate.js';
import { tempDir } from '../helpers.js';
import { RUNBOOK_QUERIES } from './dealflight-queries.js';

const MIGRATIONS = [{ namespace: 'dealflight', migrations: DEALFLIGHT_MIGRATIONS }];
const open = (file: string) => {
  const store = new Store(file, MIGRATIONS);
  return { store, repo: new ScenarioRepository(store.tables('dealflight')) };
};
const noClock = () => 0;

test('a simulate request is one recorded run; the runbook queries, as written, return its rows', async () => {
  const file = path.join(tempDir(), 'df.db');
  const { store, repo } = open(file);
  repo.seedIfEmpty(SAMPLE_CATALOGUE, SAMPLE_QUOTES);
  repo.seedIfEmpty(SAMPLE_CATALOGUE, []); // a second start changes nothing
  assert.is(repo.quote('Q-1001')!.version, 1);

  const out = await simulate(
    repo,
    repo.catalogue()!,
    { runId: 'run-1', correlationId: 'c-1', text: 'simulate Q-1001 discount=25% | qty seats=10 | remove plan-pro' },
    noClock,
  );
  assert.ok(out.ok);
  const bad = await simulate(
    repo,
    repo.catalogue()!,
    { runId: 'run-2', correlationId: 'c-2', text: 'simulate Q-1001 discount=15' },
    noClock,
  );
  assert.equal(bad, {
    ok: false,
    code: 'SIM_PARSE',
    message: "SIM_PARSE at column 28: expected '%' after the discount, found the end of the command",
    position: 28,
  });
  const missing = await simulate(
    repo,
    repo.catalogue()!,
    { runId: 'run-3', correlationId: 'c-3', text: 'simulate Q-9999 term=24' },
    noClock,
  );
  assert.is(!missing.ok && missing.code, 'SIM_QUOTE_NOT_FOUND');

  const db = store.tables('test');
  assert.equal(db.prepare(RUNBOOK_QUERIES.outcomes).all(), [{ status: 'completed', count: 1 }]);
  const approvals = db.prepare(RUNBOOK_QUERIES.approvals).all() as {
    quote_id: string;
    variant_key: string;
    rank_order: number;
    policy_result_json: string;
  }[];
  assert.equal(
    approvals.map((r) => [r.quote_id, r.variant_key, r.rank_order]),
    [['Q-1001', 'v1', 2]],
    'only the 25% variant needs approval',
  );
  assert.match(approvals[0].policy_result_json, /"approvers":\["sales_manager"\]/);
  assert.equal(db.prepare(RUNBOOK_QUERIES.promotions).all(), [
    { quote_id: 'Q-1001', promoted_variants: 0, total_variants: 3 },
  ]);
  assert.equal(db.prepare(RUNBOOK_QUERIES.audit).all(), [
    { event_type: 'request_received', count: 3 },
    { event_type: 'error_occurred', count: 2 },
    { event_type: 'comparison_rendered', count: 1 },
  ]);
  const deltas = db
    .prepare('SELECT variant_key, net_minor, approval_to FROM deal_flight_scenario_delta ORDER BY variant_key')
    .all();
  assert.equal(
    deltas,
    [
      { variant_key: 'v1', net_minor: -1_830_000, approval_to: 'sales_manager' },
      { variant_key: 'v2', net_minor: 1_500_000 - 7_320_000, approval_to: null },
    ],
    'no delta for the rejected variant (v3 removes the plan its seats need)',
  );
  // Timestamps are SQLite's UTC text, as datetime('now') compares them.
  const { created_at } = db.prepare('SELECT created_at FROM deal_flight_scenario_run').get() as { created_at: string };
  assert.match(created_at, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  store.close();
});

test('promotion: exactly one variant per run under 100 racing duplicate requests on two connections; the quote is applied once', async () => {
  const file = path.join(tempDir(), 'promote.db');
  const a = open(file);
  const b = open(file);
  a.repo.seedIfEmpty(SAMPLE_CATALOGUE, SAMPLE_QUOTES);
  const out = await simulate(
    a.repo,
    a.repo.catalogue()!,
    { runId: 'run-p', correlationId: 'c-p', text: 'simulate Q-1001 discount=10% | term=24 | remove plan-pro' },
    noClock,
  );
  assert.ok(out.ok);

  // Double clicks (one key), retries and rival clicks on other variants (their own keys), interleaved over two
  // connections.
  const requests = Array.from({ length: 100 }, (_, i) => ({
    repo: i % 2 === 0 ? a.repo : b.repo,
    variantKey: i % 3 === 0 ? 'v2' : 'v1',
    idempotencyKey: i % 5 === 0 ? 'click-1' : `click-${i}`,
  }));
  const results = await Promise.all(
    requests.map(async (r) => {
      await Promise.resolve();
      try {
        return r.repo.promote({
          runId: 'run-p',
          variantKey: r.variantKey,
          idempotencyKey: r.idempotencyKey,
          correlationId: 'c-p',
        }).outcome;
      } catch (err) {
        if (err instanceof PromotionError) return err.code;
        throw err;
      }
    }),
  );
  assert.is(results.filter((r) => r === 'applied').length, 1, JSON.stringify(results));
  assert.ok(
    results.every((r) => ['applied', 'duplicate', 'SIM_ALREADY_PROMOTED', 'SIM_IDEMPOTENCY_CONFLICT'].includes(r)),
    JSON.stringify(results),
  );
  const promoted = a.store
    .tables('test')
    .prepare(
      "SELECT variant_key FROM deal_flight_scenario_variant WHERE scenario_run_id = 'run-p' AND selected_for_promotion = 1",
    )
    .all();
  assert.is(promoted.length, 1);
  const quote = a.repo.quote('Q-1001')!;
  assert.is(quote.version, 2, 'the quote changed once');
  const winner = (promoted[0] as { variant_key: string }).variant_key;
  assert.equal(quote.discountBps === 1000 || quote.termMonths === 24, true);
  assert.is(winner === 'v1' ? quote.discountBps : quote.termMonths, winner === 'v1' ? 1000 : 24);
  assert.equal(a.store.tables('test').prepare("SELECT status FROM deal_flight_scenario_run WHERE id = 'run-p'").get(), {
    status: 'promoted',
  });

  // A rejected variant cannot be promoted, and the unique index holds even against a writer that skips every check.
  const rejected = await simulate(
    a.repo,
    a.repo.catalogue()!,
    { runId: 'run-r', correlationId: 'c-r', text: 'simulate Q-1003 remove plan-starter | term=24' },
    noClock,
  );
  assert.ok(rejected.ok);
  const rejectedKey = rejected.variants.find((v) => v.violations.length > 0)!.key;
  assert.throws(
    () => a.repo.promote({ runId: 'run-r', variantKey: rejectedKey, idempotencyKey: 'k-r', correlationId: 'c-r' }),
    /SIM_VARIANT_REJECTED/,
  );
  assert.throws(
    () =>
      a.store
        .tables('test')
        .prepare("UPDATE deal_flight_scenario_variant SET selected_for_promotion = 1 WHERE scenario_run_id = 'run-p'")
        .run(),
    /UNIQUE constraint failed/,
  );
  a.store.close();
  b.store.close();
});

test.run();
