// Each company's risk assessment from the most recent ranking run that assessed it (by the
// run's created_at; run_id breaks ties). Returns nothing while no ranking run exists.
// Parameters: $usccs (list of strings). At most one row per company.
UNWIND $usccs AS u
MATCH (:Company {uscc: u})-[:HAS_ASSESSMENT]->(a:RiskAssessment)
OPTIONAL MATCH (run:RankingRun {run_id: a.run_id})
WITH u, a, run ORDER BY run.created_at DESC, a.run_id DESC
WITH u, head(collect(a)) AS a
RETURN u AS uscc, a.run_id AS run_id, a.risk AS risk, a.tier AS tier, a.rank AS rank
