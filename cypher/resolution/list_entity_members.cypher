// The people linked to an entity now.
MATCH (m:Person)-[:SAME_AS {active: true}]->(:ResolvedEntity {entity_id: $entity_id})
RETURN m.person_id AS person_id
ORDER BY person_id
