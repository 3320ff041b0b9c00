// Other companies registered at the same address or sharing a contact point with a company
// (in force at an as-of date) (models/explain.py).
// Parameters: $uscc (string), $as_of (ISO date string), $limit (int). Never null.
MATCH (c:Company {uscc: $uscc})-[r1:REGISTERED_AT|HAS_CONTACT]->(x)<-[r2:REGISTERED_AT|HAS_CONTACT]-(o:Company)
WHERE o <> c
  AND coalesce(r1.since, date('1900-01-01')) <= date($as_of)
  AND coalesce(r1.until, date('9999-12-31')) > date($as_of)
  AND coalesce(r2.since, date('1900-01-01')) <= date($as_of)
  AND coalesce(r2.until, date('9999-12-31')) > date($as_of)
RETURN type(r1) AS link, coalesce(x.text, x.value) AS shared, o.uscc AS other_uscc,
       o.name AS other_name
ORDER BY link, other_uscc
LIMIT $limit
