// Record an applied schema migration.
// Parameters: $id (string, the file name without .cypher), $checksum (sha256 hex string).
MERGE (m:SchemaMigration {id: $id})
ON CREATE SET m.checksum = $checksum, m.applied_at = datetime()
RETURN m.checksum AS checksum
