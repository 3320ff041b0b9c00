// Delete every node and relationship except the schema-migration ledger, in batches.
// Runs as an auto-commit transaction (CALL ... IN TRANSACTIONS). Parameters: none.
MATCH (n) WHERE NOT n:SchemaMigration
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
