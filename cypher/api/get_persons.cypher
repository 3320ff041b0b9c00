// People by id, for the GraphQL person loader (app/graphql/loaders.py).
// Parameters: $person_ids (list of strings, never null). One row per person found.
UNWIND $person_ids AS pid
MATCH (p:Person {person_id: pid})
RETURN p.person_id AS person_id, p.name AS name, p.nationality AS nationality,
       p.political_connection AS political_connection
