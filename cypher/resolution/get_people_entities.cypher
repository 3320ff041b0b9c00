// The given people that exist, each with its active entity (null when unlinked).
UNWIND $person_ids AS pid
MATCH (p:Person {person_id: pid})
OPTIONAL MATCH (p)-[:SAME_AS {active: true}]->(e:ResolvedEntity)
RETURN p.person_id AS person_id, e.entity_id AS entity_id
