// The ledger of applied migrations: one :SchemaMigration node per file, keyed by id.
CREATE CONSTRAINT schema_migration_id IF NOT EXISTS FOR (n:SchemaMigration) REQUIRE n.id IS UNIQUE;
