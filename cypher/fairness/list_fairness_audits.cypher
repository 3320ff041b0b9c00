// A run's fairness audits, newest first. Parameters: run_id.
MATCH (a:FairnessAudit)-[:AUDITS]->(:RankingRun {run_id: $run_id})
RETURN a.audit_id AS audit_id, toString(a.created_at) AS created_at,
       a.flag_count AS flag_count, a.outcome_window AS outcome_window,
       a.retrospective AS retrospective, a.result AS result, a.markdown AS markdown
ORDER BY a.created_at DESC
