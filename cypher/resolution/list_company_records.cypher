// Every Company as a firm resolution record (models/resolution/firms.py): key, name, first
// registered address, key persons (legal representative, directors, supervisors, controller),
// each as its resolved person entity when person resolution linked it (so two sources' records
// of one person count as one person in common), else its person_id; the USCC is the key when
// the key is one, else the USCC the source reported (uscc_reported).
// Parameters: none.
MATCH (c:Company)
OPTIONAL MATCH (c)-[:REGISTERED_AT]->(a:Address)
WITH c, min(a.text) AS address
OPTIONAL MATCH (c)<-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]-(p:Person)
OPTIONAL MATCH (p)-[:SAME_AS {active: true}]->(e:ResolvedEntity {kind: 'person'})
RETURN c.uscc AS record_id, c.name AS name,
       CASE WHEN c.uscc =~ '[0-9A-Z]{18}' THEN c.uscc ELSE c.uscc_reported END AS uscc, address,
       collect(DISTINCT coalesce(e.entity_id, p.person_id)) AS people
ORDER BY record_id
