// How many people search_persons_by_name.cypher matches over all its pages (totalCount).
// Parameters: $query (Lucene query), $name (string), never null. One row: total.
CALL db.index.fulltext.queryNodes('person_names_fulltext', $query) YIELD node AS p
WITH p
WHERE any(n IN [p.name] + coalesce(p.other_names, []) + coalesce(p.aliases, [])
        + coalesce(p.previous_names, []) + coalesce(p.weak_aliases, [])
        WHERE toLower(n) CONTAINS toLower($name))
RETURN count(p) AS total
