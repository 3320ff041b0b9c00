// How many people search_persons.cypher matches over all its pages (totalCount).
// Parameters: $name (string, never null). One row: total.
MATCH (p:Person)
WHERE toLower(p.name) CONTAINS toLower($name)
RETURN count(p) AS total
