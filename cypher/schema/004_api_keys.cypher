// API keys (stored hashed) and the query audit log of the GraphQL API (app/security).
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.key_id IS UNIQUE;
CREATE CONSTRAINT query_log_id IF NOT EXISTS FOR (n:QueryLog) REQUIRE n.log_id IS UNIQUE;
CREATE INDEX query_log_key IF NOT EXISTS FOR (n:QueryLog) ON (n.key_id);
CREATE INDEX query_log_at IF NOT EXISTS FOR (n:QueryLog) ON (n.at);
