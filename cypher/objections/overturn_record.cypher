// Mark a credit record overturned by an objection: kept, never deleted, but excluded from
// features and explanations from now on. Parameters: record_id, objection_id, at.
MATCH (r:CreditRecord {record_id: $record_id})
WITH r, {overturned: coalesce(r.overturned, false)} AS before
SET r.overturned = true, r.overturned_at = datetime($at), r.overturned_by = $objection_id
RETURN before
