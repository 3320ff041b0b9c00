// The entity a firm record is linked to now, with its members and each member's link, as
// get_entity_of does for people. Parameters: $record_id (a firm key).
MATCH (:Company {uscc: $record_id})-[:SAME_AS {active: true}]->(e:ResolvedEntity)
MATCH (m:Company)-[r:SAME_AS {active: true}]->(e)
RETURN e.entity_id AS entity_id, m.uscc AS record_id, m.name AS name,
       r.method AS method, r.weight AS weight, r.probability AS probability, r.actor AS actor,
       toString(r.since) AS since, r.decision_id AS decision_id, r.evidence AS evidence
ORDER BY record_id
