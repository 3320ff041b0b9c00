// Mark a firm's assessment in a run overturned by an objection (planners must not use it).
// Parameters: run_id, uscc, objection_id, at.
MATCH (a:RiskAssessment {run_id: $run_id, uscc: $uscc})
SET a.overturned = true, a.overturned_at = datetime($at), a.overturned_by = $objection_id
RETURN a.tier AS tier, a.rank AS rank
