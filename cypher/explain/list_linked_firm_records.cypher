// Firms sharing a current legal representative, director or controller with a company, and
// their negative records issued on or before an as-of date (models/explain.py).
// Parameters: $uscc (string), $as_of (ISO date string), $kinds (list of record kinds, never
// null), $limit (int). One row per (person, role pair, other firm, negative record).
MATCH (c:Company {uscc: $uscc})<-[r1:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|ACTUAL_CONTROLLER_OF]-(p:Person)
      -[r2:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|ACTUAL_CONTROLLER_OF]->(o:Company)
WHERE o <> c
  AND coalesce(r1.since, date('1900-01-01')) <= date($as_of)
  AND coalesce(r1.until, date('9999-12-31')) > date($as_of)
  AND coalesce(r2.since, date('1900-01-01')) <= date($as_of)
  AND coalesce(r2.until, date('9999-12-31')) > date($as_of)
MATCH (o)-[:HAS_RECORD]->(rec:CreditRecord)
WHERE coalesce(rec.overturned, false) = false
  AND rec.issued_on <= date($as_of) AND rec.kind IN $kinds AND rec.polarity = 'negative'
RETURN p.person_id AS person_id, p.name AS person_name, type(r1) AS role_here,
       type(r2) AS role_there, toString(r2.since) AS since, o.uscc AS other_uscc,
       o.name AS other_name, rec.record_id AS record_id, rec.kind AS kind,
       toString(rec.issued_on) AS issued_on, toString(rec.removed_on) AS removed_on,
       rec.severity AS severity
ORDER BY rec.issued_on DESC
LIMIT $limit
