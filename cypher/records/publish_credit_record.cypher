// Make a credit record public (an inspection result once published). Parameters: record_id.
MATCH (r:CreditRecord {record_id: $record_id})
WITH r, r.disclosure AS before
SET r.disclosure = 'public', r.published_at = datetime()
RETURN r.record_id AS record_id, before
