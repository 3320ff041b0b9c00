// Key persons of the given companies, in role at $as_of with one of $roles, who are on a
// person list of the given kinds in force at $as_of (issued by then, not removed by then).
// People are read through the entity resolution: a listing on another record of the same
// person (active SAME_AS links to one ResolvedEntity) counts; person_id is the record in role.
// Parameters: $usccs, $roles, $kinds (lists of strings), $as_of (ISO date string). Never null.
// $usccs holds every key of the firms asked for (their copies too); the caller counts each row
// for its firm (graph/store/exposure.py, graph/firm_links.py).
UNWIND $usccs AS u
MATCH (p:Person)-[role:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]->(:Company {uscc: u})
WHERE type(role) IN $roles
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
WHERE r.kind IN $kinds
  AND r.issued_on <= date($as_of)
  AND (r.removed_on IS NULL OR r.removed_on > date($as_of))
RETURN u AS uscc, p.person_id AS person_id, p.name AS person_name, type(role) AS role,
       r.record_id AS record_id, r.kind AS kind, r.agency AS agency, r.disclosure AS disclosure,
       toString(r.issued_on) AS issued_on, toString(r.removed_on) AS removed_on
ORDER BY uscc, person_id, r.issued_on DESC, r.record_id
