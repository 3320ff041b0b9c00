// The entity a person is linked to now, with its members and each member's link.
MATCH (:Person {person_id: $person_id})-[:SAME_AS {active: true}]->(e:ResolvedEntity)
MATCH (m:Person)-[r:SAME_AS {active: true}]->(e)
RETURN e.entity_id AS entity_id, m.person_id AS person_id, m.name AS name,
       r.method AS method, r.weight AS weight, r.probability AS probability, r.actor AS actor,
       toString(r.since) AS since, r.decision_id AS decision_id, r.evidence AS evidence
ORDER BY person_id
