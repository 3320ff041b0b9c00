// Parent, head office, subsidiaries and branches of a company (links in force at an as-of
// date) with their negative records issued by then (models/explain.py).
// Parameters: $uscc (string), $as_of (ISO date string), $limit (int). Never null.
MATCH (c:Company {uscc: $uscc})-[l:SUBSIDIARY_OF|BRANCH_OF]-(o:Company)
WHERE coalesce(l.since, date('1900-01-01')) <= date($as_of)
  AND coalesce(l.until, date('9999-12-31')) > date($as_of)
MATCH (o)-[:HAS_RECORD]->(rec:CreditRecord)
WHERE coalesce(rec.overturned, false) = false
  AND rec.issued_on <= date($as_of) AND rec.polarity = 'negative'
RETURN type(l) AS link, startNode(l) = c AS upward, o.uscc AS other_uscc,
       o.name AS other_name, rec.record_id AS record_id, rec.kind AS kind,
       toString(rec.issued_on) AS issued_on, rec.severity AS severity
ORDER BY rec.issued_on DESC
LIMIT $limit
