// Each company's risk assessment in the most recent complete ranking run that assessed it
// (app/graphql/loaders.py). Returns nothing while no ranking run exists.
// Parameters: $usccs (list of strings, never null). At most one row per company.
UNWIND $usccs AS u
MATCH (:Company {uscc: u})-[:HAS_ASSESSMENT]->(a:RiskAssessment)-[:IN_RUN]->(run:RankingRun)
WHERE coalesce(run.status, 'complete') = 'complete'
WITH u, a, run ORDER BY run.created_at DESC
WITH u, head(collect({a: a, run: run})) AS latest
WITH u, latest.a AS a, latest.run AS run
RETURN u AS uscc, a.run_id AS run_id, a.risk AS risk, a.serious_risk AS serious_risk,
       a.tier AS tier, a.rank AS rank, a.reasons AS reasons,
       toString(run.created_at) AS created_at, toString(run.as_of) AS as_of,
       run.model_version AS model_version, run.digest AS digest, run.status AS status,
       run.firms AS firms
