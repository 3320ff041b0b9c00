// Every :Person as parallel lists (one row), for the bulk risk snapshot (graph/snapshot.py).
// Parameters: none. political_connection is false when unknown.
MATCH (p:Person)
RETURN collect(p.person_id) AS person_id,
       collect(coalesce(p.political_connection, false)) AS political_connection
