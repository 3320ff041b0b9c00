// How many firms of a ranking run list_run_targets.cypher lists over all its pages.
// Parameters: run_id, tiers (list; empty = all). One row: total.
MATCH (a:RiskAssessment {run_id: $run_id})
WHERE size($tiers) = 0 OR a.tier IN $tiers
RETURN count(a) AS total
