// The credit records of one firm issued on or before an as-of date (models/explain.py). The firm
// is read through the firm links: $firms are its keys (its registry key and its copies, another
// source's records of it linked SAME_AS, graph/store/firm_groups.py), so a record published
// under a copy's key is the firm's, as in the folded snapshot; `uscc` is the key it is under.
// Parameters: $firms (list of the firm's keys), $as_of (ISO date string), $kinds (list of
// record kinds, possibly empty = every kind); never null. Dates come back as ISO strings.
MATCH (c:Company)-[:HAS_RECORD]->(r:CreditRecord)
WHERE c.uscc IN $firms AND coalesce(r.overturned, false) = false
  AND r.issued_on <= date($as_of) AND (size($kinds) = 0 OR r.kind IN $kinds)
RETURN r.record_id AS record_id, r.kind AS kind, r.category AS category,
       toString(r.issued_on) AS issued_on, toString(r.removed_on) AS removed_on,
       r.severity AS severity, r.amount AS amount, r.outcome AS outcome, r.stream AS stream,
       r.agency AS agency, r.polarity AS polarity, r.disclosure AS disclosure, c.uscc AS uscc
ORDER BY r.issued_on DESC, r.record_id
