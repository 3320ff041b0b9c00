// How many people search_persons.cypher matches over all its pages (totalCount).
// Parameters: $name (string, never null). One row: total.
MATCH (p:Person)
WHERE any(n IN [p.name] + coalesce(p.other_names, []) + coalesce(p.aliases, [])
        + coalesce(p.previous_names, []) + coalesce(p.weak_aliases, [])
        WHERE toLower(n) CONTAINS toLower($name))
RETURN count(p) AS total
