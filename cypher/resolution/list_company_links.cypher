// A firm's link history: every SAME_AS, active or retired, oldest first. Parameters: $record_id.
MATCH (:Company {uscc: $record_id})-[r:SAME_AS]->(e:ResolvedEntity)
RETURN e.entity_id AS entity_id, r.active AS active, r.method AS method, r.actor AS actor,
       r.weight AS weight, r.probability AS probability, toString(r.since) AS since,
       toString(r.until) AS until, r.decision_id AS decision_id, r.ended_by AS ended_by
ORDER BY r.since, r.decision_id
