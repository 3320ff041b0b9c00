// Group structure: (child)-[:SUBSIDIARY_OF|BRANCH_OF]->(parent or head office) as parallel
// lists (one row), for the bulk risk snapshot (graph/snapshot.py).
// Parameters: none. since / until are yyyymmdd integers, -1 when open.
MATCH (a:Company)-[r:SUBSIDIARY_OF|BRANCH_OF]->(b:Company)
RETURN collect(a.uscc) AS child, collect(b.uscc) AS parent, collect(type(r)) AS kind,
       collect(coalesce(r.since.year * 10000 + r.since.month * 100 + r.since.day, -1)) AS since,
       collect(coalesce(r.until.year * 10000 + r.until.month * 100 + r.until.day, -1)) AS until
