// Key persons of a company (legal representative, directors, supervisors, controller) in role
// at an as-of date, with their own list records issued by then (models/explain.py).
// People are read through the entity resolution: the records of another record of the same
// person (active SAME_AS links to one ResolvedEntity) count; person_id is the record in role.
// The firm is read through the firm links: $firms are its keys (its registry key and its
// copies, graph/store/firm_groups.py), so a key person of a copy is the firm's.
// Parameters: $firms (list of the firm's keys), $as_of (ISO date string). Never null.
MATCH (p:Person)-[role:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]->(c:Company)
WHERE c.uscc IN $firms
  AND coalesce(role.since, date('1900-01-01')) <= date($as_of)
  AND coalesce(role.until, date('9999-12-31')) > date($as_of)
CALL (p) {
  RETURN p AS s
  UNION
  MATCH (p)-[:SAME_AS {active: true}]->(:ResolvedEntity)<-[:SAME_AS {active: true}]-(s:Person)
  WHERE s <> p
  RETURN s
}
MATCH (s)-[:HAS_RECORD]->(r:CreditRecord)
WHERE coalesce(r.overturned, false) = false
  AND r.issued_on <= date($as_of)
WITH DISTINCT p, role, r
RETURN p.person_id AS person_id, p.name AS person_name, type(role) AS role,
       r.record_id AS record_id, r.kind AS kind, toString(r.issued_on) AS issued_on,
       toString(r.removed_on) AS removed_on, r.severity AS severity, r.amount AS amount,
       r.agency AS agency
ORDER BY r.issued_on DESC
