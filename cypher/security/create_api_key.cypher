// Store a new API key; only the hash of its secret is kept.
CREATE (k:ApiKey {key_id: $key_id, name: $key_name, role: $role, agencies: $agencies, hash: $hash,
                  created_at: datetime()})
RETURN k.key_id AS key_id, k.name AS name, k.role AS role, k.agencies AS agencies,
       k.hash AS hash, k.created_at AS created_at, k.revoked_at AS revoked_at
