// Append a batch of query audit entries (one per GraphQL operation of a non-public caller).
UNWIND $entries AS e
CREATE (:QueryLog {log_id: e.log_id, key_id: e.key_id, role: e.role, at: e.at,
                   operation: e.operation, operation_type: e.operation_type,
                   root_fields: e.root_fields, variables_sha256: e.variables_sha256,
                   duration_ms: e.duration_ms, status: e.status, outcome: e.outcome,
                   error_codes: e.error_codes})
