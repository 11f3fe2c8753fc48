// The runbook's two dashboard snapshots (seeds/004, "Suggested SQL Snapshots"), written for
// SQLite: `NOW() - INTERVAL '15 minutes'` becomes `datetime('now', '-15 minutes')`, and the failed
// runs are status 'error' (the API's statuses are ready|pending|error|canceled; the runbook's
// 'fail' matches none of them). actors/rebalance/README.md prints them as they are here.
export const REBALANCE_QUERIES = {
  timeouts: `SELECT
  policy_version,
  COUNT(*) AS total_runs,
  COUNT(*) FILTER (WHERE status = 'error') AS failed_runs
FROM policy_runs
WHERE created_at >= datetime('now', '-15 minutes')
GROUP BY policy_version
ORDER BY policy_version;`,
  noOps: `SELECT
  r.policy_version,
  COUNT(*) AS runs,
  COUNT(*) FILTER (WHERE r.no_op) AS no_op_runs,
  COALESCE(AVG(m.move_count), 0) AS avg_move_count
FROM policy_runs r
LEFT JOIN (
  SELECT run_id, COUNT(*) AS move_count
  FROM policy_moves
  GROUP BY run_id
) m ON m.run_id = r.run_id
WHERE r.created_at >= datetime('now', '-15 minutes')
GROUP BY r.policy_version
ORDER BY r.policy_version;`,
};
