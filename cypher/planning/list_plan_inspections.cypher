// A plan's inspections in plan order. Parameters: plan_id.
MATCH (pi:PlannedInspection {plan_id: $plan_id})-[:TARGETS]->(c:Company)
RETURN pi.order AS order, pi.uscc AS uscc, c.name AS name, c.region_code AS region_code,
       pi.stream AS stream, pi.tier AS tier, pi.risk AS risk, pi.rank AS rank,
       pi.inspector_ids AS inspector_ids, pi.status AS status, pi.note AS note,
       pi.outcome AS outcome, pi.record_id AS record_id
ORDER BY pi.order
