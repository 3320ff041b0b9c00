// Credit records of companies the caller may see, newest first (app/graphql/loaders.py).
// Parameters: $usccs (list of strings), $disclosures (list), $agencies (list). Never null.
UNWIND $usccs AS u
MATCH (:Company {uscc: u})-[:HAS_RECORD]->(r:CreditRecord)
WHERE (r.disclosure IN $disclosures OR (r.disclosure = 'restricted' AND r.agency IN $agencies))
RETURN u AS subject, r.record_id AS record_id, r.category AS category, r.kind AS kind,
       r.agency AS agency, toString(r.issued_on) AS issued_on,
       toString(r.removed_on) AS removed_on, r.polarity AS polarity, r.severity AS severity,
       r.amount AS amount, r.disclosure AS disclosure, r.stream AS stream,
       r.inspector_id AS inspector_id, r.outcome AS outcome,
       coalesce(r.overturned, false) AS overturned
ORDER BY subject, r.issued_on DESC, r.record_id
