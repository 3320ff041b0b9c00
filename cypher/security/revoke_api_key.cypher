// Revoke an API key (idempotent: the first revocation time is kept).
MATCH (k:ApiKey {key_id: $key_id})
SET k.revoked_at = coalesce(k.revoked_at, datetime())
RETURN k.key_id AS key_id, k.name AS name, k.role AS role, k.agencies AS agencies,
       k.created_at AS created_at, k.revoked_at AS revoked_at
