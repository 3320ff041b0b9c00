// Every API key (never a secret: the hash is not returned), oldest first.
MATCH (k:ApiKey)
WHERE $include_revoked OR k.revoked_at IS NULL
RETURN k.key_id AS key_id, k.name AS name, k.role AS role, k.agencies AS agencies,
       k.created_at AS created_at, k.revoked_at AS revoked_at
ORDER BY k.created_at, k.key_id
