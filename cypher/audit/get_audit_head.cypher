// The newest audit event (to anchor it outside the database, graph/audit_anchor.py).
// Parameters: none.
MATCH (e:AuditEvent)
RETURN e.seq AS seq, toString(e.at) AS at, e.actor AS actor, e.action AS action,
       e.subject_type AS subject_type, e.subject_id AS subject_id, e.reason AS reason,
       e.before AS before, e.after AS after, e.prev_hash AS prev_hash, e.hash AS hash
ORDER BY e.seq DESC
LIMIT 1
