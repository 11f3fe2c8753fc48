// The runbook's operational queries (seeds/000, "Operational Queries (SQLite)"), verbatim, for the
// tests that run them against a store.
export const RUNBOOK_QUERIES = {
  outcomes: `SELECT status, COUNT(*) AS count
FROM deal_flight_scenario_run
WHERE created_at > datetime('now', '-1 day')
GROUP BY status;`,
  approvals: `SELECT
  r.quote_id,
  v.variant_key,
  v.rank_order,
  v.policy_result_json
FROM deal_flight_scenario_variant v
JOIN deal_flight_scenario_run r ON r.id = v.scenario_run_id
WHERE v.policy_result_json LIKE '%approval_required%'
ORDER BY r.created_at DESC, v.rank_order ASC;`,
  promotions: `SELECT
  r.quote_id,
  COUNT(CASE WHEN v.selected_for_promotion = 1 THEN 1 END) AS promoted_variants,
  COUNT(*) AS total_variants
FROM deal_flight_scenario_variant v
JOIN deal_flight_scenario_run r ON r.id = v.scenario_run_id
GROUP BY r.quote_id
ORDER BY promoted_variants DESC;`,
  audit: `SELECT event_type, COUNT(*) AS count
FROM deal_flight_scenario_audit
WHERE occurred_at > datetime('now', '-1 day')
GROUP BY event_type
ORDER BY count DESC;`,
};
