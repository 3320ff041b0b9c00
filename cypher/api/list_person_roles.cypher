// Roles and shareholdings of people in companies (app/graphql/loaders.py).
// Parameters: $person_ids (list of strings, never null). One row per (person, company, role).
UNWIND $person_ids AS pid
MATCH (:Person {person_id: pid})-[r:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY]->(c:Company)
RETURN pid AS person_id, type(r) AS role, r.share AS share, toString(r.since) AS since,
       toString(r.until) AS until, c.uscc AS uscc
ORDER BY person_id, uscc, role
