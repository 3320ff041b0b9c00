// Objections, newest first, optionally of one firm and/or in one state.
// Parameters: uscc (or null), state (or null), limit.
MATCH (o:Objection)
WHERE ($uscc IS NULL OR o.uscc = $uscc) AND ($state IS NULL OR o.state = $state)
RETURN o.objection_id AS objection_id, o.uscc AS uscc, o.subject AS subject,
       o.record_id AS record_id, o.run_id AS run_id, o.state AS state,
       toString(o.filed_at) AS filed_at, toString(o.updated_at) AS updated_at
ORDER BY o.filed_at DESC
LIMIT $limit
