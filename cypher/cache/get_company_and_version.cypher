// One company by USCC and the graph's latest write, in one read: the API's explanations key
// the report cache (app/cache.py) on the version without a read of their own
// (app/graphql/risk/explain_cache.py). The version columns are those of
// cache/get_graph_version. Parameters: $uscc (string, never null). Returns one row; `company`
// is null when no firm has that USCC, else the columns of explain/get_company plus the firm's
// entity and its members (as api/list_company_link_members gives them; graph/store/
// firm_groups.py), so the explanation reads the firm's keys without a round trip of its own.
OPTIONAL MATCH (c:Company {uscc: $uscc})
WITH c LIMIT 1
OPTIONAL MATCH (c)-[:SAME_AS {active: true}]->(e:ResolvedEntity {kind: 'company'})
               <-[:SAME_AS {active: true}]-(m:Company)
WITH c, min(e.entity_id) AS entity, collect(DISTINCT m.uscc) AS members
OPTIONAL MATCH (h:AuditLog {log_id: 'main'})
OPTIONAL MATCH (b:LoadBatch)
WITH c, entity, members, h, count(b) AS batches, max(b.started_at) AS started,
     max(b.completed_at) AS completed
RETURN coalesce(h.seq, 0) AS audit_seq, batches, toString(started) AS load_started,
       toString(completed) AS load_completed,
       CASE WHEN c IS NULL THEN null ELSE {
         uscc: c.uscc, name: c.name, status: c.status, region_code: c.region_code,
         industry_code: c.industry_code, founded_on: toString(c.founded_on),
         dissolved_on: toString(c.dissolved_on), entity: entity, members: members}
       END AS company
