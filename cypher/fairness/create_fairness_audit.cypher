// Store a fairness audit with its run. Parameters: audit_id, run_id, created_at (ISO
// date-time), flag_count, outcome_window, retrospective, result (JSON text), markdown.
MATCH (run:RankingRun {run_id: $run_id})
CREATE (a:FairnessAudit {
  audit_id: $audit_id, run_id: $run_id, created_at: datetime($created_at),
  flag_count: $flag_count, outcome_window: $outcome_window, retrospective: $retrospective,
  result: $result, markdown: $markdown
})-[:AUDITS]->(run)
RETURN a.audit_id AS audit_id
