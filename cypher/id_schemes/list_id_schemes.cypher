// The declared identifier namespaces stored in the graph. Parameters: none.
MATCH (n:IdScheme)
RETURN n.name AS name, n.doc AS doc, n.pattern AS pattern, n.has_region AS has_region
ORDER BY name
