// Credit repair: end an active listing early (the record stays, with its repair noted).
// Parameters: record_id, removed_on (ISO date), actor, reason.
MATCH (r:CreditRecord {record_id: $record_id})
WITH r, {removed_on: toString(r.removed_on), repaired: coalesce(r.repaired, false)} AS before
SET r.removed_on = date($removed_on), r.repaired = true, r.repaired_by = $actor,
    r.repair_reason = $reason, r.original_removed_on = coalesce(r.original_removed_on, before.removed_on)
RETURN before
