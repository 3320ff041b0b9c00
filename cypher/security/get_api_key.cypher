// One API key by its public id (with its hash, for verification).
MATCH (k:ApiKey {key_id: $key_id})
RETURN k.key_id AS key_id, k.name AS name, k.role AS role, k.agencies AS agencies,
       k.hash AS hash, k.created_at AS created_at, k.revoked_at AS revoked_at
