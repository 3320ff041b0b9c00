// Supply relationships (supplier)-[:SUPPLIES]->(customer) with annual value, as parallel lists
// (one row), for the bulk risk snapshot (graph/snapshot.py).
// Parameters: none. since / until are yyyymmdd integers, -1 when open; value -1 when unknown.
MATCH (a:Company)-[r:SUPPLIES]->(b:Company)
RETURN collect(a.uscc) AS supplier, collect(b.uscc) AS customer,
       collect(coalesce(toFloat(r.annual_value), -1.0)) AS annual_value,
       collect(coalesce(r.since.year * 10000 + r.since.month * 100 + r.since.day, -1)) AS since,
       collect(coalesce(r.until.year * 10000 + r.until.month * 100 + r.until.day, -1)) AS until
