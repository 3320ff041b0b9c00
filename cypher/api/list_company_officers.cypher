// Key persons of companies (legal representative, director, supervisor, actual controller),
// current and past, for the GraphQL officers loader (app/graphql/loaders.py).
// Parameters: $usccs (list of strings, never null). One row per (company, person, role).
UNWIND $usccs AS u
MATCH (p:Person)-[r:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]->(:Company {uscc: u})
RETURN u AS uscc, type(r) AS role, toString(r.since) AS since, toString(r.until) AS until,
       p.person_id AS person_id, p.name AS name, p.nationality AS nationality,
       p.political_connection AS political_connection
ORDER BY uscc, role, person_id
