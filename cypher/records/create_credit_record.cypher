// Add one credit record to a company (an agency publishing through the API). Parameters:
// uscc, record (map of CreditRecord properties; dates as ISO text), label (category label).
MATCH (c:Company {uscc: $uscc})
CREATE (r:CreditRecord)
SET r = $record, r.issued_on = date($record.issued_on),
    r.removed_on = CASE WHEN $record.removed_on IS NULL THEN null ELSE date($record.removed_on) END,
    r.recorded_at = datetime()
SET r:$($label)
CREATE (c)-[:HAS_RECORD]->(r)
RETURN r.record_id AS record_id
