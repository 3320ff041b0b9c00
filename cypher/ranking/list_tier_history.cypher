// A firm's assessments across complete runs, newest first. Parameters: uscc.
MATCH (c:Company {uscc: $uscc})-[:HAS_ASSESSMENT]->(a:RiskAssessment)-[:IN_RUN]->(run:RankingRun)
WHERE run.status = 'complete'
RETURN run.run_id AS run_id, toString(run.created_at) AS created_at,
       toString(run.as_of) AS as_of, run.model_version AS model_version, a.risk AS risk,
       a.tier AS tier, a.rank AS rank, run.firms AS firms, a.reasons AS reasons
ORDER BY run.created_at DESC
