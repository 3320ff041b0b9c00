// Applied schema migrations. Parameters: none. Returns id, checksum, applied_at (one row each).
MATCH (m:SchemaMigration)
RETURN m.id AS id, m.checksum AS checksum, m.applied_at AS applied_at
ORDER BY m.id
