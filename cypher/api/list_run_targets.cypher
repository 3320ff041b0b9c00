// Inspection targets of a ranking run in rank order, optionally of some tiers, after a rank
// cursor. Parameters: run_id, tiers (list; empty = all), after_rank, first; before_rank (int;
// 0 = no bound), backward (bool: highest ranks first, for `last`).
MATCH (a:RiskAssessment {run_id: $run_id})<-[:HAS_ASSESSMENT]-(c:Company)
WHERE a.rank > $after_rank AND ($before_rank = 0 OR a.rank < $before_rank)
  AND (size($tiers) = 0 OR a.tier IN $tiers)
RETURN a.uscc AS uscc, c.name AS name, c.region_code AS region_code, a.risk AS risk,
       a.serious_risk AS serious_risk, a.tier AS tier, a.rank AS rank, a.reasons AS reasons,
       coalesce(a.overturned, false) AS overturned
ORDER BY CASE WHEN $backward THEN -a.rank ELSE a.rank END
LIMIT $first
