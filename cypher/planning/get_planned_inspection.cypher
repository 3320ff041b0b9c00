// A firm's planned inspection in a plan, with any recorded outcome. Parameters: plan_id, uscc.
MATCH (pi:PlannedInspection {plan_id: $plan_id, uscc: $uscc})
RETURN pi.order AS order, pi.stream AS stream, pi.tier AS tier, pi.status AS status,
       pi.inspector_ids AS inspector_ids, pi.record_id AS record_id
