// One batch of a plan's inspections. Parameters: plan_id, rows (maps: order, uscc, stream,
// tier, risk, rank, inspector_ids (list), status ('planned' | 'unassigned'), note).
MATCH (plan:InspectionPlan {plan_id: $plan_id})
UNWIND $rows AS row
MATCH (c:Company {uscc: row.uscc})
CREATE (pi:PlannedInspection {
  plan_id: $plan_id, order: row.order, uscc: row.uscc, stream: row.stream, tier: row.tier,
  risk: row.risk, rank: row.rank, inspector_ids: row.inspector_ids, status: row.status,
  note: row.note
})-[:IN_PLAN]->(plan)
CREATE (pi)-[:TARGETS]->(c)
WITH pi, row
UNWIND row.inspector_ids AS inspector_id
MATCH (i:Inspector {inspector_id: inspector_id})
CREATE (pi)-[:ASSIGNED_TO]->(i)
RETURN count(*) AS assignments
