// The graph's latest write, as the key of the report cache (app/cache.py): the audit log's
// sequence (every audited write advances it) and the newest load batch. Parameters: none.
OPTIONAL MATCH (h:AuditLog {log_id: 'main'})
OPTIONAL MATCH (b:LoadBatch)
WITH h, count(b) AS batches, max(b.started_at) AS started, max(b.completed_at) AS completed
RETURN coalesce(h.seq, 0) AS audit_seq, batches, toString(started) AS load_started,
       toString(completed) AS load_completed
