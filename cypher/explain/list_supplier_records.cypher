// Suppliers one or two tiers up from a company (supplies in force at an as-of date) with
// their negative records issued by then (models/explain.py).
// Parameters: $uscc (string), $as_of (ISO date string), $limit (int). Never null.
MATCH path = (s:Company)-[:SUPPLIES*1..2]->(c:Company {uscc: $uscc})
WHERE all(r IN relationships(path)
          WHERE coalesce(r.since, date('1900-01-01')) <= date($as_of)
            AND coalesce(r.until, date('9999-12-31')) > date($as_of))
MATCH (s)-[:HAS_RECORD]->(rec:CreditRecord)
WHERE coalesce(rec.overturned, false) = false
  AND rec.issued_on <= date($as_of) AND rec.polarity = 'negative'
RETURN length(path) AS tier, [n IN nodes(path) | n.uscc] AS chain, s.uscc AS other_uscc,
       s.name AS other_name, head(relationships(path)).annual_value AS annual_value,
       rec.record_id AS record_id, rec.kind AS kind, toString(rec.issued_on) AS issued_on,
       rec.severity AS severity
ORDER BY tier, rec.issued_on DESC
LIMIT $limit
