// How many people search_persons_by_name.cypher matches over all its pages (totalCount).
// Parameters: $query (Lucene query), $name (string), never null. One row: total.
CALL db.index.fulltext.queryNodes('person_name_fulltext', $query) YIELD node AS p
WITH p
WHERE toLower(p.name) CONTAINS toLower($name)
RETURN count(p) AS total
