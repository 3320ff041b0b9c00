// The credit records an explanation cites, drawn with the firm or person each belongs to
// (the Browser view of a reason's evidence, models/explain.py).
// Parameters: $record_ids (list of record ids, never null).
MATCH shown = (s)-[:HAS_RECORD]->(r:CreditRecord)
WHERE r.record_id IN $record_ids
RETURN shown
LIMIT 100
