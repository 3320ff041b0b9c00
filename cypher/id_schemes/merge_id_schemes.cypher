// Store declared identifier namespaces; a later declaration of the same name replaces the
// earlier one. Parameters: $schemes (list of {name, doc, pattern, has_region}).
UNWIND $schemes AS s
MERGE (n:IdScheme {name: s.name})
SET n.doc = s.doc, n.pattern = s.pattern, n.has_region = s.has_region
RETURN count(n) AS stored
