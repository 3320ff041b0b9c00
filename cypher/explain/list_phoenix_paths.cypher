// Key persons of a company who held a role in a firm dissolved by an as-of date after a
// blacklisting (a possible phoenix) (models/explain.py). People are read through the entity
// resolution (active SAME_AS links, whatever the day of the decision), as the phoenix_signal
// feature reads them: person_id is the record
// holding the role there, which may be another record (SAME_AS) of the one holding it here.
// Parameters: $uscc (string), $as_of (ISO date string), $limit (int). Never null.
MATCH (c:Company {uscc: $uscc})<-[r1:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]-(h:Person)
WHERE coalesce(r1.since, date('1900-01-01')) <= date($as_of)
  AND coalesce(r1.until, date('9999-12-31')) > date($as_of)
CALL (h) {
  RETURN h AS p
  UNION
  MATCH (h)-[:SAME_AS {active: true}]->(:ResolvedEntity)<-[:SAME_AS {active: true}]-(p:Person)
  WHERE p <> h
  RETURN p
}
MATCH (p)-[r2:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]->(o:Company)
WHERE o <> c AND o.dissolved_on <= date($as_of)
MATCH (o)-[:HAS_RECORD]->(rec:CreditRecord)
WHERE coalesce(rec.overturned, false) = false
  AND rec.kind IN ['serious_dishonest_enterprise_list', 'procurement_ban']
  AND rec.issued_on <= o.dissolved_on
RETURN p.person_id AS person_id, p.name AS person_name, type(r1) AS role_here,
       type(r2) AS role_there, o.uscc AS other_uscc, o.name AS other_name,
       toString(o.dissolved_on) AS dissolved_on, rec.record_id AS record_id, rec.kind AS kind,
       toString(rec.issued_on) AS issued_on
LIMIT $limit
