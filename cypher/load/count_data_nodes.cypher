// Nodes other than the schema-migration ledger (graph/bulk_load.py: is the database empty?).
// Parameters: none. Returns nodes (integer, from the count store).
CALL () { MATCH (n) RETURN count(n) AS every }
CALL () { MATCH (m:SchemaMigration) RETURN count(m) AS ledger }
RETURN every - ledger AS nodes
