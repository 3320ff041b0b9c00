// Relationship counts per type, from the count store (APOC). Parameters: none.
// Returns type, count.
CALL apoc.meta.stats() YIELD relTypesCount
UNWIND keys(relTypesCount) AS type
RETURN type, relTypesCount[type] AS count
ORDER BY type
