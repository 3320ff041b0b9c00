// A page of people whose name contains a substring, by id between cursors
// (app/graphql/queries/companies.py). Parameters: $name (string, never null), $after, $before
// (person ids or '' for no bound), $backward (bool: descending, for `last`), $limit (int: page
// size + 1).
MATCH (p:Person)
WHERE p.person_id > $after AND ($before = '' OR p.person_id < $before)
  AND toLower(p.name) CONTAINS toLower($name)
RETURN p.person_id AS person_id, p.name AS name, p.nationality AS nationality,
       p.political_connection AS political_connection
ORDER BY CASE WHEN $backward THEN '' ELSE p.person_id END,
         CASE WHEN $backward THEN p.person_id ELSE '' END DESC
LIMIT $limit
