// The latest query audit entries, optionally of one key, newest first.
MATCH (q:QueryLog)
WHERE $key_id IS NULL OR q.key_id = $key_id
RETURN q.log_id AS log_id, q.key_id AS key_id, q.role AS role, q.at AS at,
       q.operation AS operation, q.operation_type AS operation_type,
       q.root_fields AS root_fields, q.variables_sha256 AS variables_sha256,
       q.duration_ms AS duration_ms, q.status AS status, q.outcome AS outcome,
       q.error_codes AS error_codes
ORDER BY q.at DESC
LIMIT $limit
