// The inspection plans drawn from one ranking run, newest first (`make demo` draws one once).
// Parameters: $run_id (string, never null).
MATCH (plan:InspectionPlan {run_id: $run_id})
RETURN plan.plan_id AS plan_id, toString(plan.plan_date) AS plan_date
ORDER BY plan.created_at DESC
