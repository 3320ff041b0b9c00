// Append one audit event and move the log head to it. Parameters: the event's fields
// (before/after are JSON text), seq and prev_hash from advance_audit_log, hash.
MATCH (h:AuditLog {log_id: 'main'})
CREATE (e:AuditEvent {
  seq: $seq, at: datetime($at), actor: $actor, action: $action,
  subject_type: $subject_type, subject_id: $subject_id, reason: $reason,
  before: $before, after: $after, prev_hash: $prev_hash, hash: $hash
})
SET h.head_hash = $hash
RETURN e.seq AS seq
