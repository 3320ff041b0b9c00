// A firm's assessment in one run. Parameters: run_id, uscc.
MATCH (a:RiskAssessment {run_id: $run_id, uscc: $uscc})
RETURN a.risk AS risk, a.tier AS tier, a.rank AS rank
