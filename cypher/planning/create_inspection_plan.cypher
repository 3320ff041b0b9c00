// Store an inspection plan linked to its ranking run. Parameters: plan_id, run_id,
// created_at (ISO date-time), plan_date (ISO date), seed, capacity, region (or ''),
// parameters (JSON text), digest, summary (JSON text).
MATCH (run:RankingRun {run_id: $run_id})
CREATE (plan:InspectionPlan {
  plan_id: $plan_id, run_id: $run_id, created_at: datetime($created_at),
  plan_date: date($plan_date), seed: $seed, capacity: $capacity, region: $region,
  parameters: $parameters, digest: $digest, summary: $summary
})-[:FROM_RUN]->(run)
RETURN plan.plan_id AS plan_id
