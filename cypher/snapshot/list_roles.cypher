// Key-personnel roles (legal representative, director, supervisor, actual controller) as
// parallel lists (one row), for the bulk risk snapshot (graph/snapshot.py).
// Parameters: none. since / until are yyyymmdd integers, -1 when open.
MATCH (p:Person)-[r:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]->(c:Company)
RETURN collect(p.person_id) AS person, collect(c.uscc) AS company, collect(type(r)) AS role,
       collect(coalesce(r.since.year * 10000 + r.since.month * 100 + r.since.day, -1)) AS since,
       collect(coalesce(r.until.year * 10000 + r.until.month * 100 + r.until.day, -1)) AS until
