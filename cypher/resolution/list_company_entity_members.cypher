// The firms linked to an entity now. Parameters: $entity_id.
MATCH (m:Company)-[:SAME_AS {active: true}]->(:ResolvedEntity {entity_id: $entity_id})
RETURN m.uscc AS record_id
ORDER BY record_id
