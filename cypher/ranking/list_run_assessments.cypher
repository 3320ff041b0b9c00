// Every assessment of a run in rank order, with the firm's region and ownership (planning and
// the fairness audit group by them). Parameters: run_id.
MATCH (a:RiskAssessment {run_id: $run_id})<-[:HAS_ASSESSMENT]-(c:Company)
RETURN a.uscc AS uscc, a.risk AS risk, a.serious_risk AS serious_risk, a.tier AS tier,
       a.rank AS rank, a.reasons AS reasons, c.name AS name, c.region_code AS region_code
ORDER BY a.rank
