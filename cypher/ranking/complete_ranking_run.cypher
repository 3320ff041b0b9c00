// Mark a run complete once every assessment is written. Parameters: run_id, firms (expected).
MATCH (run:RankingRun {run_id: $run_id})
OPTIONAL MATCH (a:RiskAssessment)-[:IN_RUN]->(run)
WITH run, count(a) AS written
SET run.status = CASE WHEN written = $firms THEN 'complete' ELSE 'incomplete' END,
    run.completed_at = datetime()
RETURN run.status AS status, written
