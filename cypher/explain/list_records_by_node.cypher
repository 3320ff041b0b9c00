// Credit records by internal node id, with their subject (company or person), for the evidence
// of what a feature counted (models/counted.py, models/explain.py).
// Parameters: $nodes (list of node ids, never null). Dates come back as ISO strings.
MATCH (s)-[:HAS_RECORD]->(r:CreditRecord)
WHERE id(r) IN $nodes
RETURN id(r) AS node, r.record_id AS record_id, r.kind AS kind, r.category AS category,
       toString(r.issued_on) AS issued_on, toString(r.removed_on) AS removed_on,
       r.severity AS severity, r.amount AS amount, r.outcome AS outcome, r.stream AS stream,
       r.agency AS agency, s.uscc AS uscc, s.name AS subject_name, s.person_id AS person_id
