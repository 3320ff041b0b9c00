// Take the audit log's write lock and its next sequence number (graph/store/audit.py).
// The lock serialises appends, so events form one hash chain in commit order.
MERGE (h:AuditLog {log_id: 'main'})
  ON CREATE SET h.seq = 0, h.head_hash = ''
SET h.locked = true
WITH h
SET h.seq = h.seq + 1
REMOVE h.locked
RETURN h.seq AS seq, h.head_hash AS prev_hash
