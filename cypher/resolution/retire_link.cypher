// Split: retire a person's active link (kept, with until and ended_by); returns the entity and
// the members still linked to it.
MATCH (p:Person {person_id: $person_id})-[r:SAME_AS {active: true}]->(e:ResolvedEntity)
SET r.active = false, r.until = datetime($at), r.ended_by = $decision_id
WITH e
OPTIONAL MATCH (m:Person)-[:SAME_AS {active: true}]->(e)
RETURN e.entity_id AS entity_id, collect(m.person_id) AS remaining
