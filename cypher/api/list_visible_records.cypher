// Which of the given credit records the caller may see (explanation evidence filter,
// app/graphql/queries/explanation.py).
// Parameters: $record_ids (list of strings), $disclosures (list), $agencies (list). Never null.
UNWIND $record_ids AS rid
MATCH (r:CreditRecord {record_id: rid})
WHERE (r.disclosure IN $disclosures OR (r.disclosure = 'restricted' AND r.agency IN $agencies))
RETURN r.record_id AS record_id
