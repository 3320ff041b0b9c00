// The credit records of one company issued on or before an as-of date (models/explain.py).
// Parameters: $uscc (string), $as_of (ISO date string), $kinds (list of record kinds, possibly
// empty = every kind; never null). Dates come back as ISO strings.
MATCH (c:Company {uscc: $uscc})-[:HAS_RECORD]->(r:CreditRecord)
WHERE coalesce(r.overturned, false) = false
  AND r.issued_on <= date($as_of) AND (size($kinds) = 0 OR r.kind IN $kinds)
RETURN r.record_id AS record_id, r.kind AS kind, r.category AS category,
       toString(r.issued_on) AS issued_on, toString(r.removed_on) AS removed_on,
       r.severity AS severity, r.amount AS amount, r.outcome AS outcome, r.stream AS stream,
       r.agency AS agency, r.polarity AS polarity, r.disclosure AS disclosure
ORDER BY r.issued_on DESC, r.record_id
