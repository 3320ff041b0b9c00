// One plan's metadata. Parameters: plan_id.
MATCH (plan:InspectionPlan {plan_id: $plan_id})
RETURN plan.plan_id AS plan_id, plan.run_id AS run_id, toString(plan.created_at) AS created_at,
       toString(plan.plan_date) AS plan_date, plan.seed AS seed, plan.capacity AS capacity,
       plan.region AS region, plan.parameters AS parameters, plan.digest AS digest,
       plan.summary AS summary
