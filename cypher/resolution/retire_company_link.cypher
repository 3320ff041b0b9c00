// Split a firm out: retire its active link (kept, with until and ended_by); returns the entity
// and the firms still linked to it. Parameters: $record_id, $at, $decision_id.
MATCH (c:Company {uscc: $record_id})-[r:SAME_AS {active: true}]->(e:ResolvedEntity)
SET r.active = false, r.until = datetime($at), r.ended_by = $decision_id
WITH e
OPTIONAL MATCH (m:Company)-[:SAME_AS {active: true}]->(e)
RETURN e.entity_id AS entity_id, collect(m.uscc) AS remaining
