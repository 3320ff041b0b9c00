// Audit events, oldest first, optionally for one subject and/or action.
// Parameters: subject_id (or null), action (or null), after_seq, limit.
MATCH (e:AuditEvent)
WHERE e.seq > $after_seq
  AND ($subject_id IS NULL OR e.subject_id = $subject_id)
  AND ($action IS NULL OR e.action = $action)
RETURN e.seq AS seq, toString(e.at) AS at, e.actor AS actor, e.action AS action,
       e.subject_type AS subject_type, e.subject_id AS subject_id, e.reason AS reason,
       e.before AS before, e.after AS after, e.prev_hash AS prev_hash, e.hash AS hash
ORDER BY e.seq
LIMIT $limit
