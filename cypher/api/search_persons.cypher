// A page of people whose name contains a substring, ordered by id after a cursor
// (app/graphql/queries/companies.py). Parameters: $name (string, never null), $after (person
// id or '' for the first page), $limit (int: page size + 1).
MATCH (p:Person)
WHERE p.person_id > $after AND toLower(p.name) CONTAINS toLower($name)
RETURN p.person_id AS person_id, p.name AS name, p.nationality AS nationality,
       p.political_connection AS political_connection
ORDER BY p.person_id
LIMIT $limit
