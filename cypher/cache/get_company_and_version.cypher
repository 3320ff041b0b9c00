// One company by USCC and the graph's latest write, in one read: the API's explanations key
// the report cache (app/cache.py) on the version without a read of their own
// (app/graphql/risk/explain_cache.py). The version columns are those of
// cache/get_graph_version. Parameters: $uscc (string, never null). Returns one row; `company`
// is null when no firm has that USCC, else the columns of explain/get_company.
OPTIONAL MATCH (c:Company {uscc: $uscc})
WITH c LIMIT 1
OPTIONAL MATCH (h:AuditLog {log_id: 'main'})
OPTIONAL MATCH (b:LoadBatch)
WITH c, h, count(b) AS batches, max(b.started_at) AS started, max(b.completed_at) AS completed
RETURN coalesce(h.seq, 0) AS audit_seq, batches, toString(started) AS load_started,
       toString(completed) AS load_completed,
       CASE WHEN c IS NULL THEN null ELSE {
         uscc: c.uscc, name: c.name, status: c.status, region_code: c.region_code,
         industry_code: c.industry_code, founded_on: toString(c.founded_on),
         dissolved_on: toString(c.dissolved_on)} END AS company
