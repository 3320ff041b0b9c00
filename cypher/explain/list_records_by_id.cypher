// Credit records by record_id (their key), with their subject (company or person), for the
// evidence of what a feature counted (models/counted.py, models/explain.py).
// Parameters: $record_ids (list of strings, never null). Dates come back as ISO strings.
MATCH (s)-[:HAS_RECORD]->(r:CreditRecord)
WHERE r.record_id IN $record_ids
RETURN r.record_id AS record_id, r.kind AS kind, r.category AS category,
       toString(r.issued_on) AS issued_on, toString(r.removed_on) AS removed_on,
       r.severity AS severity, r.amount AS amount, r.outcome AS outcome, r.stream AS stream,
       r.agency AS agency, s.uscc AS uscc, s.name AS subject_name, s.person_id AS person_id
