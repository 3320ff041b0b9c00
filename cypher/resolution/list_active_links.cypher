// Every active link: person, entity, how it was made.
MATCH (p:Person)-[r:SAME_AS {active: true}]->(e:ResolvedEntity)
RETURN p.person_id AS person_id, e.entity_id AS entity_id, r.method AS method
ORDER BY person_id
