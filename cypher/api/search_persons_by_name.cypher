// A page of people whose name or one of its other names contains $name, found through the
// full-text index (its hits for $query, graph/name_search.py), by id between cursors (app/graphql/queries/companies.py).
// Parameters: $query (Lucene query), $name (string), never null; $after, $before
// (person ids or '' for no bound), $backward (bool: descending, for `last`), $limit (int: page
// size + 1).
CALL db.index.fulltext.queryNodes('person_names_fulltext', $query) YIELD node AS p
WITH p
WHERE p.person_id > $after AND ($before = '' OR p.person_id < $before)
  AND any(n IN [p.name] + coalesce(p.other_names, []) + coalesce(p.aliases, [])
        + coalesce(p.previous_names, []) + coalesce(p.weak_aliases, [])
        WHERE toLower(n) CONTAINS toLower($name))
RETURN p.person_id AS person_id, p.name AS name, p.nationality AS nationality,
       p.political_connection AS political_connection
ORDER BY CASE WHEN $backward THEN '' ELSE p.person_id END,
         CASE WHEN $backward THEN p.person_id ELSE '' END DESC
LIMIT $limit
