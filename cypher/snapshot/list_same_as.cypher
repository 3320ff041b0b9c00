// Every SAME_AS link, active or retired, as parallel lists (one row), for the bulk risk
// snapshot (graph/snapshot.py): features read people through the resolution as of their date.
// Parameters: none. since / until are yyyymmdd integers (UTC day of the decision), -1 when open.
MATCH (p:Person)-[r:SAME_AS]->(e:ResolvedEntity)
RETURN collect(p.person_id) AS person, collect(e.entity_id) AS entity,
       collect(r.since.year * 10000 + r.since.month * 100 + r.since.day) AS since,
       collect(coalesce(r.until.year * 10000 + r.until.month * 100 + r.until.day, -1)) AS until
