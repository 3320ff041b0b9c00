// Record the outcome of a planned inspection as an inspection credit record (the next training
// reads it). Parameters: plan_id, uscc, inspector_id, record (map of CreditRecord properties;
// issued_on as ISO date), label (the record's category label).
MATCH (pi:PlannedInspection {plan_id: $plan_id, uscc: $uscc})-[:TARGETS]->(c:Company)
MATCH (i:Inspector {inspector_id: $inspector_id})
CREATE (r:CreditRecord)
SET r = $record, r.issued_on = date($record.issued_on), r.recorded_at = datetime()
SET r:$($label)
CREATE (c)-[:HAS_RECORD]->(r)
CREATE (r)-[:INSPECTED_BY]->(i)
CREATE (pi)-[:RESULTED_IN]->(r)
SET pi.status = 'done', pi.record_id = r.record_id, pi.outcome = r.outcome
RETURN r.record_id AS record_id
