// Credit records by id that the caller may see, for node(id:) (app/graphql/queries/node.py).
// Parameters: $record_ids (list of strings), $disclosures (list), $agencies (list). Never null.
// One row per visible record found; a hidden record answers as an unknown one (no row).
UNWIND $record_ids AS rid
MATCH (r:CreditRecord {record_id: rid})
WHERE (r.disclosure IN $disclosures OR (r.disclosure = 'restricted' AND r.agency IN $agencies))
RETURN r.record_id AS record_id, r.category AS category, r.kind AS kind,
       r.agency AS agency, toString(r.issued_on) AS issued_on,
       toString(r.removed_on) AS removed_on, r.polarity AS polarity, r.severity AS severity,
       r.amount AS amount, r.disclosure AS disclosure, r.stream AS stream,
       r.inspector_id AS inspector_id, r.outcome AS outcome,
       coalesce(r.overturned, false) AS overturned
