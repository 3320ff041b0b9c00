// One batch of a run's assessments. Parameters: run_id, rows (list of maps: uscc, risk,
// serious_risk, tier, rank, reasons (JSON text)).
MATCH (run:RankingRun {run_id: $run_id})
UNWIND $rows AS row
MATCH (c:Company {uscc: row.uscc})
CREATE (c)-[:HAS_ASSESSMENT]->(a:RiskAssessment {
  run_id: $run_id, uscc: row.uscc, risk: row.risk, serious_risk: row.serious_risk,
  tier: row.tier, rank: row.rank, reasons: row.reasons
})-[:IN_RUN]->(run)
RETURN count(a) AS written
